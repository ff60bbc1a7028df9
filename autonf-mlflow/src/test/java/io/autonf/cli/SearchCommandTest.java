package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code autonf search} as shipped, on the bundled POWER slice with a tiny budget. */
class SearchCommandTest {

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

    private String[] tiny(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("search", "--data", "power-sample", "--layers", "2",
                "--options", "maf,affine-c", "--hidden", "8", "--blocks", "1", "--steps", "4", "--batch", "64",
                "--alpha-batch", "64", "--retrain-steps", "20", "--val-every", "10", "--samples", "200",
                "--cost-dir", dir.resolve("costs").toString(), "--quick-costs", "--seed", "3"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aTinySearchPrintsOneJsonObjectAndWritesItsFiles() throws IOException {
        Path out = dir.resolve("run");
        Outcome o = run(tiny("--lambda", "0.2", "--out", out.toString(), "--json"));
        assertEquals(0, o.exitCode(), o.stderr());
        assertEquals(1, o.stdout().strip().lines().count(), "one JSON line on stdout");
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("ok", r.get("status").asText());
        assertEquals("search", r.get("command").asText());
        assertEquals(2, r.get("architecture").asText().split(",").length);
        assertEquals(2, r.get("weights").size());
        assertEquals("rq-ar,rq-ar", r.get("reference").get("architecture").asText());
        assertTrue(r.get("found").get("test_nll").isNumber());
        assertTrue(r.get("found").get("density").isNumber());
        assertTrue(r.get("fom").isNumber());
        for (String candidate : List.of("found", "reference")) {
            JsonNode c = r.get(candidate);
            for (String field : List.of("forward_cost_measured_us", "inverse_cost_measured_us",
                    "forward_cost_s_per_sample", "inverse_cost_s_per_sample")) {
                assertTrue(c.get(field) != null && c.get(field).isNumber() && c.get(field).asDouble() > 0,
                        candidate + "." + field + " in " + c);
            }
        }
        assertEquals(16, r.get("search").get("steps").asInt());
        assertTrue(r.get("search").get("layer_evaluations").asLong() > 0);
        assertTrue(Files.readAllLines(out.resolve("alpha.csv")).size() == 1 + 17 * 2 * 2);
        assertNotNull(ImageIO.read(out.resolve("alpha.png").toFile()));
        assertEquals(r.get("architecture"), JSON.readTree(out.resolve("result.json").toFile()).get("architecture"));
        assertTrue(o.stderr().contains("round 2, block 1"), o.stderr());
    }

    @Test
    void badOptionsExitTwoWithAMessage() throws IOException {
        assertBad(tiny("--lambda", "-1", "--json"), "lambda");
        assertBad(tiny("--options", "maf,,rq-c", "--json"), "empty");
        assertBad(tiny("--options", "maf,glow", "--json"), "glow");
        assertBad(tiny("--block-size", "3", "--json"), "block size");
        assertBad(tiny("--options", "maf,identity", "--json"), "identity");
        assertBad(tiny("--method", "grow", "--rounds", "2", "--json"), "rounds");
        assertBad(tiny("--emphasis", "latency", "--json"), "latency");
        assertBad(tiny("--loss", "elbo", "--json"), "elbo");
        Outcome memory = run("search", "--data", "power-sample", "--layers", "2", "--block-size", "2", "--hidden", "512",
                "--batch", "2048", "--memory-budget", "1", "--cost-dir", dir.resolve("costs").toString(), "--json");
        assertEquals(2, memory.exitCode(), memory.stderr());
        assertTrue(JSON.readTree(memory.stdout()).get("error").asText().contains("memory budget"), memory.stdout());
        assertTrue(!memory.stderr().contains("measuring"), "nothing is measured before the memory check");
        assertBad(new String[] {"search", "--data", "no-such-data", "--json"}, "no-such-data");
    }

    private static void assertBad(String[] args, String fragment) throws IOException {
        Outcome o = run(args);
        assertEquals(2, o.exitCode(), String.join(" ", args) + "\n" + o.stderr());
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("error", r.get("status").asText());
        assertTrue(r.get("error").asText().contains(fragment), r.get("error").asText());
    }
}
