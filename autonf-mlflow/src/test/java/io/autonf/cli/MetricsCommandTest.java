package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.data.Npy;
import io.autonf.flow.Batch;
import io.autonf.metric.Prdc;
import io.autonf.metric.PrdcResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Batch gaussian(int rows, int d, double shift, SplittableRandom rng) {
        double[] v = new double[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + rng.nextGaussian();
        }
        return new Batch(v, rows, d);
    }

    /** Writes a CSV with a header whose numbers print in full precision, so it reads back exactly. */
    private Path csv(String name, Batch b) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < b.cols(); c++) {
            text.append(c == 0 ? "" : ",").append("x").append(c);
        }
        text.append('\n');
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                text.append(c == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", Double.toString(b.get(r, c))));
            }
            text.append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void jsonOutputHoldsTheFourMetricsOfTheTwoFiles() throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        Batch real = gaussian(300, 3, 0.0, rng);
        Batch fake = gaussian(250, 3, 0.3, rng);
        Path samples = dir.resolve("samples.npy");
        Npy.write(samples, fake);
        Path reference = csv("reference.csv", real);

        Outcome o = run("metrics", "--samples", samples.toString(), "--reference", reference.toString(), "--k", "4",
                "--threads", "2", "--json");
        assertEquals(0, o.exitCode(), o.stderr());
        assertEquals(1, o.stdout().strip().lines().count(), o.stdout());
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("ok", r.get("status").asText());
        assertEquals("metrics", r.get("command").asText());
        PrdcResult expected = Prdc.compute(real, fake, 4, 1);
        assertEquals(expected.precision(), r.get("precision").asDouble(), 0.0);
        assertEquals(expected.recall(), r.get("recall").asDouble(), 0.0);
        assertEquals(expected.density(), r.get("density").asDouble(), 0.0);
        assertEquals(expected.coverage(), r.get("coverage").asDouble(), 0.0);
        assertEquals(250, r.get("samples").asInt());
        assertEquals(300, r.get("reference_points").asInt());
        assertEquals(3, r.get("dimension").asInt());
        assertEquals(4, r.get("k").asInt());
        assertTrue(r.get("seconds").asDouble() >= 0);
        assertTrue(o.stderr().contains("250 samples against 300 reference points"), o.stderr());

        Outcome text = run("metrics", "--samples", samples.toString(), "--reference", reference.toString());
        assertEquals(0, text.exitCode(), text.stderr());
        assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("density ")), text.stdout());
        assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("coverage ")), text.stdout());
    }

    @Test
    void aBadFileExitsTwoWithTheDataLayersMessage() throws IOException {
        Path good = dir.resolve("good.npy");
        Npy.write(good, gaussian(50, 2, 0, new SplittableRandom(2)));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,nan\n4,5\n");
        Outcome o = run("metrics", "--samples", bad.toString(), "--reference", good.toString(), "--json");
        assertEquals(2, o.exitCode(), o.stderr());
        String error = JSON.readTree(o.stdout()).get("error").asText();
        assertTrue(error.contains("bad.csv") && error.contains("2"), error);

        Path missing = dir.resolve("missing.npy");
        o = run("metrics", "--samples", good.toString(), "--reference", missing.toString(), "--json");
        assertEquals(2, o.exitCode(), o.stderr());
        assertTrue(JSON.readTree(o.stdout()).get("error").asText().contains("missing.npy"), o.stdout());

        Path wide = dir.resolve("wide.npy");
        Npy.write(wide, gaussian(50, 3, 0, new SplittableRandom(3)));
        o = run("metrics", "--samples", wide.toString(), "--reference", good.toString(), "--json");
        assertEquals(2, o.exitCode(), o.stderr());
        assertTrue(JSON.readTree(o.stdout()).get("error").asText().contains("3 columns"), o.stdout());

        o = run("metrics", "--samples", good.toString(), "--reference", good.toString(), "--k", "50", "--json");
        assertEquals(2, o.exitCode(), o.stderr());
        assertTrue(JSON.readTree(o.stdout()).get("error").asText().contains("--k 50"), o.stdout());

        o = run("metrics", "--samples", good.toString(), "--json");
        assertEquals(2, o.exitCode(), o.stderr());
        assertEquals("error", JSON.readTree(o.stdout()).get("status").asText());
    }
}
