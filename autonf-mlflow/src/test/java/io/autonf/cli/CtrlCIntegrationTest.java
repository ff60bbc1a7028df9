package io.autonf.cli;

import io.autonf.mlflow.Metric;
import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.RunRecord;
import io.autonf.mlflow.MlflowTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Ctrl-C on a running {@code search}: the real command line in a child JVM gets SIGINT, as from a terminal, while
 * its run is logging step metrics. The run must end KILLED with its end time set, and every value logged before the
 * signal must still be there, well-formed and without duplicates: in the zero-server local store and on a real
 * {@code mlflow server}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CtrlCIntegrationTest {

    /** The JVM's exit status after SIGINT (128 + 2), as a shell reports it. */
    private static final int SIGINT_EXIT = 130;
    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ctrlCEndsALocalStoreRunKilledAndKeepsItsMetrics() throws Exception {
        Path store = dir.resolve("mlruns");
        child = startSearch(store.toString());
        Path[] runDir = new Path[1];
        int linesBefore = waitForSteps(() -> {
            if (runDir[0] == null) {
                runDir[0] = findRunDir(store).orElse(null);
            }
            return runDir[0] == null ? 0 : lineCount(runDir[0].resolve("metrics/loss/train"));
        });

        interruptAndWait();

        Map<String, String> meta = readMeta(runDir[0].resolve("meta.yaml"));
        assertEquals("5", meta.get("status"), "MLflow's KILLED is 5: " + meta);
        long start = Long.parseLong(meta.get("start_time"));
        assertFalse("null".equals(meta.get("end_time")), "the end time is set: " + meta);
        long end = Long.parseLong(meta.get("end_time"));
        assertTrue(end >= start, "end " + end + " before start " + start);

        // Every metric file is whole lines "timestamp value step", each step once.
        Path metrics = runDir[0].resolve("metrics");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(metrics)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\n"), file + " ends in the middle of a line");
            Set<Long> steps = new HashSet<>();
            for (String line : text.split("\n")) {
                String[] fields = line.split(" ");
                assertEquals(3, fields.length, file + ": '" + line + "'");
                Long.parseLong(fields[0]);
                Double.parseDouble(fields[1]);
                long step = Long.parseLong(fields[2]);
                assertTrue(steps.add(step), file + " has step " + step + " twice");
            }
        }
        int linesAfter = lineCount(metrics.resolve("loss/train"));
        assertTrue(linesAfter >= linesBefore, "lost loss/train values: " + linesBefore + " before, " + linesAfter);
        assertEquals(linesAfter, lineCount(metrics.resolve("alpha/layer00/maf")),
                "every step logged its α weights with its loss");
        assertTrue(Files.isRegularFile(runDir[0].resolve("params/cli.data")), "the params are kept");
    }

    @Test
    void ctrlCEndsAServerRunKilledAndKeepsItsMetrics() throws Exception {
        try (MlflowTestServer server = MlflowTestServer.start(dir.resolve("server"))) {
            URI uri = server.uri();
            MlflowServerStore store = new MlflowServerStore(uri, Map.of());
            child = startSearch(uri.toString());
            String[] runId = new String[1];
            int before = waitForSteps(() -> {
                if (runId[0] == null) {
                    List<RunRecord> runs = store.searchRuns(store.experimentId("ctrl-c"), "", null, 10);
                    runId[0] = runs.size() == 1 ? runs.get(0).runId() : null;
                }
                return runId[0] == null ? 0 : store.metricHistory(runId[0], "loss/train").size();
            });

            interruptAndWait();

            RunRecord run = store.getRun(runId[0]);
            assertEquals("KILLED", run.status(), run.toString());
            assertTrue(run.endTimeMillis() != null && run.endTimeMillis() >= run.startTimeMillis(), run.toString());
            List<Metric> loss = store.metricHistory(runId[0], "loss/train");
            assertTrue(loss.size() >= before, "lost loss/train values: " + before + " before, " + loss.size());
            Set<Long> steps = new HashSet<>();
            loss.forEach(point -> assertTrue(steps.add(point.step()), "step twice: " + point));
            assertEquals(loss.size(), store.metricHistory(runId[0], "alpha/layer00/maf").size());
        }
    }

    /** A search far longer than the test, as the real command line in its own JVM, tracking to {@code uri}. */
    private Process startSearch(String uri) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), AutoNf.class.getName(),
                "search", "--data", "power-sample", "--layers", "2", "--options", "maf,affine-c", "--hidden", "8",
                "--blocks", "1", "--steps", "1000000", "--batch", "64", "--alpha-batch", "64", "--no-reference",
                "--cost-dir", dir.resolve("costs").toString(), "--quick-costs", "--seed", "5",
                "--tracking-uri", uri, "--experiment", "ctrl-c", "--run-name", "interrupted"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        builder.environment().remove("MLFLOW_TRACKING_URI");
        return builder.start();
    }

    /** Waits until {@code lines} (values of loss/train in the store) is positive; returns it. */
    private int waitForSteps(IntSupplier lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the search exited with " + child.exitValue() + " before it logged a step:\n" + childLog());
            }
            int n = lines.getAsInt();
            if (n > 0) {
                return n;
            }
            Thread.sleep(200);
        }
        fail("no step metrics within " + WAIT_SECONDS + " s:\n" + childLog());
        return 0;
    }

    /** Sends SIGINT, as a terminal's Ctrl-C does, and waits for the JVM to run its shutdown hooks and exit. */
    private void interruptAndWait() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -INT " + child.pid());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the search did not stop after SIGINT:\n" + childLog());
        assertEquals(SIGINT_EXIT, child.exitValue(), childLog());
        String log = childLog();
        assertFalse(log.contains("Exception"), "the shutdown logged an exception:\n" + log);
    }

    private String childLog() throws IOException {
        Path log = dir.resolve("child.log");
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Optional<Path> findRunDir(Path store) {
        if (!Files.isDirectory(store)) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(store, 3)) {
            return walk.filter(p -> p.endsWith("meta.yaml") && Files.isDirectory(p.getParent().resolve("metrics")))
                    .map(Path::getParent).findFirst();
        } catch (IOException | RuntimeException listingWhileWritten) {
            return Optional.empty();
        }
    }

    private static int lineCount(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
        } catch (IOException notYet) {
            return 0;
        }
    }

    private static Map<String, String> readMeta(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                values.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return values;
    }
}
