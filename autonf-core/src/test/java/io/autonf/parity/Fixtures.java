package io.autonf.parity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the JSON fixtures from the test class path. */
final class Fixtures {

    /** Unknown fields fail the read: a fixture format change must be noticed here, not half-ignored. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private Fixtures() {
    }

    /** The fixture names (file names without {@code .json}) in a class-path folder, sorted. */
    static List<String> names(String folder) {
        URL url = Fixtures.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalStateException("fixture folder '" + folder + "' is not on the test class path");
        }
        if (!"file".equals(url.getProtocol())) {
            throw new IllegalStateException("fixture folder '" + folder + "' is not a directory: " + url);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("fixture folder '" + folder + "' holds no .json file");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list fixture folder " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad fixture folder URL " + url, e);
        }
    }

    static <T> T read(String folder, String name, Class<T> type) {
        String resource = folder + "/" + name + ".json";
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture '" + resource + "' on the test class path");
            }
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + resource + ": " + e.getMessage(), e);
        }
    }
}
