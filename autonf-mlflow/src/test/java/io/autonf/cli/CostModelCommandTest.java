package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code autonf cost-model} as shipped (real layers, real data loader), on tiny layers so it runs in seconds. */
class CostModelCommandTest {

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

    private String[] tiny(String... more) {
        List<String> args = new ArrayList<>(List.of("cost-model", "--hidden", "8", "--blocks", "1", "--bins", "4",
                "--batch", "16", "--quick", "--max-warmup", "0", "--dir", dir.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static JsonNode onlyJsonObject(String stdout) throws IOException {
        List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "exactly one line on stdout: " + stdout);
        return JSON.readTree(lines.get(0));
    }

    @Test
    void jsonOutputParsesAndASecondRunReusesTheTable() throws IOException {
        Outcome first = run(tiny("--data", "power-sample", "--json"));
        assertEquals(0, first.exitCode(), first.stderr());
        JsonNode r = onlyJsonObject(first.stdout());
        assertEquals("ok", r.get("status").asText());
        assertEquals("cost-model", r.get("command").asText());
        assertEquals("power-sample", r.get("dataset").asText());
        assertEquals(6, r.get("dimension").asInt());
        assertEquals(8, r.get("settings").get("hidden").asInt());
        assertEquals(1, r.get("threads").asInt());
        assertFalse(r.get("reused").asBoolean());
        assertEquals(List.of("maf", "rq-ar", "affine-c", "rq-c", "planar", "radial"),
                iterableToList(r.get("layers").fieldNames()));
        for (JsonNode layer : r.get("layers")) {
            for (String field : List.of("forward_us", "inverse_us", "training_us", "forward_mflops", "inverse_mflops")) {
                assertTrue(layer.get(field).asDouble() > 0, field + " of " + layer);
            }
        }
        Path file = Path.of(r.get("file").asText());
        assertTrue(Files.isRegularFile(file) && file.startsWith(dir), file.toString());
        assertTrue(first.stderr().contains("measured maf"), first.stderr());

        Outcome second = run(tiny("--dimension", "6", "--options", "rq-c,identity", "--json"));
        assertEquals(0, second.exitCode(), second.stderr());
        JsonNode again = onlyJsonObject(second.stdout());
        assertTrue(again.get("reused").asBoolean());
        assertEquals(file.toString(), again.get("file").asText());
        assertEquals(r.get("layers").get("rq-c"), again.get("layers").get("rq-c"), "the stored figures");
        assertEquals(0.0, again.get("layers").get("identity").get("forward_us").asDouble());

        Outcome remeasured = run(tiny("--dimension", "6", "--options", "planar", "--remeasure", "--json"));
        assertEquals(0, remeasured.exitCode(), remeasured.stderr());
        assertFalse(onlyJsonObject(remeasured.stdout()).get("reused").asBoolean());
    }

    @Test
    void withoutJsonItPrintsATableAndWhereItIsSaved() {
        Outcome o = run(tiny("--dimension", "4", "--options", "maf,rq-c"));
        assertEquals(0, o.exitCode(), o.stderr());
        assertTrue(o.stdout().contains("forward µs") && o.stdout().contains("inverse MFLOP"), o.stdout());
        assertTrue(o.stdout().lines().anyMatch(l -> l.startsWith("maf ")), o.stdout());
        assertTrue(o.stdout().lines().anyMatch(l -> l.startsWith("saved " + dir)), o.stdout());
    }

    @Test
    void badInputExitsTwoWithAMessage() throws IOException {
        assertBadInput("--dimension", tiny("--json"));
        assertBadInput("not both", tiny("--data", "power-sample", "--dimension", "6", "--json"));
        assertBadInput("glow", tiny("--dimension", "6", "--options", "maf,glow", "--json"));
        assertBadInput("identity alone", tiny("--dimension", "6", "--options", "identity", "--json"));
        assertBadInput("--batch", tiny("--dimension", "6", "--batch", "0", "--json"));
        assertBadInput("--dimension", tiny("--dimension", "0", "--json"));
        assertBadInput("2 features", tiny("--dimension", "1", "--options", "rq-c", "--json"));

        Outcome first = run(tiny("--dimension", "3", "--options", "planar", "--json"));
        Path file = Path.of(onlyJsonObject(first.stdout()).get("file").asText());
        Files.writeString(file, "{ not json");
        assertBadInput(file.toString(), tiny("--dimension", "3", "--options", "planar", "--json"));
    }

    private void assertBadInput(String expected, String... args) throws IOException {
        Outcome o = run(args);
        assertEquals(2, o.exitCode(), String.join(" ", args) + "\n" + o.stderr());
        JsonNode error = onlyJsonObject(o.stdout());
        assertEquals("error", error.get("status").asText());
        assertTrue(error.get("error").asText().contains(expected), expected + " in " + error);
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
