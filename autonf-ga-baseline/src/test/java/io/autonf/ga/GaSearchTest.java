package io.autonf.ga;

import io.autonf.cost.CostEmphasis;
import io.autonf.flow.LayerKind;
import io.autonf.search.SearchSpace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GA's machinery with a stand-in for training: cache, failures, reproducibility, stop conditions. */
class GaSearchTest {

    private static final SearchSpace SMALL = GaFixtures.space(2, MAF, AFFINE_C, RQ_C);
    private static final SearchSpace LARGE = GaFixtures.space(8, MAF, RQ_AR, AFFINE_C, RQ_C);

    private static GaConfig.Builder config(SearchSpace space) {
        return GaConfig.builder(space).populationSize(8).generations(6).steadyGenerations(0).lambda(0.5).seed(42);
    }

    private static GaResult run(GaConfig config, CandidateTraining training, GaListener listener) {
        return new GaSearch(config, GaFixtures.costs(2), training).run(listener);
    }

    @Test
    void eachArchitectureTrainsOnceAcrossTheWholeRun() {
        GaFixtures.FakeTraining training = new GaFixtures.FakeTraining();
        GaResult result = run(config(SMALL).generations(10).build(), training, GaListener.NONE);
        assertEquals(10, result.generations().size());
        // 9 architectures in the space, ~8 new phenotypes a generation: without the cache there would be dozens.
        assertTrue(training.calls.get() <= 9, "trainings " + training.calls.get());
        assertEquals(training.calls.get(), result.trainings());
        training.perArchitecture.forEach((a, n) -> assertEquals(1, n.get(), a + " trained " + n + " times"));
        assertEquals(result.trainings(), new HashSet<>(result.candidates().stream()
                .map(CandidateEvaluation::architecture).toList()).size());
        // The result's best is the lowest fitness of every candidate trained, and the last generation knows it.
        CandidateEvaluation optimum = result.candidates().stream()
                .min(java.util.Comparator.comparingDouble(CandidateEvaluation::fitness)).orElseThrow();
        assertEquals(optimum, result.best());
        assertEquals(result.best().fitness(), result.generations().getLast().bestSoFar());
    }

    @Test
    void failingCandidatesDoNotStopTheRun() {
        GaFixtures.FakeTraining training = new GaFixtures.FakeTraining(
                a -> a.layers().contains(RQ_C), 1000, Double.NaN);
        List<CandidateEvaluation> told = new ArrayList<>();
        GaResult result = run(config(SMALL).build(), training, new GaListener() {
            @Override
            public void onCandidate(CandidateEvaluation candidate) {
                told.add(candidate);
            }
        });
        assertEquals(6, result.generations().size(), "all generations ran");
        assertTrue(result.failures() > 0, "some rq-c candidate was tried");
        for (CandidateEvaluation c : result.candidates()) {
            assertEquals(c.architecture().layers().contains(RQ_C), c.failed(), c.toString());
            if (c.failed()) {
                assertEquals(GaObjective.FAILED_FITNESS, c.fitness());
                assertTrue(c.failure().contains("injected failure"), c.failure());
            }
        }
        assertFalse(result.best().failed());
        assertEquals(result.candidates(), told, "the listener hears of every candidate, in index order");
        for (GenerationStatistics g : result.generations()) {
            assertTrue(Double.isFinite(g.meanFitness()) && g.meanFitness() < 10, "mean over the members that trained");
        }
    }

    @Test
    void aFixedSeedGivesTheSameRunWithOneOrTwoWorkers() {
        GaConfig one = config(LARGE).build();
        GaResult a = run(one, new GaFixtures.FakeTraining(), GaListener.NONE);
        GaResult b = run(one, new GaFixtures.FakeTraining(), GaListener.NONE);
        GaResult two = run(one.toBuilder().workers(2).build(), new GaFixtures.FakeTraining(), GaListener.NONE);
        for (GaResult other : List.of(b, two)) {
            assertEquals(a.bestArchitecture(), other.bestArchitecture());
            assertEquals(a.trainings(), other.trainings());
            assertEquals(a.layerEvaluations(), other.layerEvaluations());
            assertEquals(fitnessHistory(a), fitnessHistory(other));
            assertEquals(a.candidates().stream().map(GaSearchTest::withoutTime).toList(),
                    other.candidates().stream().map(GaSearchTest::withoutTime).toList());
        }
        GaResult otherSeed = run(one.toBuilder().seed(43).build(), new GaFixtures.FakeTraining(), GaListener.NONE);
        assertFalse(a.candidates().stream().map(GaSearchTest::withoutTime).toList()
                .equals(otherSeed.candidates().stream().map(GaSearchTest::withoutTime).toList()));
    }

    private static List<List<Object>> fitnessHistory(GaResult r) {
        return r.generations().stream().map(g -> List.<Object>of(g.bestFitness(), g.meanFitness(), g.bestSoFar(),
                g.distinctGenotypes(), g.meanHammingDistance(), g.trainings(), g.layerEvaluations())).toList();
    }

    private static CandidateEvaluation withoutTime(CandidateEvaluation c) {
        return new CandidateEvaluation(c.index(), c.generation(), c.architecture(), c.seed(), c.validationNll(),
                c.cost(), c.fitness(), c.stepsRun(), c.layerEvaluations(), Duration.ZERO, c.failure());
    }

    @Test
    void stopsAfterTheConfiguredGenerations() {
        GaResult r = run(config(LARGE).generations(3).build(), new GaFixtures.FakeTraining(), GaListener.NONE);
        assertEquals(3, r.generations().size());
        assertEquals(GaStopReason.GENERATIONS, r.stopReason());
        assertEquals(List.of(1, 2, 3), r.generations().stream().map(GenerationStatistics::generation).toList());
        assertTrue(r.candidates().stream().allMatch(c -> c.generation() <= 3));
    }

    @Test
    void stopsWhenTheBestFitnessHoldsSteady() {
        // Every architecture scores the same NLL and λ = 0: the best never improves after generation 1.
        GaFixtures.FakeTraining flat = new GaFixtures.FakeTraining(a -> false, 1000, 2.0);
        GaResult r = run(config(LARGE).lambda(0).generations(50).steadyGenerations(3).build(), flat, GaListener.NONE);
        assertEquals(GaStopReason.STEADY_FITNESS, r.stopReason());
        assertEquals(4, r.generations().size(), "generation 1 sets the best; 2, 3 and 4 do not improve it");
    }

    @Test
    void stopsAfterTheGenerationThatReachesTheComputeBudget() {
        // 1000 layer evaluations per layer, 8 layers: 8000 per training.
        long budget = 100_000;
        GaResult r = run(config(LARGE).generations(50).computeBudget(budget).build(), new GaFixtures.FakeTraining(),
                GaListener.NONE);
        assertEquals(GaStopReason.COMPUTE_BUDGET, r.stopReason());
        List<GenerationStatistics> g = r.generations();
        assertTrue(g.getLast().layerEvaluations() >= budget);
        assertTrue(g.get(g.size() - 2).layerEvaluations() < budget, "the run went on while under the budget");
        assertEquals(8000L * r.trainings(), r.layerEvaluations());
    }

    @Test
    void stopsWhenTheWallTimeLimitPasses() {
        // A clock that moves one second per reading: the limit starts before generation 1 (first reading), then
        // each generation reads it once.
        AtomicLong seconds = new AtomicLong();
        InstantSource clock = () -> Instant.ofEpochSecond(seconds.getAndIncrement());
        GaConfig config = config(LARGE).generations(50).wallTimeLimit(Duration.ofMillis(3500)).build();
        GaResult r = new GaSearch(config, GaFixtures.costs(2), new GaFixtures.FakeTraining()).run(GaListener.NONE,
                clock);
        assertEquals(GaStopReason.WALL_TIME, r.stopReason());
        assertEquals(4, r.generations().size(), "seconds 1, 2, 3 are within 3.5 s, second 4 is not");
    }

    @Test
    void listenerHearsEveryGenerationAndTheEnd() {
        List<String> events = new ArrayList<>();
        GaResult r = run(config(SMALL).generations(3).build(), new GaFixtures.FakeTraining(), new GaListener() {
            @Override
            public void onStart(GaConfig config) {
                events.add("start");
            }

            @Override
            public void onGeneration(GenerationStatistics generation) {
                events.add("generation " + generation.generation());
            }

            @Override
            public void onFinish(GaResult result) {
                events.add("finish " + result.generations().size());
            }
        });
        assertEquals(List.of("start", "generation 1", "generation 2", "generation 3", "finish 3"), events);
        GenerationStatistics first = r.generations().getFirst();
        assertTrue(first.distinctGenotypes() >= 1 && first.distinctGenotypes() <= 8);
        assertTrue(first.meanHammingDistance() >= 0 && first.meanHammingDistance() <= 2);
    }

    @Test
    void meanHammingDistanceCountsDifferingLayersOverAllPairs() {
        assertEquals(0, GaSearch.meanHammingDistance(List.of(new int[]{1, 2})));
        assertEquals((1 + 2 + 1) / 3.0, GaSearch.meanHammingDistance(
                List.of(new int[]{0, 0}, new int[]{0, 1}, new int[]{1, 1})), 1e-15);
    }

    @Test
    void configurationIsValidated() {
        assertEquals("tournament size must lie in [2, population 4], got 5", assertThrows(
                IllegalArgumentException.class, () -> config(SMALL).populationSize(4).tournamentSize(5).build())
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(SMALL).mutationRate(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> config(SMALL).elites(8).build());
        assertThrows(IllegalArgumentException.class, () -> config(SMALL).wallTimeLimit(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> config(SMALL).workers(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> config(GaFixtures.space(2, LayerKind.IDENTITY)).build());
        GaConfig c = config(SMALL).emphasis(CostEmphasis.INVERSE).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals("inverse", c.summary().get("emphasis"));
    }

    @Test
    void aSingleLayerSpaceEvolvesWithoutCrossover() {
        GaResult r = run(config(GaFixtures.space(1, MAF, AFFINE_C, RQ_C)).generations(3).build(),
                new GaFixtures.FakeTraining(), GaListener.NONE);
        assertEquals(1, r.bestArchitecture().size());
        assertTrue(r.trainings() <= 3);
    }
}
