package io.autonf.search;

import io.autonf.cost.CostTable;
import io.autonf.cost.MeasureOptions;
import io.autonf.event.SearchListener;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.train.RollbackPolicy;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingDivergedException;
import io.autonf.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A search stopped and resumed from a checkpoint ends exactly where the uninterrupted one does. */
class SearchCheckpointTest {

    private static final Batch TRAIN = SearchFixtures.skewed(300, 1);
    private static final Batch VALIDATION = SearchFixtures.skewed(200, 2);
    private static final Batch TEST = SearchFixtures.skewed(60, 3);
    private static final CostTable COSTS = SearchFixtures.costs(2, Map.of(LayerKind.MAF, 2e-6, LayerKind.AFFINE_C, 1e-6));

    /** Three layers, two rounds of six steps per block, one θ-only warm-up step: 36 steps over 6 phases. */
    private static SearchConfig config() {
        return SearchConfig.builder(new SearchSpace(3, List.of(LayerKind.MAF, LayerKind.AFFINE_C), SearchFixtures.TINY))
                .thetaBatchSize(64).alphaBatchSize(48).stepsPerBlock(6).warmupSteps(1).lambda(0.3).seed(11)
                .retraining(TrainingConfig.DEFAULTS.withBatchSize(64).withMaxSteps(10).withValidateEvery(5).withSeed(4))
                .build();
    }

    private static final class Stop extends RuntimeException {
    }

    /** Records every step as a line of exact bits, and stops the search after step {@code stopAfter} (0: never). */
    private static final class Steps implements SearchListener {
        final List<String> lines = new ArrayList<>();
        final List<String> rollbacks = new ArrayList<>();
        final int stopAfter;

        Steps(int stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                           double expectedCost, long layerEvaluations) {
            lines.add(step + " " + block + " " + Double.doubleToRawLongBits(trainLoss) + " "
                    + Double.doubleToRawLongBits(validationLoss) + " " + Arrays.deepToString(weights) + " "
                    + layerEvaluations);
            if (step == stopAfter) {
                throw new Stop();
            }
        }

        @Override
        public void onRollback(int step, String what, double value, int count, double scale) {
            rollbacks.add(step + " " + what + " " + value + " " + count + " " + scale);
        }
    }

    private static SearchResult search(SearchConfig config, Batch train, SearchListener listener,
                                       SearchCheckpointing checkpointing, SearchProgress from) {
        try (MixtureFlow mixture = new MixtureFlow(config.space(), 2, config.initialisationRandom(), config.threads())) {
            return new AutoNfSearch(config, mixture, COSTS).run(train, VALIDATION, listener, checkpointing, from);
        }
    }

    private static void assertSameSearch(SearchResult expected, SearchResult actual) {
        assertEquals(expected.architecture(), actual.architecture());
        assertArrayEquals(expected.choice(), actual.choice());
        assertEquals(expected.layerEvaluations(), actual.layerEvaluations());
        assertEquals(Arrays.deepToString(expected.weights()), Arrays.deepToString(actual.weights()));
        AlphaTrajectory a = expected.trajectory();
        AlphaTrajectory b = actual.trajectory();
        assertEquals(a.steps(), b.steps());
        for (int s = 0; s <= a.steps(); s++) {
            assertEquals(a.phase(s), b.phase(s));
            assertEquals(Double.doubleToRawLongBits(a.trainLoss(s)), Double.doubleToRawLongBits(b.trainLoss(s)), "step " + s);
            assertEquals(Double.doubleToRawLongBits(a.validationLoss(s)), Double.doubleToRawLongBits(b.validationLoss(s)));
            assertEquals(Double.doubleToRawLongBits(a.expectedCost(s)), Double.doubleToRawLongBits(b.expectedCost(s)));
            assertEquals(Arrays.deepToString(a.weights(s)), Arrays.deepToString(b.weights(s)));
            assertEquals(a.layerEvaluations(s), b.layerEvaluations(s));
        }
    }

    @Test
    void aSearchResumedFromACheckpointFileIsBitIdentical(@TempDir Path dir) throws IOException {
        SearchConfig config = config();
        Steps whole = new Steps(0);
        SearchResult uninterrupted = search(config, TRAIN, whole, SearchCheckpointing.NONE, null);
        assertEquals(36, whole.lines.size());
        String key = SearchCheckpoint.configKey(config, 2, TRAIN.rows(), VALIDATION.rows());
        // Stopped inside a phase (step 16: checkpoint at 15, in the third phase), right after a phase's last step
        // (checkpoint at 24 = the end of the fourth phase) and one step before the end: both resume to the same end.
        for (int[] stopAndEvery : new int[][]{{16, 5}, {26, 12}, {36, 1}}) {
            Path file = dir.resolve("c" + stopAndEvery[0] + ".bin");
            Steps first = new Steps(stopAndEvery[0]);
            SearchCheckpointing saving = new SearchCheckpointing(stopAndEvery[1], progress -> {
                try {
                    new SearchCheckpoint(key, SearchCheckpoint.Stage.SEARCHING, progress, null).write(file);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, RollbackPolicy.DEFAULT);
            assertThrows(Stop.class, () -> search(config, TRAIN, first, saving, null));
            SearchCheckpoint checkpoint = SearchCheckpoint.read(file);
            checkpoint.requireConfig(key);
            int saved = checkpoint.progress().step();
            // The listener hears a step before it is checkpointed, so a stop in onStep keeps the checkpoint before.
            assertEquals(((stopAndEvery[0] - 1) / stopAndEvery[1]) * stopAndEvery[1], saved);

            Steps rest = new Steps(0);
            SearchResult resumed = search(config, TRAIN, rest, SearchCheckpointing.NONE, checkpoint.progress());
            assertSameSearch(uninterrupted, resumed);
            assertEquals(whole.lines.subList(saved, 36), rest.lines, "the steps after the checkpoint, bit for bit");
            assertTrue(resumed.wallTime().compareTo(checkpoint.progress().elapsed()) >= 0);
        }
    }

    @Test
    void aCheckpointOfAnotherSearchIsRefused() throws IOException {
        SearchConfig config = config();
        String key = SearchCheckpoint.configKey(config, 2, TRAIN.rows(), VALIDATION.rows());
        List<SearchProgress> kept = new ArrayList<>();
        search(config, TRAIN, SearchListener.NONE, new SearchCheckpointing(30, kept::add, RollbackPolicy.NONE), null);
        SearchCheckpoint checkpoint = SearchCheckpoint.fromBytes(
                new SearchCheckpoint(key, SearchCheckpoint.Stage.SEARCHING, kept.get(0), null).toBytes(), "memory");
        String other = SearchCheckpoint.configKey(config.toBuilder().lambda(0.4).build(), 2, TRAIN.rows(),
                VALIDATION.rows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checkpoint.requireConfig(other));
        assertTrue(e.getMessage().contains("another search"), e.getMessage());
        // Threads do not change the numbers, so they do not change the key.
        assertEquals(key, SearchCheckpoint.configKey(config.toBuilder().threads(2).build(), 2, TRAIN.rows(),
                VALIDATION.rows()));
        IOException garbage = assertThrows(IOException.class, () -> SearchCheckpoint.fromBytes(new byte[]{1, 2, 3, 4, 5},
                "junk.bin"));
        assertTrue(garbage.getMessage().contains("junk.bin"), garbage.getMessage());
    }

    /** Training data with one row of NaN: the batch holding it gives a NaN loss once per epoch. */
    private static Batch poisoned() {
        double[] v = TRAIN.values().clone();
        v[2 * 123] = Double.NaN;
        return new Batch(v, TRAIN.rows(), 2);
    }

    @Test
    void aNonFiniteStepIsRolledBackWithALowerRateAndTheSearchGoesOn() {
        SearchConfig config = config();
        Steps steps = new Steps(0);
        SearchResult result = search(config, poisoned(), steps, SearchCheckpointing.rollbackOnly(
                new RollbackPolicy(20, 0.5)), null);
        // 300 rows in batches of 64: 4 batches per epoch, one of them poisoned; 36 good steps need 12 epochs.
        assertTrue(steps.rollbacks.size() >= 9, steps.rollbacks.toString());
        assertTrue(steps.rollbacks.get(0).contains("the training search loss NaN 1 0.5"), steps.rollbacks.get(0));
        assertEquals(36, steps.lines.size(), "every step reported once");
        for (int s = 1; s <= 36; s++) {
            assertTrue(steps.lines.get(s - 1).startsWith(s + " "));
            assertTrue(Double.isFinite(result.trajectory().trainLoss(s)));
        }
    }

    @Test
    void rollbacksAreBoundedAndTheFailureNamesTheStepAndTheLoss() {
        SearchConfig config = config();
        Steps steps = new Steps(0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> search(config, poisoned(),
                steps, SearchCheckpointing.rollbackOnly(new RollbackPolicy(2, 0.5)), null));
        assertEquals(3, steps.rollbacks.size() + 1);
        assertTrue(e.getMessage().contains("at step " + e.step() + ": the training search loss is NaN again after 2 "
                + "rollbacks"), e.getMessage());
        // Without rollbacks the first poisoned batch fails the search at once.
        TrainingDivergedException first = assertThrows(TrainingDivergedException.class, () -> search(config,
                poisoned(), SearchListener.NONE, SearchCheckpointing.NONE, null));
        assertTrue(first.step() < e.step());
    }

    @Test
    void aResumedPipelineEndsWithTheSameNumbers(@TempDir Path dir) throws IOException {
        SearchConfig config = config();
        SearchPipeline.Options options = SearchPipeline.Options.defaults().withCostDirectory(dir.resolve("costs"))
                .withMeasure(new MeasureOptions(32, 0, 0, 1, 0)).withEvaluationSamples(40).withK(3)
                .withTrainReference(false);
        PipelineResult whole = SearchPipeline.run(config, options, TRAIN, VALIDATION, TEST, SearchListener.NONE,
                TrainingListener.NONE, line -> { }, new SearchPipeline.Checkpoints(0, c -> { }, RollbackPolicy.DEFAULT,
                        null));
        List<SearchCheckpoint> saved = new ArrayList<>();
        assertThrows(Stop.class, () -> SearchPipeline.run(config, options, TRAIN, VALIDATION, TEST, new Steps(20),
                TrainingListener.NONE, line -> { }, new SearchPipeline.Checkpoints(8, saved::add,
                        RollbackPolicy.DEFAULT, null)));
        assertEquals(2, saved.size());
        PipelineResult resumed = SearchPipeline.run(config, options, TRAIN, VALIDATION, TEST, SearchListener.NONE,
                TrainingListener.NONE, line -> { }, new SearchPipeline.Checkpoints(8, saved::add,
                        RollbackPolicy.DEFAULT, saved.get(1)));
        assertSameSearch(whole.search(), resumed.search());
        assertEquals(whole.found().evaluation().testNll(), resumed.found().evaluation().testNll());
        assertEquals(whole.found().evaluation().density(), resumed.found().evaluation().density());
        assertEquals(whole.found().training().bestValidationNll(), resumed.found().training().bestValidationNll());
        // The last checkpoint marks the end of the search; resuming from it retrains to the same numbers.
        SearchCheckpoint searched = saved.get(saved.size() - 1);
        assertEquals(SearchCheckpoint.Stage.SEARCHED, searched.stage());
        PipelineResult again = SearchPipeline.run(config, options, TRAIN, VALIDATION, TEST, SearchListener.NONE,
                TrainingListener.NONE, line -> { }, new SearchPipeline.Checkpoints(8, c -> { }, RollbackPolicy.DEFAULT,
                        SearchCheckpoint.fromBytes(searched.toBytes(), "memory")));
        assertSameSearch(whole.search(), again.search());
        assertEquals(whole.found().evaluation().testNll(), again.found().evaluation().testNll());
        assertEquals(whole.found().evaluation().coverage(), again.found().evaluation().coverage());
    }

    /** Replaying the shuffles is the price of a generator that cannot be saved: it is small. */
    @Test
    void restoringASamplerReplaysItsShufflesQuickly() {
        Batch big = new Batch(new double[100_000], 100_000, 1);
        BatchSampler sampler = new BatchSampler(big, 1000, new SplittableRandom(3));
        for (int i = 0; i < 100 * 50 + 7; i++) {
            sampler.next();
        }
        BatchSampler.Position at = sampler.position();
        long start = System.nanoTime();
        BatchSampler restored = new BatchSampler(big, 1000, new SplittableRandom(3));
        restored.restore(at);
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf("replaying %d shuffles of 100000 rows took %.1f ms%n", at.shuffles(), ms);
        assertEquals(at, restored.position());
        for (int i = 0; i < 150; i++) {
            assertArrayEquals(sampler.next().values(), restored.next().values());
        }
        assertTrue(ms < 5000, ms + " ms");
    }
}
