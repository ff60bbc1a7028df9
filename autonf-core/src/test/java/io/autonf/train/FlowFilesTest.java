package io.autonf.train;

import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.CompositeTransform;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.transforms.ReversePermutation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowFilesTest {

    @TempDir
    Path dir;

    private static final LayerSettings SETTINGS = new LayerSettings(32, 1, 4, 2.5, Precision.FP64);
    private static final FlowSpec SPEC = new FlowSpec(Architecture.parse("maf,rq-c"), 3, SETTINGS, 7);

    private static TrainedFlow trained() {
        Flow flow = SPEC.build(TestFlows.FACTORY);
        // Move the parameters away from their initialisation, so that a loader that only rebuilds the flow fails.
        SplittableRandom rng = new SplittableRandom(8);
        for (Parameter p : flow.parameters().values()) {
            double[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextGaussian();
            }
            p.markUpdated();
        }
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("config", TrainingConfig.DEFAULTS.summary());
        training.put("best_validation_nll", 1.25);
        return new TrainedFlow(SPEC, flow, "gaussian-3d", training);
    }

    @Test
    void aSavedFlowLoadsBackIdentically() throws IOException {
        TrainedFlow saved = trained();
        Path file = dir.resolve("model.anf");
        FlowFiles.save(file, saved);
        TrainedFlow loaded = FlowFiles.load(file, TestFlows.FACTORY);

        assertEquals(SPEC, loaded.spec());
        assertEquals("gaussian-3d", loaded.dataset());
        assertEquals(1.25, loaded.training().get("best_validation_nll"));
        assertEquals(512, ((Map<?, ?>) loaded.training().get("config")).get("batch_size"));
        assertEquals(saved.flow().parameters().keySet(), loaded.flow().parameters().keySet());
        for (String name : saved.flow().parameters().keySet()) {
            assertArrayEquals(saved.flow().parameters().get(name).values(), loaded.flow().parameters().get(name).values(),
                    0.0, name);
        }
        Batch x = TestFlows.gaussian(5, new double[3], new double[] {1, 1, 1}, new SplittableRandom(9));
        assertArrayEquals(saved.flow().logProb(x), loaded.flow().logProb(x), 0.0);

        FlowFiles.Manifest manifest = FlowFiles.readManifest(file);
        assertEquals(FlowFiles.FORMAT_VERSION, manifest.formatVersion());
        assertEquals(List.of("1.s", "1.t", "3.s", "3.t"), manifest.parameters().stream().map(FlowFiles.StoredParameter::name).toList());
        assertEquals(List.of(0L, 3L, 6L, 9L), manifest.parameters().stream().map(FlowFiles.StoredParameter::offset).toList());
        assertEquals(12, manifest.valueCount());
    }

    @Test
    void savingReplacesAnOldFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.anf");
        Files.writeString(file, "an older file");
        FlowFiles.save(file, trained());
        FlowFiles.load(file, TestFlows.FACTORY);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Path fresh = dir.resolve("fresh.anf");
            FlowFiles.save(fresh, trained());
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)),
                    "a new model file is readable like any other file, not owner-only like a temporary file");
        }
    }

    @Test
    void aFailedSaveLeavesTheOldFileUntouched() throws IOException {
        Path file = dir.resolve("model.anf");
        FlowFiles.save(file, trained());
        byte[] before = Files.readAllBytes(file);
        TrainedFlow unwritable = new TrainedFlow(SPEC, trained().flow(), "x", Map.of("not json", new Object()));
        assertThrows(IllegalArgumentException.class, () -> FlowFiles.save(file, unwritable));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
        assertThrows(IOException.class, () -> FlowFiles.save(dir.resolve("missing/dir/model.anf"), trained()));
    }

    /** A factory like the test one but with one more or one fewer layer, or a differently shaped parameter. */
    private static FlowFactory variant(int extraLayers, boolean reshapeS) {
        return (architecture, dimension, settings, rng) -> {
            List<Transform> parts = new ArrayList<>();
            for (int i = 0; i < architecture.size() + extraLayers; i++) {
                parts.add(new ReversePermutation(dimension));
                parts.add(reshapeS ? new ElementwiseAffine(dimension, new int[] {1, dimension}) : ElementwiseAffine.random(dimension, rng));
            }
            return new Flow(new CompositeTransform(parts));
        };
    }

    @Test
    void parametersThatDoNotMatchTheArchitectureAreRefusedByName() throws IOException {
        Path file = dir.resolve("model.anf");
        FlowFiles.save(file, trained());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> FlowFiles.load(file, variant(1, false)));
        assertTrue(missing.getMessage().contains("lacks parameters [5.s, 5.t]"), missing.getMessage());

        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> FlowFiles.load(file, variant(-1, false)));
        assertTrue(extra.getMessage().contains("has no parameters [3.s, 3.t]"), extra.getMessage());

        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> FlowFiles.load(file, variant(0, true)));
        assertTrue(shape.getMessage().contains("'1.s' has shape [3] in the file but [1, 3]"), shape.getMessage());
    }

    private Path zip(String name, String manifest, byte[] values) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(FlowFiles.MANIFEST_ENTRY));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            if (values != null) {
                zip.putNextEntry(new ZipEntry(FlowFiles.PARAMETERS_ENTRY));
                zip.write(values);
                zip.closeEntry();
            }
        }
        return file;
    }

    private static final String GOOD_MANIFEST = """
            {"format": "autonf-flow", "format_version": %d, "architecture": "maf", "dimension": 2,
             "layer_settings": {"hidden_features": 8, "blocks": 1, "bins": 4, "tail_bound": 3.0, "precision": "fp32"},
             "seed": 1, "dataset": "d", "training": {},
             "parameters": [{"name": "1.s", "shape": [2], "offset": 0}, {"name": "1.t", "shape": [2], "offset": 2}]}
            """;

    @Test
    void aHandWrittenFileInTheDocumentedFormatLoads() throws IOException {
        byte[] values = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putDouble(0.5).putDouble(-0.5).putDouble(1.0).putDouble(2.0).array();
        TrainedFlow loaded = FlowFiles.load(zip("hand.anf", GOOD_MANIFEST.formatted(1), values), TestFlows.FACTORY);
        assertArrayEquals(new double[] {0.5, -0.5}, loaded.flow().parameters().get("1.s").values(), 0.0);
        assertArrayEquals(new double[] {1.0, 2.0}, loaded.flow().parameters().get("1.t").values(), 0.0);
        assertEquals(Precision.FP32, loaded.spec().settings().precision());
    }

    @Test
    void unreadableFilesFailWithAClearMessage() throws IOException {
        IllegalArgumentException newer = assertThrows(IllegalArgumentException.class,
                () -> FlowFiles.load(zip("v2.anf", GOOD_MANIFEST.formatted(2), new byte[32]), TestFlows.FACTORY));
        assertTrue(newer.getMessage().contains("version 2") && newer.getMessage().contains("upgrade"), newer.getMessage());

        IllegalArgumentException shortValues = assertThrows(IllegalArgumentException.class,
                () -> FlowFiles.load(zip("short.anf", GOOD_MANIFEST.formatted(1), new byte[24]), TestFlows.FACTORY));
        assertTrue(shortValues.getMessage().contains("24 bytes"), shortValues.getMessage());

        IllegalArgumentException noValues = assertThrows(IllegalArgumentException.class,
                () -> FlowFiles.load(zip("novalues.anf", GOOD_MANIFEST.formatted(1), null), TestFlows.FACTORY));
        assertTrue(noValues.getMessage().contains(FlowFiles.PARAMETERS_ENTRY), noValues.getMessage());

        IllegalArgumentException missingField = assertThrows(IllegalArgumentException.class,
                () -> FlowFiles.readManifest(zip("nodim.anf", GOOD_MANIFEST.formatted(1).replace("\"dimension\": 2,", ""), null)));
        assertTrue(missingField.getMessage().contains("'dimension'"), missingField.getMessage());

        Path text = dir.resolve("notes.anf");
        Files.writeString(text, "not a zip");
        assertThrows(IllegalArgumentException.class, () -> FlowFiles.load(text, TestFlows.FACTORY));
        assertThrows(IllegalArgumentException.class, () -> FlowFiles.load(dir.resolve("absent.anf"), TestFlows.FACTORY));
    }

    @Test
    void aCorruptedFileIsNotLoadedSilently() throws IOException {
        Path file = dir.resolve("model.anf");
        FlowFiles.save(file, trained());
        byte[] bytes = Files.readAllBytes(file);
        // Flip one bit in every byte of the middle third in turn would be slow; a handful of positions is enough.
        for (int k = 1; k <= 5; k++) {
            byte[] copy = bytes.clone();
            int at = bytes.length * k / 6;
            copy[at] ^= 0x10;
            Path bad = dir.resolve("bad" + k + ".anf");
            Files.write(bad, copy);
            try {
                TrainedFlow loaded = FlowFiles.load(bad, TestFlows.FACTORY);
                // A flip in zip metadata that the format does not read (e.g. a timestamp) may load; the values must then be intact.
                for (String name : loaded.flow().parameters().keySet()) {
                    assertArrayEquals(trained().flow().parameters().get(name).values(),
                            loaded.flow().parameters().get(name).values(), 0.0, "corruption at byte " + at + " went unnoticed");
                }
            } catch (IOException | IllegalArgumentException expected) {
                // refused: fine
            }
        }
    }
}
