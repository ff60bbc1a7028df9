package io.autonf.mlflow;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerSettings;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchRunTrackerTest {

    private static SearchConfig config() {
        return SearchConfig.builder(new SearchSpace(2, SearchConfig.parseOptions("maf,rq-c"), LayerSettings.DEFAULT))
                .lambda(0.25).seed(7).build();
    }

    private static double[][] weights(double w) {
        return new double[][]{{w, 1 - w}, {0.5, 0.5}};
    }

    @Test
    void stepsBecomeMetricsWithStepsAndParamsComeFromTheConfig() {
        RecordingStore store = new RecordingStore();
        AtomicLong clock = new AtomicLong(1_000);
        SearchRunTracker tracker = new SearchRunTracker(new BatchLogger(store, RecordingStore.run()), 1000,
                clock::incrementAndGet);
        tracker.onStart(config());
        tracker.onStep(1, 0, 2.5, Double.NaN, weights(0.9), 0.3, 100);
        tracker.onStep(2, 0, 2.0, 1.8, weights(0.8), 0.35, 200);
        tracker.onArchitectureChosen(Architecture.parse("maf,rq-c"), weights(0.8));
        assertTrue(store.batches.isEmpty(), "nothing is sent before a flush");
        tracker.finish(RunStatus.FINISHED, null);

        Map<String, List<Metric>> byKey = store.allMetrics().stream().collect(Collectors.groupingBy(Metric::key));
        assertEquals(List.of(1L, 2L), byKey.get("loss/train").stream().map(Metric::step).toList());
        assertEquals(1, byKey.get("loss/val").size(), "no validation loss in warm-up (NaN)");
        assertEquals(1.8, byKey.get("loss/val").get(0).value());
        assertEquals(List.of(0.3, 0.35), byKey.get("cost/expected").stream().map(Metric::value).toList());
        assertEquals(List.of(0.9, 0.8), byKey.get("alpha/layer00/maf").stream().map(Metric::value).toList());
        assertEquals(0.1, byKey.get("alpha/layer00/rq-c").get(0).value(), 1e-15);
        double expectedEntropy = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
        assertEquals(expectedEntropy, byKey.get("alpha/layer00/entropy").get(0).value(), 1e-15);
        assertEquals(Math.log(2), byKey.get("alpha/layer01/entropy").get(1).value(), 1e-15);

        Map<String, String> params = store.allParams().stream().collect(Collectors.toMap(Param::key, Param::value));
        assertEquals("0.25", params.get("lambda"));
        assertEquals("maf,rq-c", params.get("options"));
        assertEquals("7", params.get("seed"));
        assertTrue(params.containsKey("theta_optimiser.learning_rate"), params.keySet().toString());
        assertTrue(params.keySet().stream().anyMatch(k -> k.startsWith("retraining.")), params.keySet().toString());

        assertEquals(List.of(new Tag(SearchRunTracker.ARCHITECTURE_TAG, "maf,rq-c")), store.allTags());
        assertEquals(RunStatus.FINISHED, store.finished.get("run1"));
    }

    @Test
    void flushesInBatchesOnceTheBufferIsFull() {
        RecordingStore store = new RecordingStore();
        SearchRunTracker tracker = new SearchRunTracker(new BatchLogger(store, RecordingStore.run()), 50, () -> 5L);
        tracker.onStart(config());
        // Each step: loss/train, loss/val, cost, block, evaluations, 2 x (2 weights + entropy) = 11 metrics.
        for (int step = 1; step <= 20; step++) {
            tracker.onStep(step, 0, 1.0, 1.0, weights(0.6), 0.1, step);
        }
        assertTrue(store.batches.size() >= 4, "batches " + store.batches.size());
        tracker.flush();
        assertEquals(20 * 11, store.allMetrics().size());
        assertArrayEquals(new int[]{0, 0, 0}, tracker.pending());
    }

    @Test
    void aFailedFlushLosesNothing() {
        RecordingStore store = new RecordingStore();
        SearchRunTracker tracker = new SearchRunTracker(new BatchLogger(store, RecordingStore.run()), 1000, () -> 5L);
        tracker.onStep(1, 2.0, 3.0, 4.0);
        tracker.onValidation(1, 2.5, true);
        store.failuresToThrow = 1;
        assertThrows(TrackingException.class, tracker::flush);
        assertArrayEquals(new int[]{4, 0, 0}, tracker.pending());
        tracker.finish(RunStatus.FAILED, "diverged at step 1");
        assertEquals(4, store.allMetrics().size());
        assertEquals(List.of(new Tag("autonf.error", "diverged at step 1")), store.allTags());
        assertEquals(RunStatus.FAILED, store.finished.get("run1"));
    }
}
