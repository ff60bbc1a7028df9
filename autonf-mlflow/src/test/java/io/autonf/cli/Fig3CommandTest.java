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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code autonf fig3} as shipped, on the bundled POWER slice with a short run. */
class Fig3CommandTest {

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

    @Test
    void shortRunReportsBothLossesAndWritesTheTrajectories() throws IOException {
        Outcome o = run("fig3", "--seeds", "4", "--steps", "40", "--batch", "128", "--out", dir.toString(), "--json");
        assertEquals(0, o.exitCode(), o.stderr());
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("ok", r.get("status").asText());
        assertEquals("power-sample", r.get("dataset").asText());
        JsonNode runs = r.get("runs");
        assertEquals(2, runs.size());
        assertEquals("original", runs.get(0).get("loss").asText());
        assertEquals("upper-bound", runs.get(1).get("loss").asText());
        for (JsonNode run : runs) {
            assertEquals(4, run.get("weights").size());
            assertEquals(4, run.get("architecture").asText().split(",").length);
            assertTrue(run.get("binarised_test_nll").isNumber());
            assertTrue(Files.size(Path.of(run.get("alpha_csv").asText())) > 0);
            Path png = Path.of(run.get("alpha_png").asText());
            assertNotNull(ImageIO.read(png.toFile()), png + " should decode");
        }
        assertTrue(r.get("m2_every_layer_one_hot").isBoolean());
    }

    @Test
    void badOptionsExitTwo() throws IOException {
        Outcome steps = run("fig3", "--steps", "0", "--out", dir.toString(), "--json");
        assertEquals(2, steps.exitCode(), steps.stderr());
        assertTrue(JSON.readTree(steps.stdout()).get("error").asText().contains("steps per block"));
        Outcome seeds = run("fig3", "--seeds", "1,1", "--out", dir.toString());
        assertEquals(2, seeds.exitCode(), seeds.stderr());
        Outcome lr = run("fig3", "--alpha-lr", "-1", "--out", dir.toString());
        assertEquals(2, lr.exitCode(), lr.stderr());
        assertTrue(lr.stderr().contains("--alpha-lr"), lr.stderr());
    }
}
