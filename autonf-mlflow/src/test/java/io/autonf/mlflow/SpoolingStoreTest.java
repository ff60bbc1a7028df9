package io.autonf.mlflow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SpoolingStore} against an in-memory server that goes down, loses answers, refuses, and a crash. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpoolingStoreTest {

    private static final SpoolingStore.Settings FAST = new SpoolingStore.Settings(Duration.ofMillis(5),
            Duration.ofMillis(40), Duration.ofSeconds(10), false);

    @TempDir
    Path dir;

    private final FlakyServerStore server = new FlakyServerStore();
    private final StringWriter logText = new StringWriter();

    private SpoolingStore open(SpoolingStore.Settings settings) {
        return SpoolingStore.open(server, dir.resolve("spool"), URI.create("http://user:secret@127.0.0.1:5000"),
                settings, new SplittableRandom(1), server::find, new PrintWriter(logText, true));
    }

    private static List<Metric> step(int step) {
        return List.of(new Metric("loss/train", 1.0 / step, 1000 + step, step),
                new Metric("alpha/layer00/maf", step == 3 ? Double.NaN : 0.5, 1000 + step, step));
    }

    private static void assertEveryStepOnce(FlakyServerStore.ServerRun run, int steps) {
        List<FlakyServerStore.Point> loss = run.history("loss/train");
        assertEquals(steps, loss.size(), "one loss per step: " + loss);
        for (int s = 1; s <= steps; s++) {
            assertEquals(1.0 / s, loss.get(s - 1).value(), 0.0, "in order, step " + s);
            assertEquals(s, loss.get(s - 1).step());
        }
        assertEquals(steps, run.history("alpha/layer00/maf").size());
    }

    @Test
    void aServerLostMidRunGetsEveryValueInOrderOnceItIsBackAndTheWritesNeverWait() {
        SpoolingStore store = open(FAST);
        TrackedRun run = store.createRun(store.experimentId("e"), "r", Map.of("mlflow.runName", "r"), 1);
        assertEquals(1, server.runs.size(), "created at once while the server is up");
        store.logBatch(run.runId(), List.of(), List.of(new Param("seed", "3")), List.of());
        server.down();
        server.delay(300);
        long slowest = 0;
        for (int s = 1; s <= 40; s++) {
            long t0 = System.nanoTime();
            store.logBatch(run.runId(), step(s), List.of(), List.of());
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        store.uploadArtifact(run, "model/arch.json", "{}".getBytes(StandardCharsets.UTF_8));
        store.finishRun(run.runId(), RunStatus.KILLED, 99);
        assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(200), "a write waits for the disk only: " + slowest / 1e6 + " ms");
        assertTrue(store.pendingCount() > 0);
        assertTrue(Files.exists(store.journalFile()));
        server.delay(0);
        server.up();
        SpoolingStore.Drain drain = store.drain(Duration.ofSeconds(10));
        assertTrue(drain.complete(), drain.toString());
        FlakyServerStore.ServerRun got = server.runs.get(run.runId());
        assertEveryStepOnce(got, 40);
        assertEquals("3", got.params.get("seed"));
        assertEquals(RunStatus.KILLED, got.status);
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), got.artifacts.get("model/arch.json"));
        assertFalse(Files.exists(drain.journal() == null ? store.journalFile() : drain.journal()), "drained: deleted");
        assertThrows(TrackingException.class, () -> store.logBatch(run.runId(), step(1), List.of(), List.of()));
    }

    @Test
    void answersLostAfterTheServerAppliedACallDuplicateNeitherMetricsNorRuns() {
        SpoolingStore store = open(FAST.withSpoolAtStart(true));
        server.down();
        String experiment = store.experimentId("e");
        assertTrue(experiment.startsWith(SpoolingStore.PENDING_EXPERIMENT), experiment);
        TrackedRun parent = store.createRun(experiment, "parent", Map.of(), 1);
        TrackedRun child = store.createRun(experiment, "child", Map.of(RunTags.PARENT_RUN_ID, parent.runId()), 2);
        assertTrue(parent.runId().startsWith("local-"), parent.runId());
        for (int s = 1; s <= 10; s++) {
            store.logBatch(parent.runId(), step(s), List.of(new Param("p", "v")), List.of());
            store.logBatch(child.runId(), step(s), List.of(), List.of(new Tag("of", parent.runId())));
        }
        store.finishRun(child.runId(), RunStatus.FINISHED, 5);
        store.finishRun(parent.runId(), RunStatus.FAILED, 6);
        // These calls are applied and their answers lost, then retried: the creates and three batches.
        server.loseAnswers("createRun", 2);
        server.loseAnswers("logBatch", 3);
        server.up();
        SpoolingStore.Drain drain = store.drain(Duration.ofSeconds(10));
        assertTrue(drain.complete(), drain + " " + logText);
        assertEquals(2, server.runs.size(), "a create whose answer was lost is found again, not made twice");
        assertEquals(2, server.count("createRun"), server.calls.toString());
        assertEquals(23, server.count("logBatch"), "three batches reached the server twice: " + server.calls);
        FlakyServerStore.ServerRun p = server.runs.get(store.serverRun(parent.runId()).orElseThrow().runId());
        FlakyServerStore.ServerRun c = server.runs.get(store.serverRun(child.runId()).orElseThrow().runId());
        assertEquals("parent", p.name);
        assertEveryStepOnce(p, 10);
        assertEveryStepOnce(c, 10);
        assertEquals(p.info.runId(), c.tags.get(RunTags.PARENT_RUN_ID), "the placeholder parent id was replaced");
        assertEquals(p.info.runId(), c.tags.get("of"));
        assertEquals(RunStatus.FAILED, p.status);
        assertEquals(RunStatus.FINISHED, c.status);
    }

    @Test
    void withoutSpoolAtStartAnUnreachableServerIsAnErrorAtOnce() {
        server.down();
        SpoolingStore store = open(FAST);
        assertThrows(TrackingUnavailableException.class, () -> store.experimentId("e"));
        assertThrows(TrackingUnavailableException.class, () -> store.createRun("7", "r", Map.of(), 1));
        assertFalse(Files.exists(store.journalFile()), "nothing journaled");
    }

    @Test
    void aRefusedRecordIsReportedAndTheRunStillEndsWithItsStatus() {
        SpoolingStore store = open(FAST);
        TrackedRun run = store.createRun("7", "r", Map.of(), 1);
        server.refuseBatchesWhere(m -> m.stream().anyMatch(x -> x.step() == 2));
        for (int s = 1; s <= 4; s++) {
            store.logBatch(run.runId(), step(s), List.of(), List.of());
        }
        store.finishRun(run.runId(), RunStatus.FINISHED, 9);
        SpoolingStore.Drain drain = store.drain(Duration.ofSeconds(10));
        assertEquals(0, drain.unsent());
        assertEquals(1, drain.rejected().size(), drain.toString());
        assertTrue(drain.rejected().get(0).contains("refused batch"), drain.rejected().get(0));
        assertTrue(Files.exists(drain.journal()), "kept as the record of what was refused");
        assertEquals(3, server.runs.get(run.runId()).history("loss/train").size());
        assertEquals(RunStatus.FINISHED, server.runs.get(run.runId()).status);
        assertEquals(1, server.count("logBatch") - 3, "the refused batch is not retried");
    }

    @Test
    void aCrashMidJournalResumesWithoutResendingWhatWasAcknowledged() throws Exception {
        SpoolingStore first = open(FAST.withDrainTimeout(Duration.ZERO));
        TrackedRun run = first.createRun("7", "r", Map.of(), 1);
        for (int s = 1; s <= 5; s++) {
            first.logBatch(run.runId(), step(s), List.of(), List.of());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (first.pendingCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(5, server.count("logBatch"));
        server.down();
        for (int s = 6; s <= 12; s++) {
            first.logBatch(run.runId(), step(s), List.of(), List.of());
        }
        first.uploadArtifact(run, "big.bin", new byte[200_000]);
        first.finishRun(run.runId(), RunStatus.FINISHED, 50);
        // The process dies: the sender stops without a drain, and the last line is half written.
        SpoolingStore.Drain crash = first.drain(Duration.ZERO);
        Path journal = crash.journal();
        assertEquals(9, crash.unsent());
        Files.writeString(journal, "{\"seq\":99,\"op\":\"bat", StandardOpenOption.APPEND);
        assertTrue(Files.readString(journal).length() < 200_000, "the artifact's bytes are not inline");

        assertEquals(URI.create("http://127.0.0.1:5000"), SpoolingStore.trackingUriOf(journal), "no credentials kept");
        server.up();
        SpoolingStore resumed = SpoolingStore.resume(server, journal, FAST, new SplittableRandom(2), server::find,
                new PrintWriter(logText, true));
        SpoolingStore.Drain drain = resumed.drain(Duration.ofSeconds(10));
        assertTrue(drain.complete(), drain + " " + logText);
        assertEquals(9, drain.sent(), "7 batches, the artifact and the finish");
        assertEquals(12, server.count("logBatch"), "the 5 acknowledged batches were not sent again");
        assertEveryStepOnce(server.runs.get(run.runId()), 12);
        assertEquals(200_000, server.runs.get(run.runId()).artifacts.get("big.bin").length);
        assertEquals(RunStatus.FINISHED, server.runs.get(run.runId()).status);
        assertFalse(Files.exists(journal));
        assertNull(drain.journal());
    }

    @Test
    void theBackoffDoublesUpToItsCapWithBoundedSeededJitter() {
        SpoolingStore a = open(FAST);
        SpoolingStore b = open(FAST);
        List<Long> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 40; attempt++) {
            long base = Math.min(40, 5L << Math.min(attempt - 1, 30));
            long wait = a.backoffMillis(attempt);
            assertTrue(wait >= base / 2 && wait <= base, "attempt " + attempt + ": " + wait + " for base " + base);
            assertEquals(wait, b.backoffMillis(attempt), "same seed, same waits");
            waits.add(wait);
        }
        assertTrue(waits.stream().skip(5).allMatch(w -> w <= 40), waits.toString());
        assertThrows(IllegalArgumentException.class, () -> new SpoolingStore.Settings(Duration.ZERO,
                Duration.ofSeconds(1), Duration.ZERO, false));
        assertThrows(IllegalArgumentException.class, () -> new SpoolingStore.Settings(Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ZERO, false));
    }

    @Test
    void anUndrainedJournalIsKeptAndTheLogSaysHowToSendIt() {
        SpoolingStore store = open(FAST.withDrainTimeout(Duration.ofMillis(100)));
        TrackedRun run = store.createRun("7", "r", Map.of(), 1);
        server.down();
        store.logBatch(run.runId(), step(1), List.of(), List.of());
        store.close();
        assertTrue(Files.exists(store.journalFile()));
        String text = logText.toString();
        assertTrue(text.contains("./autonf sync " + store.journalFile()), text);
        assertFalse(text.contains("secret"), "credentials never appear: " + text);
    }
}
