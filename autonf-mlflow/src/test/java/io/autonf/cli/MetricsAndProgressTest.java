package io.autonf.cli;

import io.autonf.data.Dataset;
import io.autonf.data.Datasets;
import io.autonf.flow.Layers;
import io.autonf.mlflow.LocalFileStore;
import io.autonf.train.Trainer;
import io.autonf.train.TrainingConfig;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.train.FlowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --metrics-port, --system-metrics-interval and the progress bars of the long commands. */
class MetricsAndProgressTest {

    @TempDir
    Path dir;

    private static final String[] TINY_TRAINING = {"train", "--data", "power-sample", "--arch", "maf", "--hidden", "8",
            "--blocks", "1", "--steps", "20", "--batch", "64", "--val-every", "10", "--threads", "1"};

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(List<Object> commands, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), commands);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static DatasetLoader realData(Runnable whileLoading) {
        return (spec, seed) -> {
            whileLoading.run();
            Dataset d = Datasets.load(spec, seed);
            return new TrainingData(d.name(), d.train(), d.validation(), d.test());
        };
    }

    private static HttpResponse<String> scrape(int port) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void thePrometheusEndpointServesTheEnginesAndJvmMetersAndClosesWithTheTelemetry() throws Exception {
        StringWriter log = new StringWriter();
        int port;
        try (CommandTelemetry telemetry = CommandTelemetry.start(0, 0, RunScope.disabled(), new PrintWriter(log))) {
            port = telemetry.port();
            assertTrue(port > 0);
            var data = Datasets.load("power-sample", 1);
            var flow = new FlowSpec(new Architecture(List.of(LayerKind.MAF)), data.train().cols(),
                    LayerSettings.DEFAULT.withHiddenFeatures(8).withBlocks(1), 1).build(Layers::flow);
            try (Trainer trainer = new Trainer(TrainingConfig.DEFAULTS.withMaxSteps(7).withWarmupSteps(0)
                    .withBatchSize(32).withValidateEvery(7).withWorkerThreads(1))) {
                trainer.train(flow, data.train(), data.validation());
            }
            io.autonf.metric.Prdc.compute(data.validation().slice(0, 50), data.test().slice(0, 50), 1);
            HttpResponse<String> response = scrape(port);
            assertEquals(200, response.statusCode());
            String body = response.body();
            assertTrue(body.contains("autonf_train_step_seconds_count 7"), "one timing per step: " + body);
            assertTrue(body.contains("autonf_train_samples_total 224"), "7 steps of 32 rows");
            for (String name : List.of("autonf_train_validation_seconds", "jvm_memory_used_bytes", "process_cpu_usage",
                    "jvm_gc_", "autonf_knn_seconds")) {
                assertTrue(body.contains(name), name + " is served");
            }
        }
        assertTrue(log.toString().contains("http://localhost:" + port + "/metrics"), log.toString());
        int closed = port;
        assertThrows(ConnectException.class, () -> scrape(closed), "the port is freed at the end");
    }

    @Test
    void aCommandServesMetricsWhileItRunsAndFreesThePortWhenItEnds() throws Exception {
        int port = freePort();
        AtomicReference<String> during = new AtomicReference<>();
        List<Object> commands = List.of(new TrainCommand(Layers::flow, realData(() -> {
            try {
                during.set(scrape(port).body());
            } catch (IOException | InterruptedException e) {
                during.set("failed: " + e);
            }
        })));
        Outcome o = run(commands, with(TINY_TRAINING, "--no-tracking", "--quiet", "--metrics-port",
                String.valueOf(port)));
        assertEquals(0, o.code(), o.err());
        assertNotNull(during.get());
        assertTrue(during.get().contains("jvm_memory_used_bytes") && during.get().contains("autonf_train_step_seconds"),
                "the endpoint answers while the command runs: " + during.get());
        assertThrows(ConnectException.class, () -> scrape(port), "closed after the command");
    }

    @Test
    void systemMetricsAreLoggedIntoTheRunWithIncreasingSteps() throws IOException {
        Path store = dir.resolve("mlruns");
        // The loader waits so that several samples are taken while the command runs.
        List<Object> commands = List.of(new TrainCommand(Layers::flow, realData(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })));
        Outcome o = run(commands, with(TINY_TRAINING, "--tracking-uri", "file:" + store, "--quiet",
                "--system-metrics-interval", "0.1"));
        assertEquals(0, o.code(), o.err());
        Path runDir;
        try (Stream<Path> metas = Files.walk(store)) {
            runDir = metas.filter(p -> p.endsWith("meta.yaml") && Files.isDirectory(p.getParent().resolve("metrics")))
                    .map(Path::getParent).findFirst().orElseThrow();
        }
        Path system = runDir.resolve("metrics").resolve("system");
        List<String> memory = Files.readAllLines(system.resolve("jvm_memory_used_bytes"));
        assertTrue(memory.size() >= 2, "several samples: " + memory);
        long previous = 0;
        for (String line : memory) {
            long step = Long.parseLong(line.split(" ")[2]);
            assertTrue(step > previous, "steps increase: " + memory);
            previous = step;
        }
        List<String> steps = Files.readAllLines(system.resolve("autonf_train_step_count"));
        String last = steps.get(steps.size() - 1);
        assertEquals(20.0, Double.parseDouble(last.split(" ")[1]), "the last sample, at the end, counts every step");
        assertTrue(Files.exists(system.resolve("autonf_train_step_mean_ms")));
        assertTrue(Files.exists(system.resolve("autonf_train_samples_per_s")));
        assertTrue(Files.exists(system.resolve("process_cpu_usage")));
        assertFalse(Files.exists(runDir.resolve("params").resolve("cli.quiet")), "runtime options are not params");
        assertNotNull(new LocalFileStore(store));
    }

    @Test
    void progressIsLineBasedWithoutATerminalAndQuietPrintsNone() {
        List<Object> commands = List.of(new TrainCommand(Layers::flow, realData(() -> { })));
        Outcome shown = run(commands, with(TINY_TRAINING, "--no-tracking"));
        assertEquals(0, shown.code(), shown.err());
        assertFalse(shown.err().contains("\r"), "no carriage returns outside a terminal");
        assertTrue(shown.err().lines().anyMatch(l -> l.startsWith("train [") && l.contains("100% 20/20")),
                "a last progress line: " + shown.err());

        Outcome quiet = run(commands, with(TINY_TRAINING, "--no-tracking", "--quiet"));
        assertEquals(0, quiet.code(), quiet.err());
        assertFalse(quiet.err().contains("train ["), "no progress with --quiet: " + quiet.err());
        assertTrue(quiet.err().contains("stopped after 20 steps"), "the other log lines stay");
    }

    @Test
    void badRuntimeOptionsAreBadInput() {
        List<Object> commands = List.of(new TrainCommand(Layers::flow, realData(() -> { })));
        Outcome o = run(commands, with(TINY_TRAINING, "--no-tracking", "--metrics-port", "70000"));
        assertEquals(ExitCodes.BAD_INPUT, o.code());
        assertTrue(o.err().contains("--metrics-port"), o.err());
        Outcome negative = run(commands, with(TINY_TRAINING, "--no-tracking", "--system-metrics-interval", "-1"));
        assertEquals(ExitCodes.BAD_INPUT, negative.code());
    }
}
