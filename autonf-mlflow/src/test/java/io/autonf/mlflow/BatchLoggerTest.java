package io.autonf.mlflow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchLoggerTest {

    private static List<Metric> metrics(int n) {
        List<Metric> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            m.add(new Metric("loss/train", i * 0.5, 1000L + i, i));
        }
        return m;
    }

    private static List<Param> params(int n) {
        List<Param> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(new Param("p" + i, "v" + i));
        }
        return p;
    }

    private static List<Tag> tags(int n) {
        List<Tag> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add(new Tag("t" + i, "v" + i));
        }
        return t;
    }

    @Test
    void everyCallStaysWithinTheLimitsAndKeepsEveryValueInOrder() {
        RecordingStore store = new RecordingStore();
        List<Metric> m = metrics(2501);
        List<Param> p = params(250);
        List<Tag> t = tags(130);
        int calls = new BatchLogger(store, RecordingStore.run()).log(m, p, t);

        assertEquals(store.batches.size(), calls);
        for (RecordingStore.Call c : store.batches) {
            assertTrue(c.metrics().size() <= 1000, "metrics " + c.metrics().size());
            assertTrue(c.params().size() <= 100, "params " + c.params().size());
            assertTrue(c.tags().size() <= 100, "tags " + c.tags().size());
            assertTrue(c.metrics().size() + c.params().size() + c.tags().size() <= 1000);
            assertEquals("run1", c.runId());
        }
        assertEquals(m, store.allMetrics());
        assertEquals(p, store.allParams());
        assertEquals(t, store.allTags());
        // 250 params need 3 calls, the tags fill the third, the metrics need 3 more at most (2501 entries).
        assertTrue(calls <= 6, "calls " + calls);
    }

    @Test
    void totalEntriesPerCallAreCappedAt1000() {
        List<BatchLogger.Batch> batches = BatchLogger.split(metrics(950), params(100), tags(0));
        assertEquals(2, batches.size());
        assertEquals(100, batches.get(0).params.size());
        assertEquals(900, batches.get(0).metrics.size());
        assertEquals(50, batches.get(1).metrics.size());
    }

    @Test
    void largeValuesAreSplitBySize() {
        List<Param> big = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            big.add(new Param("p" + i, "x".repeat(6000)));
        }
        List<BatchLogger.Batch> batches = BatchLogger.split(List.of(), big, List.of());
        assertTrue(batches.size() >= 4, "a call of 100 x 6000 characters could exceed 1 MB: " + batches.size());
        for (BatchLogger.Batch b : batches) {
            int bytes = b.params.stream().mapToInt(x -> x.key().length() + x.value().length()).sum();
            assertTrue(bytes < 1_000_000, "bytes " + bytes);
        }
        assertEquals(big, batches.stream().flatMap(b -> b.params.stream()).toList());
    }

    @Test
    void overLongParamIsKeptWholeAsArtifactAndTruncatedWithMarker() {
        RecordingStore store = new RecordingStore();
        String value = "abc".repeat(2500);
        new BatchLogger(store, RecordingStore.run()).log(List.of(), List.of(new Param("config.json", value),
                new Param("short", "ok")), List.of(new Tag("report", "r".repeat(8001))));

        assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), store.artifacts.get("params/config.json.txt"));
        Param logged = store.allParams().get(0);
        assertEquals(6000, logged.value().length());
        assertTrue(logged.value().endsWith(BatchLogger.TRUNCATION_MARKER + "params/config.json.txt]"), logged.value());
        assertTrue(value.startsWith(logged.value().substring(0, logged.value().indexOf(BatchLogger.TRUNCATION_MARKER))));
        assertEquals(new Param("short", "ok"), store.allParams().get(1));
        assertEquals(8000, store.allTags().get(0).value().length());
        assertEquals(8001, store.artifacts.get("tags/report.txt").length);
    }

    @Test
    void valueAtTheLimitIsNotTouched() {
        RecordingStore store = new RecordingStore();
        String value = "y".repeat(6000);
        new BatchLogger(store, RecordingStore.run()).log(List.of(), List.of(new Param("p", value)), List.of());
        assertEquals(value, store.allParams().get(0).value());
        assertTrue(store.artifacts.isEmpty());
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String marker = BatchLogger.TRUNCATION_MARKER + "params/p.txt]";
        int keep = 6000 - marker.length();
        String value = "a".repeat(keep - 1) + "😀" + "b".repeat(100);
        String cut = BatchLogger.truncated(value, "params/p.txt", 6000);
        assertTrue(cut.length() <= 6000);
        assertTrue(!Character.isHighSurrogate(cut.charAt(cut.indexOf(BatchLogger.TRUNCATION_MARKER) - 1)));
    }

    @Test
    void nothingToLogMakesNoCall() {
        RecordingStore store = new RecordingStore();
        assertEquals(0, new BatchLogger(store, RecordingStore.run()).log(List.of(), List.of(), List.of()));
        assertTrue(store.batches.isEmpty());
    }
}
