package io.autonf.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands track into the zero-server local store when given a directory instead of a server. */
class LocalTrackingTest {

    @TempDir
    Path dir;

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return AutoNf.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), AutoNf.availableCommands());
    }

    @Test
    void aTrainingRunLandsInTheLocalStoreWithItsMetricsTagsAndStatus() throws IOException {
        Path store = dir.resolve("mlruns");
        int code = run("train", "--data", "power-sample", "--arch", "maf", "--hidden", "8", "--steps", "20",
                "--batch", "64", "--val-every", "10", "--tracking-uri", "file:" + store, "--experiment", "local-test",
                "--json");
        assertEquals(0, code);
        Path runDir;
        try (Stream<Path> metas = Files.walk(store)) {
            List<Path> runs = metas.filter(p -> p.endsWith("meta.yaml") && p.getParent().getParent() != null
                    && Files.isDirectory(p.getParent().resolve("metrics"))).map(Path::getParent).toList();
            assertEquals(1, runs.size(), "exactly one run: " + runs);
            runDir = runs.get(0);
        }
        String meta = Files.readString(runDir.resolve("meta.yaml"));
        assertTrue(meta.contains("status: 3"), "the run ends FINISHED (3): " + meta);
        List<String> losses = Files.readAllLines(runDir.resolve("metrics/loss/train"));
        assertEquals(20, losses.size(), "one loss/train line per step");
        assertEquals("maf", Files.readString(runDir.resolve("tags/autonf.architecture")).strip());
        assertTrue(Files.exists(runDir.resolve("metrics/test_nll")));
        String experimentMeta = Files.readString(runDir.getParent().resolve("meta.yaml"));
        assertTrue(experimentMeta.contains("local-test"), experimentMeta);
    }
}
