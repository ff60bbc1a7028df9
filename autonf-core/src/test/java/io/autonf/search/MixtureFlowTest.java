package io.autonf.search;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerKind;
import io.autonf.flow.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.IDENTITY;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.PLANAR;
import static io.autonf.flow.LayerKind.RADIAL;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;
import static io.autonf.search.LayerRoles.ABSENT;
import static io.autonf.search.LayerRoles.MIXED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureFlowTest {

    /** A search space, the dimension, and roles to evaluate it under. */
    record Case(String name, SearchSpace space, int dimension, LayerRoles roles) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("3 layers x 2 options, all mixed", MixtureFixtures.space(3, MAF, RQ_C), 3,
                        LayerRoles.allMixed(3)),
                new Case("2 layers x 3 options, all mixed", MixtureFixtures.space(2, RQ_AR, AFFINE_C, RQ_C), 2,
                        LayerRoles.allMixed(2)),
                new Case("3 layers, mixed / fixed / absent", MixtureFixtures.space(3, MAF, RQ_AR, RQ_C), 3,
                        new LayerRoles(new int[] {MIXED, 1, ABSENT})),
                new Case("3 layers, absent first, then two mixed", MixtureFixtures.space(3, AFFINE_C, MAF), 3,
                        new LayerRoles(new int[] {ABSENT, MIXED, MIXED})),
                new Case("3 layers, fixed around a mixed one", MixtureFixtures.space(3, RQ_C, MAF, AFFINE_C), 2,
                        new LayerRoles(new int[] {2, MIXED, 0})),
                new Case("planar, radial and identity", MixtureFixtures.space(3, PLANAR, RADIAL, IDENTITY), 3,
                        LayerRoles.allMixed(3)),
                new Case("nothing mixed", MixtureFixtures.space(2, MAF, RQ_C), 3, new LayerRoles(new int[] {1, 0})),
                new Case("every layer absent", MixtureFixtures.space(2, MAF, RQ_C), 3,
                        new LayerRoles(new int[] {ABSENT, ABSENT})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mixtureDensityIsTheSumOverEveryPathsOwnFlow(Case c) {
        SplittableRandom rng = new SplittableRandom(11);
        try (MixtureFlow mixture = MixtureFixtures.mixture(c.space(), c.dimension(), 1, rng)) {
            Batch x = MixtureFixtures.gaussian(7, c.dimension(), 1.3, rng);
            double[] expected = MixtureFixtures.bruteForceLogMixture(mixture, c.roles(), x);
            double[] actual = mixture.logProb(x, c.roles());
            for (int r = 0; r < x.rows(); r++) {
                assertEquals(expected[r], actual[r], 1e-10 * Math.max(1, Math.abs(expected[r])), "row " + r);
            }
            // The same walk's per-path NLLs, in lexicographic order over the mixed layers.
            List<int[]> paths = MixtureFixtures.paths(c.roles(), c.space().optionCount());
            MixtureEvaluation e = mixture.evaluate(x, SearchLoss.ORIGINAL, c.roles(), null, null);
            assertEquals(paths.size(), e.pathCount());
            assertEquals(paths.size(), mixture.pathCount(c.roles()));
            for (int k = 0; k < paths.size(); k++) {
                double[] logProb = MixtureFixtures.allAbsent(paths.get(k))
                        ? MixtureFixtures.standardNormal(x) : mixture.extract(paths.get(k)).logProb(x);
                double nll = 0;
                for (double v : logProb) {
                    nll -= v;
                }
                nll /= x.rows();
                assertEquals(nll, e.meanPathNll()[k], 1e-10 * Math.max(1, Math.abs(nll)), "path " + k);
            }
            double meanLogMix = 0;
            for (double v : expected) {
                meanLogMix += v;
            }
            assertEquals(-meanLogMix / x.rows(), e.loss(), 1e-10 * Math.max(1, Math.abs(e.loss())));
        }
    }

    @Test
    void atOneHotLogitsTheMixtureIsTheChosenArchitecture() {
        SplittableRandom rng = new SplittableRandom(21);
        SearchSpace space = MixtureFixtures.space(3, MAF, RQ_AR, RQ_C);
        try (MixtureFlow mixture = MixtureFixtures.mixture(space, 3, 1, rng)) {
            Batch x = MixtureFixtures.gaussian(8, 3, 1.0, rng);
            for (int[] choice : new int[][] {{0, 1, 2}, {2, 2, 0}, {1, 0, 1}}) {
                for (int i = 0; i < 3; i++) {
                    Parameter alpha = mixture.logits(i);
                    for (int j = 0; j < 3; j++) {
                        alpha.values()[j] = j == choice[i] ? 40 : -40;
                    }
                    alpha.markUpdated();
                }
                double[] single = mixture.extract(choice).logProb(x);
                double[] mix = mixture.logProb(x, LayerRoles.allMixed(3));
                assertArrayEquals(single, mix, 1e-8);
                // Both losses then equal the architecture's NLL.
                double nll = 0;
                for (double v : single) {
                    nll -= v / x.rows();
                }
                assertEquals(nll, mixture.evaluate(x, SearchLoss.ORIGINAL, LayerRoles.allMixed(3), null, null).loss(), 1e-8);
                assertEquals(nll, mixture.evaluate(x, SearchLoss.UPPER_BOUND, LayerRoles.allMixed(3), null, null).loss(), 1e-8);
            }
        }
    }

    @Test
    void theUpperBoundIsNeverBelowTheOriginalLoss() {
        SearchSpace space = MixtureFixtures.space(3, MAF, AFFINE_C, RQ_C);
        List<LayerRoles> roles = List.of(LayerRoles.allMixed(3), new LayerRoles(new int[] {MIXED, 2, MIXED}),
                new LayerRoles(new int[] {0, MIXED, ABSENT}));
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            try (MixtureFlow mixture = MixtureFixtures.mixture(space, 3, 1, rng)) {
                MixtureFixtures.perturb(mixture.alphaParameters(), 2.0, rng);
                Batch x = MixtureFixtures.gaussian(6, 3, 1.5, rng);
                for (LayerRoles r : roles) {
                    MixtureEvaluation upper = mixture.evaluate(x, SearchLoss.UPPER_BOUND, r, null, null);
                    MixtureEvaluation original = mixture.evaluate(x, SearchLoss.ORIGINAL, r, null, null);
                    assertTrue(upper.loss() >= original.loss(),
                            "seed " + seed + ", roles " + r + ": upper bound " + upper.loss() + " < original " + original.loss());
                    assertArrayEquals(upper.meanPathNll(), original.meanPathNll(), 0.0);
                    // The upper bound is Σ_k W_k mean(-log p_k) by definition.
                    List<int[]> paths = MixtureFixtures.paths(r, 3);
                    double expected = 0;
                    for (int k = 0; k < paths.size(); k++) {
                        expected += Math.exp(MixtureFixtures.logPathWeight(mixture, r, paths.get(k))) * upper.meanPathNll()[k];
                    }
                    assertEquals(expected, upper.loss(), 1e-12 * Math.abs(expected));
                }
            }
        }
    }

    @Test
    void startsUniformAndNamesEveryParameter() {
        SearchSpace space = MixtureFixtures.space(2, MAF, IDENTITY, RQ_C);
        try (MixtureFlow mixture = new MixtureFlow(space, 3, new SplittableRandom(1), 1)) {
            for (double[] w : mixture.weights()) {
                assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, w, 1e-15);
            }
            Map<String, Parameter> theta = mixture.thetaParameters();
            assertSame(mixture.candidate(0, 0).parameters().get("2.autoregressive_net.initial_layer.weight"),
                    theta.get("layer00.maf.2.autoregressive_net.initial_layer.weight"));
            assertSame(mixture.candidate(1, 2).parameters().get("1.lower_entries"), theta.get("layer01.rq-c.1.lower_entries"));
            int expected = 0;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected += mixture.candidate(i, j).parameters().size();
                }
            }
            assertEquals(expected, theta.size());
            assertTrue(theta.keySet().iterator().next().startsWith("layer00.maf."));

            Map<String, Parameter> fixed = mixture.thetaParameters(new LayerRoles(new int[] {2, ABSENT}));
            assertEquals(mixture.candidate(0, 2).parameters().size(), fixed.size());
            assertTrue(fixed.keySet().stream().allMatch(k -> k.startsWith("layer00.rq-c.")));

            Map<String, Parameter> alpha = mixture.alphaParameters();
            assertEquals(List.of("alpha.layer00", "alpha.layer01"), List.copyOf(alpha.keySet()));
            assertSame(mixture.logits(1), alpha.get("alpha.layer01"));
            assertArrayEquals(new int[] {3}, mixture.logits(0).shape());
        }
    }

    @Test
    void extractedFlowsShareTheCandidatesParameters() {
        SplittableRandom rng = new SplittableRandom(3);
        try (MixtureFlow mixture = MixtureFixtures.mixture(MixtureFixtures.space(3, MAF, RQ_C), 2, 1, rng)) {
            var flow = mixture.extract(new int[] {1, ABSENT, 0});
            assertEquals(mixture.candidate(0, 1).parameters().size() + mixture.candidate(2, 0).parameters().size(),
                    flow.parameters().size());
            Batch x = MixtureFixtures.gaussian(4, 2, 1.0, rng);
            double[] before = flow.logProb(x);
            Parameter bias = mixture.candidate(2, 0).parameters().get("1.bias");
            bias.values()[0] += 0.5;
            bias.markUpdated();
            assertTrue(flow.logProb(x)[0] != before[0], "the extracted flow follows its candidates' parameters");
        }
    }

    @Test
    void onlyTakingPartParametersReceiveGradients() {
        SplittableRandom rng = new SplittableRandom(5);
        try (MixtureFlow mixture = MixtureFixtures.mixture(MixtureFixtures.space(3, MAF, RQ_C, AFFINE_C), 3, 1, rng)) {
            LayerRoles roles = new LayerRoles(new int[] {MIXED, 1, ABSENT});
            Batch x = MixtureFixtures.gaussian(5, 3, 1.0, rng);
            for (SearchLoss loss : SearchLoss.values()) {
                Gradients theta = new Gradients();
                Gradients alpha = new Gradients();
                mixture.evaluate(x, loss, roles, theta, alpha);
                Map<String, Parameter> taking = mixture.thetaParameters(roles);
                for (Map.Entry<String, Parameter> e : mixture.thetaParameters().entrySet()) {
                    if (!taking.containsKey(e.getKey())) {
                        assertNull(theta.getOrNull(e.getValue()), e.getKey() + " does not take part");
                    }
                }
                assertTrue(alpha.getOrNull(mixture.logits(0)) != null);
                assertNull(alpha.getOrNull(mixture.logits(1)), "a fixed layer's α gets no gradient");
                assertNull(alpha.getOrNull(mixture.logits(2)), "an absent layer's α gets no gradient");
            }
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        SearchSpace space = MixtureFixtures.space(2, MAF, RQ_C);
        try (MixtureFlow mixture = new MixtureFlow(space, 3, new SplittableRandom(1), 1)) {
            Batch x = MixtureFixtures.gaussian(4, 3, 1.0, new SplittableRandom(2));
            assertMessage(() -> mixture.logProb(x, LayerRoles.allMixed(3)), "roles name 3 layers but the mixture has 2");
            assertMessage(() -> mixture.logProb(x, new LayerRoles(new int[] {MIXED, 2})),
                    "layer 1 is fixed to option 2 but there are only 2 options");
            assertMessage(() -> mixture.logProb(MixtureFixtures.gaussian(4, 2, 1.0, new SplittableRandom(2)),
                    LayerRoles.allMixed(2)), "expects 3 features, got 2");
            assertMessage(() -> mixture.evaluate(Batch.zeros(0, 3), SearchLoss.ORIGINAL, LayerRoles.allMixed(2), null, null),
                    "the batch is empty");
            assertMessage(() -> mixture.evaluate(x, null, LayerRoles.allMixed(2), null, null), "a search loss is required");
            assertMessage(() -> mixture.logProb(x, null), "layer roles are required");
            assertMessage(() -> mixture.extract(new int[] {0}), "one option per layer (2)");
            assertMessage(() -> mixture.extract(new int[] {0, 2}), "layer 1 chooses option 2");
            assertMessage(() -> mixture.extract(new int[] {ABSENT, ABSENT}), "at least one layer");
            assertMessage(() -> mixture.weights(2), "layer 2 does not exist");
            assertMessage(() -> mixture.candidate(0, -1), "option -1 does not exist");
            assertMessage(() -> mixture.layerEvaluations(LayerRoles.allMixed(2), 0), "rows must be positive");
            assertMessage(() -> mixture.checkMemory(LayerRoles.allMixed(2), 8, 0), "budget must be positive");
        }
        assertMessage(() -> new MixtureFlow(space, 3, new SplittableRandom(1), 0), "at least one thread");
        assertMessage(() -> new MixtureFlow(space, 0, new SplittableRandom(1), 1), "at least one feature");
        assertMessage(() -> new MixtureFlow(MixtureFixtures.space(1, RQ_C), 1, new SplittableRandom(1), 1),
                "cannot build option rq-c of layer 0 for 1 features");
        MixtureFlow closed = new MixtureFlow(space, 3, new SplittableRandom(1), 2);
        closed.close();
        assertThrows(IllegalStateException.class,
                () -> closed.logProb(MixtureFixtures.gaussian(2, 3, 1.0, new SplittableRandom(2)), LayerRoles.allMixed(2)));
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void layerKindsOfTheSpaceAreTheCandidates() {
        try (MixtureFlow mixture = new MixtureFlow(MixtureFixtures.space(2, IDENTITY, LayerKind.PLANAR), 2,
                new SplittableRandom(1), 1)) {
            assertTrue(mixture.candidate(1, 0).parameters().isEmpty(), "identity has no parameters");
            assertEquals(2, mixture.dimension());
            assertEquals(1, mixture.threads());
            assertEquals(2, mixture.space().layers());
        }
    }
}
