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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as shipped: the real layer factory, the real data loader and the bundled data. */
class ShippedCommandsTest {

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
    void trainsEveryLayerKindOnTheBundledPowerSliceAndSavesALoadableModel() throws IOException {
        Path model = dir.resolve("power.anf");
        Outcome o = run("train", "--data", "power-sample", "--arch", "rq-c,maf,affine-c,rq-ar,planar,radial",
                "--hidden", "16", "--steps", "150", "--batch", "128", "--lr", "3e-3", "--val-every", "50",
                "--threads", "2", "--seed", "5", "--out", model.toString(), "--json");
        assertEquals(0, o.exitCode(), o.stderr());
        JsonNode r = JSON.readTree(o.stdout());
        assertEquals("power-sample", r.get("dataset").asText());
        assertEquals(6, r.get("dimension").asInt());
        double testNll = r.get("test_nll").asDouble();
        // Standardised 6-D data: a flow that learned nothing scores the N(0, I) entropy, about 8.51 nats.
        double standardNormalEntropy = 3 * Math.log(2 * Math.PI * Math.E);
        assertTrue(testNll < standardNormalEntropy - 1.0, "test NLL " + testNll + " should beat N(0, I) clearly");
        assertTrue(Files.size(model) > 0);

        Outcome info = run("info", model.toString(), "--json");
        assertEquals(0, info.exitCode(), info.stderr());
        assertEquals("rq-c,maf,affine-c,rq-ar,planar,radial", JSON.readTree(info.stdout()).get("architecture").asText());
    }

    @Test
    void aBadDataFileExitsTwoNamingTheFileRowAndColumn() throws IOException {
        Path csv = dir.resolve("bad.csv");
        StringBuilder text = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 40; i++) {
            text.append(i == 17 ? "1,nan,3\n" : "1,2,3\n");
        }
        Files.writeString(csv, text);
        Outcome o = run("train", "--data", csv.toString(), "--arch", "maf", "--json");
        assertEquals(2, o.exitCode(), o.stderr());
        String error = JSON.readTree(o.stdout()).get("error").asText();
        assertTrue(error.contains("bad.csv") && error.contains("18") && (error.contains("column 2") || error.contains("'b'")),
                error);
    }
}
