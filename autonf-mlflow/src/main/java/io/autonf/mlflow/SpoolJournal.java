package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The append-only file behind a {@link SpoolingStore}: one JSON object per line. The first line is a header
 * ({@code {"journal":1,"tracking_uri":...}}); then records ({@code {"seq":n,"op":...}}) and acknowledgements
 * ({@code {"ack":n,...}}) in any interleaving. An artifact's bytes are kept in the sibling directory
 * {@code <name>.blobs/<seq>.bin} so that a large file never sits inside a JSON line. Not thread-safe: the store
 * serialises every call.
 */
final class SpoolJournal {

    static final String SUFFIX = ".jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a journal held when it was opened again: its header, its records and its acknowledgements, in file order. */
    record Contents(JsonNode header, List<ObjectNode> records, List<ObjectNode> acks) {
    }

    private final Path file;
    private final Path blobs;
    private FileChannel channel;

    SpoolJournal(Path file) {
        this.file = Objects.requireNonNull(file, "journal file").toAbsolutePath();
        String name = this.file.getFileName().toString();
        String base = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        this.blobs = this.file.resolveSibling(base + ".blobs");
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** Creates the file with {@code header} as its first line (durably), unless it exists already. */
    void create(ObjectNode header) {
        if (channel != null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            lock();
            write(header, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the tracking journal " + file, e);
        }
    }

    /**
     * Reads the journal for appending more. A last line cut short by a crash is dropped from the file, so that
     * the next append starts on a line of its own.
     */
    Contents open() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            JsonNode header = null;
            List<ObjectNode> records = new ArrayList<>();
            List<ObjectNode> acks = new ArrayList<>();
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalArgumentException("journal " + file + " has a line that is not a JSON object: " + line);
                }
                if (node.has("journal")) {
                    header = node;
                } else if (node.has("ack")) {
                    acks.add(object);
                } else if (node.has("seq")) {
                    records.add(object);
                } else {
                    throw new IllegalArgumentException("journal " + file + " has a line of unknown kind: " + line);
                }
            }
            if (header == null) {
                throw new IllegalArgumentException(file + " is not a tracking journal (no header line)");
            }
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            lock();
            channel.truncate(end);
            channel.position(end);
            return new Contents(header, records, acks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tracking journal " + file, e);
        }
    }

    /**
     * Holds the file for this process until {@link #close()}, so that a {@code sync} never replays the journal of a
     * command that is still running (or another {@code sync}'s).
     */
    private void lock() throws IOException {
        boolean locked;
        try {
            locked = channel.tryLock() != null;
        } catch (OverlappingFileLockException sameProcess) {
            locked = false;
        }
        if (!locked) {
            channel.close();
            channel = null;
            throw new TrackingException("the tracking journal " + file + " is in use by another process");
        }
    }

    /** Appends one line; {@code durable}: forced to the disk before returning. */
    void append(ObjectNode line, boolean durable) {
        try {
            write(line, durable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the tracking journal " + file, e);
        }
    }

    private void write(ObjectNode line, boolean durable) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        if (durable) {
            channel.force(false);
        }
    }

    /** Stores an artifact's bytes durably under the record's sequence number; returns the file name. */
    String putBlob(long seq, byte[] content) {
        String name = seq + ".bin";
        try {
            Files.createDirectories(blobs);
            try (FileChannel out = FileChannel.open(blobs.resolve(name), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep an artifact in " + blobs, e);
        }
        return name;
    }

    byte[] blob(String name) {
        try {
            return Files.readAllBytes(blobs.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("the spooled artifact " + blobs.resolve(name) + " is gone", e);
        }
    }

    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Every line that matters was forced already.
            }
            channel = null;
        }
    }

    /** Removes the journal and its artifacts (everything in it reached the server). */
    void delete() {
        close();
        try {
            if (Files.isDirectory(blobs)) {
                try (Stream<Path> files = Files.walk(blobs)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the drained tracking journal " + file, e);
        }
    }

    /** The journals ({@code *.jsonl}) in {@code dir}, oldest name first, or {@code path} itself when it is a file. */
    static List<Path> find(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no tracking journal or spool directory at " + path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the spool directory " + path, e);
        }
    }
}
