package io.autonf.search;

import io.autonf.cost.CostTable;
import io.autonf.event.SearchListener;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoNfSearchTest {

    private static final Batch TRAIN = SearchFixtures.skewed(512, 1);
    private static final Batch VALIDATION = SearchFixtures.skewed(256, 2);
    private static final List<LayerKind> MAF_AFFINE = List.of(LayerKind.MAF, LayerKind.AFFINE_C);
    private static final CostTable COSTS = SearchFixtures.costs(2, Map.of(LayerKind.MAF, 2e-6, LayerKind.AFFINE_C, 1e-6,
            LayerKind.RQ_AR, 8e-6, LayerKind.PLANAR, 5e-7));

    private static SearchConfig.Builder config(int layers, List<LayerKind> options) {
        return SearchConfig.builder(new SearchSpace(layers, options, SearchFixtures.TINY))
                .thetaBatchSize(128).alphaBatchSize(128).seed(7);
    }

    private static SearchResult run(SearchConfig config, SearchListener listener) {
        try (MixtureFlow mixture = new MixtureFlow(config.space(), 2, config.initialisationRandom(), config.threads())) {
            return new AutoNfSearch(config, mixture, COSTS).run(TRAIN, VALIDATION, listener);
        }
    }

    /** Records every event as one line. */
    private static final class Events implements SearchListener {
        final List<String> lines = new ArrayList<>();
        final List<LayerRoles> roles = new ArrayList<>();

        @Override
        public void onStart(SearchConfig config) {
            lines.add("start");
        }

        @Override
        public void onPhaseStart(SearchPhase phase, LayerRoles r) {
            lines.add("phase " + phase.index());
            roles.add(r);
        }

        @Override
        public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                           double expectedCost, long layerEvaluations) {
            lines.add("step " + step + " block " + block);
        }

        @Override
        public void onBlockFixed(int block, int[] layers, int[] choices) {
            lines.add("fixed " + block + " " + Arrays.toString(layers));
        }

        @Override
        public void onArchitectureChosen(Architecture architecture, double[][] weights) {
            lines.add("chosen");
        }

        @Override
        public void onFinish(SearchResult result) {
            lines.add("finish");
        }
    }

    @Test
    void aTinyBlockSearchEmitsItsEventsInOrderAndRepeatsForASeed() {
        SearchConfig c = config(2, MAF_AFFINE).blockSize(1).rounds(2).stepsPerBlock(3).lambda(0.1).build();
        Events events = new Events();
        SearchResult first = run(c, events);
        List<String> expected = new ArrayList<>(List.of("start"));
        int step = 0;
        for (int phase = 0; phase < 4; phase++) {
            expected.add("phase " + phase);
            for (int s = 0; s < 3; s++) {
                expected.add("step " + ++step + " block " + phase % 2);
            }
            expected.add("fixed " + phase % 2 + " [" + phase % 2 + "]");
        }
        expected.add("chosen");
        expected.add("finish");
        assertEquals(expected, events.lines);

        // First round builds up (layer 1 absent), second round fixes the other layer at its argmax then.
        assertEquals(new LayerRoles(new int[] {LayerRoles.MIXED, LayerRoles.ABSENT}), events.roles.get(0));
        assertEquals(LayerRoles.MIXED, events.roles.get(1).role(1));
        assertTrue(events.roles.get(1).role(0) >= 0);
        assertEquals(LayerRoles.MIXED, events.roles.get(3).role(1));
        assertTrue(events.roles.get(3).role(0) >= 0);

        assertEquals(12, first.steps());
        assertTrue(first.layerEvaluations() > 0);
        assertEquals(first.trajectory().layerEvaluations(12), first.layerEvaluations());
        SearchResult again = run(c, SearchListener.NONE);
        assertEquals(first.architecture(), again.architecture());
        for (int s = 0; s <= first.steps(); s++) {
            assertArrayEquals(first.trajectory().weights(s)[0], again.trajectory().weights(s)[0], 0.0);
            assertArrayEquals(first.trajectory().weights(s)[1], again.trajectory().weights(s)[1], 0.0);
            assertEquals(first.trajectory().trainLoss(s), again.trajectory().trainLoss(s), 0.0);
        }
    }

    @Test
    void threadsDoNotChangeTheSearch() {
        SearchConfig c = config(2, MAF_AFFINE).blockSize(2).rounds(1).stepsPerBlock(3).build();
        SearchResult one = run(c, SearchListener.NONE);
        SearchResult two = run(c.toBuilder().threads(2).build(), SearchListener.NONE);
        for (int s = 0; s <= one.steps(); s++) {
            assertArrayEquals(one.trajectory().weights(s)[1], two.trajectory().weights(s)[1], 0.0);
            assertEquals(one.trajectory().validationLoss(s), two.trajectory().validationLoss(s), 0.0);
        }
    }

    @Test
    void onlyTheBlockLayersAlphaMovesAndWarmUpStepsLeaveItAlone() {
        SearchConfig c = config(2, MAF_AFFINE).method(SearchMethod.GROW).stepsPerBlock(4).warmupSteps(2)
                .alpha(AdamSettings.DARTS_ALPHA.withLearningRate(0.05)).build();
        SearchResult r = run(c, SearchListener.NONE);
        AlphaTrajectory t = r.trajectory();
        // Steps 1-2: warm-up of block 0; steps 3-4: block 0 moves; 5-6: warm-up of block 1; 7-8: block 1 moves.
        assertArrayEquals(t.weights(0)[0], t.weights(2)[0], 0.0);
        assertTrue(Double.isNaN(t.validationLoss(2)) && Double.isFinite(t.validationLoss(3)));
        assertTrue(Math.abs(t.weight(4, 0, 0) - 0.5) > 1e-3);
        assertArrayEquals(t.weights(0)[1], t.weights(4)[1], 0.0);
        assertArrayEquals(t.weights(4)[0], t.weights(8)[0], 0.0);
        assertTrue(Math.abs(t.weight(8, 1, 0) - 0.5) > 1e-3);
    }

    @Test
    void theUpperBoundDrivesEveryLayerToOneOption() {
        // A layer that fits the correlation against one that cannot change anything: the bound prefers a single path.
        List<LayerKind> options = List.of(LayerKind.MAF, LayerKind.IDENTITY);
        SearchConfig c = config(2, options).blockSize(2).rounds(1).stepsPerBlock(150).allowIdentity(true)
                .loss(SearchLoss.UPPER_BOUND).theta(AdamSettings.THETA_DEFAULT.withLearningRate(1e-2))
                .alpha(AdamSettings.DARTS_ALPHA.withLearningRate(0.05).withWeightDecay(0)).build();
        SearchResult r = run(c, SearchListener.NONE);
        for (int layer = 0; layer < 2; layer++) {
            assertTrue(r.maxWeight(layer) >= 0.99, "layer " + layer + " weights " + Arrays.toString(r.weights()[layer]));
        }
        assertEquals(Architecture.parse("maf,maf"), r.architecture());
    }

    @Test
    void aLargeCostWeightPicksTheCheapOption() {
        SearchConfig c = config(2, List.of(LayerKind.RQ_AR, LayerKind.PLANAR)).blockSize(2).rounds(1).stepsPerBlock(60)
                .lambda(50).alpha(AdamSettings.DARTS_ALPHA.withLearningRate(0.05)).build();
        SearchResult r = run(c, SearchListener.NONE);
        assertEquals(Architecture.parse("planar,planar"), r.architecture());
        AlphaTrajectory t = r.trajectory();
        // Normalised costs: rq-ar 1, planar 1/16; uniform weights start at 2 x (1 + 1/16) / 2.
        assertEquals(17.0 / 16, t.expectedCost(0), 1e-12);
        assertTrue(t.expectedCost(t.steps()) < 0.5, "expected cost " + t.expectedCost(t.steps()));
    }

    @Test
    void aBlockOverTheMemoryBudgetFailsBeforeAnyStep() {
        SearchConfig c = config(3, MAF_AFFINE).blockSize(3).memoryBudgetBytes(10_000).build();
        Events events = new Events();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, events));
        assertTrue(e.getMessage().contains("block 0") && e.getMessage().contains("memory budget"), e.getMessage());
        assertTrue(events.lines.isEmpty());
    }

    @Test
    void identityLayersAreDroppedFromTheArchitecture() {
        List<LayerKind> options = List.of(LayerKind.MAF, LayerKind.IDENTITY, LayerKind.RQ_C);
        double[][] w = {{0.2, 0.7, 0.1}, {0.5, 0.1, 0.4}, {0.1, 0.3, 0.6}};
        int[] choice = AutoNfSearch.argmax(w);
        assertArrayEquals(new int[] {1, 0, 2}, choice);
        assertEquals(Architecture.parse("maf,rq-c"), AutoNfSearch.architecture(choice, w, options));
        double[][] allIdentity = {{0.3, 0.6, 0.1}, {0.45, 0.5, 0.05}};
        assertEquals(Architecture.parse("maf"), AutoNfSearch.architecture(new int[] {1, 1}, allIdentity, options));
    }

    @Test
    void dataOfAnotherWidthIsRejected() {
        SearchConfig c = config(1, MAF_AFFINE).stepsPerBlock(1).build();
        try (MixtureFlow mixture = new MixtureFlow(c.space(), 3, new SplittableRandom(1), 1)) {
            AutoNfSearch search = new AutoNfSearch(c, mixture, COSTS);
            assertThrows(IllegalArgumentException.class, () -> search.run(TRAIN, VALIDATION, SearchListener.NONE));
        }
        CostTable partial = SearchFixtures.costs(2, Map.of(LayerKind.MAF, 1e-6));
        SearchConfig weighted = c.toBuilder().lambda(0.5).build();
        try (MixtureFlow mixture = new MixtureFlow(c.space(), 2, new SplittableRandom(1), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AutoNfSearch(weighted, mixture, null));
            assertTrue(e.getMessage().contains("cost table"), e.getMessage());
            SearchResult free = new AutoNfSearch(c, mixture, null).run(TRAIN, VALIDATION, SearchListener.NONE);
            assertTrue(Double.isNaN(free.trajectory().expectedCost(1)));
        }
        try (MixtureFlow mixture = new MixtureFlow(c.space(), 2, new SplittableRandom(1), 1)) {
            assertThrows(IllegalArgumentException.class, () -> new AutoNfSearch(c, mixture, partial));
        }
    }
}
