package io.autonf.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.flow.Batch;
import io.autonf.flow.CompositeTransform;
import io.autonf.flow.Flow;
import io.autonf.flow.Transform;
import io.autonf.flow.transforms.ReversePermutation;
import io.autonf.train.FlowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoNfTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Per architecture layer: a reversal and a shift. */
    private static final FlowFactory FLOWS = (architecture, dimension, settings, rng) -> {
        List<Transform> parts = new ArrayList<>();
        for (int i = 0; i < architecture.size(); i++) {
            parts.add(new ReversePermutation(dimension));
            parts.add(new Shift(dimension));
        }
        return new Flow(new CompositeTransform(parts));
    };

    /** "gauss" is N((1, -1), I); "nan" has a NaN training value; anything else is unknown. */
    private static final DatasetLoader DATA = (spec, seed) -> {
        if (!spec.equals("gauss") && !spec.equals("nan")) {
            throw new IllegalArgumentException("unknown data set '" + spec + "'");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Batch train = gaussian(2_000, rng);
        if (spec.equals("nan")) {
            train.values()[3] = Double.NaN;
        }
        return new TrainingData(spec, train, gaussian(500, rng), gaussian(500, rng));
    };

    private static Batch gaussian(int rows, SplittableRandom rng) {
        double[] v = new double[rows * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 2 == 0 ? 1 : -1) + rng.nextGaussian();
        }
        return new Batch(v, rows, 2);
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Object> commands = new ArrayList<>(AutoNf.availableCommands());
        // The shipped train command is exercised end to end in ShippedCommandsTest; here it runs on stand-ins.
        commands.removeIf(c -> c instanceof TrainCommand);
        commands.add(new TrainCommand(FLOWS, DATA));
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), commands);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Parses stdout as exactly one JSON object with nothing before or after it. */
    private static JsonNode onlyJsonObject(String stdout) throws IOException {
        try (JsonParser parser = JSON.createParser(stdout)) {
            JsonNode node = JSON.readTree(parser);
            assertTrue(node != null && node.isObject(), "stdout is not a JSON object: " + stdout);
            assertNull(parser.nextToken(), "stdout holds more than one JSON value: " + stdout);
            assertEquals(1, stdout.strip().lines().count(), "the JSON object is printed on one line");
            return node;
        }
    }

    private static final String[] SMALL_RUN = {"--data", "gauss", "--arch", "maf,rq-c", "--steps", "200", "--batch", "128",
            "--lr", "0.05", "--val-every", "50", "--seed", "3"};

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void trainWithJsonPrintsOneObjectOnStdoutAndProgressOnStderr() throws IOException {
        Path model = dir.resolve("m.anf");
        Outcome o = run(with(new String[] {"train"}, with(SMALL_RUN, "--json", "--out", model.toString())));
        assertEquals(0, o.exitCode(), o.stderr());
        JsonNode r = onlyJsonObject(o.stdout());
        assertEquals("ok", r.get("status").asText());
        assertEquals("train", r.get("command").asText());
        assertEquals("gauss", r.get("dataset").asText());
        assertEquals("maf,rq-c", r.get("architecture").asText());
        assertEquals(4, r.get("parameters").asInt());
        assertEquals(200, r.get("steps").asInt());
        // Unit-variance data: the best a shift can do is the entropy of N(0, I) in 2-D, about 2.838 nats.
        double entropy = Math.log(2 * Math.PI * Math.E);
        assertEquals(entropy, r.get("test_nll").asDouble(), 0.15);
        assertTrue(r.get("test_nll_error").asDouble() > 0);
        assertTrue(r.get("samples_per_s").asDouble() > 0);
        assertEquals(model.toAbsolutePath().toString(), r.get("model").asText());
        assertTrue(o.stderr().contains("step 200/200"), o.stderr());
        assertTrue(o.stderr().contains("test NLL"), o.stderr());

        Outcome info = run("info", model.toString(), "--json");
        assertEquals(0, info.exitCode(), info.stderr());
        JsonNode i = onlyJsonObject(info.stdout());
        assertEquals("maf,rq-c", i.get("architecture").asText());
        assertEquals(2, i.get("dimension").asInt());
        assertEquals(4, i.get("parameters").asInt());
        assertEquals(r.get("best_validation_nll").asDouble(), i.get("training").get("result").get("best_validation_nll").asDouble(), 0.0);
    }

    @Test
    void withoutJsonTheResultIsTextForPeople() {
        Outcome o = run(with(new String[] {"train"}, SMALL_RUN));
        assertEquals(0, o.exitCode(), o.stderr());
        assertTrue(o.stdout().lines().anyMatch(l -> l.startsWith("test_nll ")), o.stdout());
        assertTrue(!o.stdout().contains("{"), o.stdout());
    }

    @Test
    void everyCommandPrintsOneJsonObject() throws IOException {
        JsonNode version = onlyJsonObject(run("version", "--json").stdout());
        assertTrue(version.get("version").asText().matches("\\d+\\.\\d+.*"), version.toString());
        assertEquals(version.get("version"), onlyJsonObject(run("--version", "--json").stdout()).get("version"));
        Outcome text = run("--version");
        assertEquals("autonf " + version.get("version").asText(), text.stdout().strip());
    }

    private static void assertBadInput(String option, String... args) throws IOException {
        Outcome o = run(args);
        assertEquals(2, o.exitCode(), "exit code of " + String.join(" ", args) + "\n" + o.stderr());
        assertTrue(o.stderr().contains(option), "stderr should name " + option + ": " + o.stderr());
        if (List.of(args).contains("--json")) {
            JsonNode error = onlyJsonObject(o.stdout());
            assertEquals("error", error.get("status").asText());
            assertEquals(2, error.get("exit_code").asInt());
            assertTrue(error.get("error").asText().contains(option), error.toString());
        } else {
            assertEquals("", o.stdout(), "nothing on stdout without a result");
        }
    }

    @Test
    void badOptionsExitWithTwoAndNameTheOption() throws IOException {
        assertBadInput("--precision", with(new String[] {"train"}, with(SMALL_RUN, "--precision", "fp16")));
        assertBadInput("--precision", with(new String[] {"train"}, with(SMALL_RUN, "--precision", "fp16", "--json")));
        assertBadInput("--steps", with(new String[] {"train", "--json"}, with(SMALL_RUN, "--steps", "many")));
        assertBadInput("--arch", "train", "--data", "gauss", "--arch", "maf,glow");
        assertBadInput("--threads", with(new String[] {"train"}, with(SMALL_RUN, "--threads", "0", "--json")));
        assertBadInput("--warmup", with(new String[] {"train"}, with(SMALL_RUN, "--warmup", "500")));
        assertBadInput("--bins", with(new String[] {"train"}, with(SMALL_RUN, "--bins", "0")));
        assertBadInput("--bogus", with(new String[] {"train"}, with(SMALL_RUN, "--bogus")));
        assertBadInput("--data", "train", "--arch", "maf");
        assertBadInput("--out", with(new String[] {"train"}, with(SMALL_RUN, "--out", dir.resolve("no/such/dir/m.anf").toString())));
        assertBadInput("Missing command", "--json");
    }

    @Test
    void unreadableInputIsTwoAndAFailedRunIsOne() throws IOException {
        Outcome unknown = run("train", "--data", "nope", "--arch", "maf", "--json");
        assertEquals(2, unknown.exitCode());
        assertEquals("unknown data set 'nope'", onlyJsonObject(unknown.stdout()).get("error").asText());

        Outcome diverged = run("train", "--data", "nan", "--arch", "maf", "--json");
        assertEquals(1, diverged.exitCode(), diverged.stderr());
        JsonNode error = onlyJsonObject(diverged.stdout());
        assertTrue(error.get("error").asText().contains("diverged at step"), error.toString());
        assertEquals(1, error.get("exit_code").asInt());

        Path notAModel = dir.resolve("x.anf");
        Files.writeString(notAModel, "hello");
        assertEquals(2, run("info", notAModel.toString()).exitCode());
    }
}
