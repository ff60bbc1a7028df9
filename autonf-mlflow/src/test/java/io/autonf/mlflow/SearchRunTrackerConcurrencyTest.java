package io.autonf.mlflow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C ends a run from a shutdown hook while the command's own thread may be in the middle of sending a batch.
 * The hook's last flush must neither send that batch a second time nor lose what it has not sent yet, and the run
 * must end after every value is in.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SearchRunTrackerConcurrencyTest {

    /** A store whose first batch blocks until released; records the order of batches and the run's end. */
    private static final class SlowFirstBatchStore implements TrackingStore {
        final RecordingStore recorded = new RecordingStore();
        final List<String> events = new ArrayList<>();
        final CountDownLatch firstBatchEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirstBatch = new CountDownLatch(1);
        private boolean first = true;

        @Override
        public String experimentId(String name) {
            return recorded.experimentId(name);
        }

        @Override
        public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long start) {
            return recorded.createRun(experimentId, runName, tags, start);
        }

        @Override
        public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
            boolean block;
            synchronized (this) {
                block = first;
                first = false;
            }
            if (block) {
                firstBatchEntered.countDown();
                try {
                    releaseFirstBatch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                recorded.logBatch(runId, metrics, params, tags);
                events.add("batch of " + metrics.size());
            }
        }

        @Override
        public synchronized void finishRun(String runId, RunStatus status, long endTimeMillis) {
            recorded.finishRun(runId, status, endTimeMillis);
            events.add("finish " + status);
        }

        @Override
        public void uploadArtifact(TrackedRun run, String path, byte[] content) {
            recorded.uploadArtifact(run, path, content);
        }
    }

    @Test
    void aKillDuringAFlushSendsEveryValueOnceAndEndsTheRunLast() throws Exception {
        SlowFirstBatchStore store = new SlowFirstBatchStore();
        long[] clock = {1000};
        // A training step logs three metrics: the third fills the buffer and sends it.
        SearchRunTracker tracker = new SearchRunTracker(new BatchLogger(store, RecordingStore.run()), 3,
                () -> clock[0]);
        Thread command = new Thread(() -> tracker.onStep(1, 1e-3, 2.5, 0.5), "command");
        command.start();
        assertTrue(store.firstBatchEntered.await(10, TimeUnit.SECONDS), "the step's batch is being sent");

        Thread hook = new Thread(() -> tracker.finish(RunStatus.KILLED, null), "shutdown-hook");
        hook.start();
        // Let the hook get as far as it can while the batch is still in flight: it either waits for the sender
        // or runs to its end.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hook.getState() != Thread.State.BLOCKED && hook.getState() != Thread.State.WAITING
                && hook.getState() != Thread.State.TERMINATED && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        store.releaseFirstBatch.countDown();
        command.join(5000);
        hook.join(5000);

        List<Metric> sent = store.recorded.allMetrics();
        Set<String> distinct = new HashSet<>();
        sent.forEach(m -> assertTrue(distinct.add(m.key() + "@" + m.step()), "sent twice: " + m + " in " + sent));
        assertEquals(Set.of("loss/train@1", "lr@1", "grad_norm@1"), distinct);
        assertEquals(RunStatus.KILLED, store.recorded.finished.get("run1"));
        assertEquals("finish KILLED", store.events.get(store.events.size() - 1),
                "the run ends after its last batch: " + store.events);
    }
}
