package io.autonf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonf.flow.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Shared helpers for the data tests: fixture paths, JSON, hand-made .npy bytes, matrix comparison. */
final class DataFixtures {

    private DataFixtures() {
    }

    /** A test resource as a file path, e.g. {@code fixtures/maf/power}. */
    static Path resource(String name) {
        try {
            var url = DataFixtures.class.getResource("/" + name);
            if (url == null) {
                throw new IllegalStateException("test resource " + name + " is missing; run tools/fixtures/data/*.py");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(resource(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[][] matrix(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            out[r] = new double[rows.get(r).size()];
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = rows.get(r).get(c).asDouble();
            }
        }
        return out;
    }

    /** Copies a fixture folder (flat) into {@code target}, creating it. */
    static Path copyFolder(String resourceFolder, Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(resource(resourceFolder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName().toString()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertMatrixClose(Batch expected, Batch actual, double tolerance, String what) {
        assertEquals(expected.rows(), actual.rows(), what + " rows");
        assertEquals(expected.cols(), actual.cols(), what + " columns");
        for (int i = 0; i < expected.values().length; i++) {
            double e = expected.values()[i];
            double a = actual.values()[i];
            if (!(Math.abs(e - a) <= tolerance)) {
                fail(what + ": row " + (i / expected.cols()) + " column " + (i % expected.cols()) + " expected " + e
                        + " but was " + a + " (|diff| " + Math.abs(e - a) + " > " + tolerance + ")");
            }
        }
    }

    /** Largest |a - b| over all entries. */
    static double maxAbsDiff(Batch expected, Batch actual) {
        double max = 0;
        for (int i = 0; i < expected.values().length; i++) {
            max = Math.max(max, Math.abs(expected.values()[i] - actual.values()[i]));
        }
        return max;
    }

    /** A .npy file image with the given header dict text and body, as a version 1.0 file. */
    static byte[] npyBytes(String dict, byte[] body) {
        return npyBytes(1, dict, body);
    }

    /** A .npy file image of the given major version (1 uses a 2-byte length field, 2 and 3 a 4-byte one). */
    static byte[] npyBytes(int major, String dict, byte[] body) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer buffer = ByteBuffer.allocate(8 + lengthBytes + header.length + body.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            buffer.putShort((short) header.length);
        } else {
            buffer.putInt(header.length);
        }
        buffer.put(header).put(body);
        return buffer.array();
    }

    /** Values encoded as float64 or float32 in the given byte order. */
    static byte[] encode(double[] values, boolean float32, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * (float32 ? 4 : 8)).order(order);
        for (double v : values) {
            if (float32) {
                buffer.putFloat((float) v);
            } else {
                buffer.putDouble(v);
            }
        }
        return buffer.array();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path writeText(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
