package io.autonf.ga;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostTable;
import io.autonf.cost.MixtureCosts;
import io.autonf.flow.Architecture;
import io.autonf.search.SearchSpace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.IDENTITY;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.RQ_AR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaObjectiveTest {

    @Test
    void costTermIsTheAutoNfExpectedCostAtOneHotAlpha() {
        SearchSpace space = GaFixtures.space(3, MAF, IDENTITY, RQ_AR, AFFINE_C);
        CostTable costs = GaFixtures.costs(2);
        ArchitectureCodec codec = new ArchitectureCodec(space);
        double lambda = 0.7;
        for (CostEmphasis emphasis : CostEmphasis.values()) {
            GaObjective objective = new GaObjective(space, costs, emphasis, lambda, new GaFixtures.FakeTraining());
            for (int[] choice : GaFixtures.allChoices(3, 4)) {
                if (Arrays.stream(choice).allMatch(c -> c == 1)) {
                    continue; // all identity: C_mix is 0 but a real layer is trained (see GaObjective)
                }
                Architecture a = codec.decode(choice);
                double autoNf = MixtureCosts.expectedCost(ArchitectureCodec.oneHot(choice, 4), space.options(), costs,
                        emphasis);
                assertEquals(autoNf, objective.cost(a), 1e-15, a + " " + emphasis);
                CandidateEvaluation e = objective.evaluate(a, 11, 0, 1);
                assertEquals(e.validationNll() + lambda * autoNf, e.fitness(), 1e-12);
            }
        }
        // Normalised by the most expensive option: rq-ar is 1 for forward, affine-c 1/4.
        GaObjective forward = new GaObjective(space, costs, CostEmphasis.FORWARD, lambda, new GaFixtures.FakeTraining());
        assertEquals(1.25, forward.cost(Architecture.parse("rq-ar,affine-c")), 1e-15);
    }

    @Test
    void failuresScoreTheDocumentedWorstFitness() {
        SearchSpace space = GaFixtures.space(2, MAF, AFFINE_C);
        CostTable costs = GaFixtures.costs(2);
        Architecture a = Architecture.parse("maf,affine-c");
        CandidateTraining thrower = (arch, seed) -> {
            throw new IllegalStateException("boom");
        };
        CandidateTraining nan = (arch, seed) -> TrainingOutcome.succeeded(Double.NaN, 3, 10, Duration.ZERO);
        CandidateTraining diverged = (arch, seed) -> TrainingOutcome.failed("diverged", 2, 7, Duration.ZERO);
        for (CandidateTraining t : new CandidateTraining[]{thrower, nan, diverged}) {
            CandidateEvaluation e = new GaObjective(space, costs, CostEmphasis.FORWARD, 1, t).evaluate(a, 1, 4, 2);
            assertTrue(e.failed());
            assertEquals(GaObjective.FAILED_FITNESS, e.fitness());
            assertTrue(Double.isNaN(e.validationNll()));
            assertEquals(1.5, e.cost(), 1e-15, "the cost is still reported (maf 1, affine-c 1/2)");
        }
        assertEquals("IllegalStateException: boom", new GaObjective(space, costs, CostEmphasis.FORWARD, 1, thrower)
                .evaluate(a, 1, 0, 1).failure());
        assertEquals(7, new GaObjective(space, costs, CostEmphasis.FORWARD, 1, diverged).evaluate(a, 1, 0, 1)
                .layerEvaluations(), "compute spent before the failure counts");
    }

    @Test
    void candidateSeedsDependOnTheRunSeedAndTheArchitectureOnly() {
        Architecture a = Architecture.parse("maf,affine-c");
        Architecture b = Architecture.parse("affine-c,maf");
        assertEquals(GaObjective.candidateSeed(3, a), GaObjective.candidateSeed(3, Architecture.parse("maf,affine-c")));
        assertNotEquals(GaObjective.candidateSeed(3, a), GaObjective.candidateSeed(3, b));
        assertNotEquals(GaObjective.candidateSeed(3, a), GaObjective.candidateSeed(4, a));
    }

    @Test
    void rejectsACostWeightWithoutCosts() {
        SearchSpace space = GaFixtures.space(2, MAF, AFFINE_C);
        assertEquals("lambda 0.5 weighs a cost, so the objective needs a cost table",
                assertThrows(IllegalArgumentException.class, () -> new GaObjective(space, null, CostEmphasis.FORWARD,
                        0.5, new GaFixtures.FakeTraining())).getMessage());
        GaObjective noCost = new GaObjective(space, null, CostEmphasis.FORWARD, 0, new GaFixtures.FakeTraining());
        CandidateEvaluation e = noCost.evaluate(Architecture.parse("maf,maf"), 0, 0, 1);
        assertTrue(Double.isNaN(e.cost()));
        assertEquals(e.validationNll(), e.fitness());
    }
}
