package io.autonf.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonf.flow.Architecture;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Saves and loads trained flows as {@code .anf} files: a zip holding {@value #MANIFEST_ENTRY} (what the flow is)
 * and {@value #PARAMETERS_ENTRY} (its parameter values as little-endian float64). The format is documented in
 * {@code docs/model-format.md}.
 *
 * <p>Saving writes a temporary file next to the target and renames it into place, so a reader never sees a
 * half-written model and a failed save leaves any earlier file untouched. Loading reads through
 * {@link ZipInputStream}, which checks each entry's CRC, so a corrupted file fails instead of loading wrong
 * numbers.
 */
public final class FlowFiles {

    public static final String FORMAT_NAME = "autonf-flow";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST_ENTRY = "model.json";
    public static final String PARAMETERS_ENTRY = "parameters.bin";

    /** A model.json larger than this is not one of ours; refuse it rather than read it into memory. */
    private static final int MAX_MANIFEST_BYTES = 64 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowFiles() {
    }

    /** One parameter as recorded in the manifest: its values are {@code parameters.bin[offset, offset + size)}. */
    public record StoredParameter(String name, List<Integer> shape, long offset) {

        public StoredParameter {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a stored parameter needs a name");
            }
            if (shape == null || shape.isEmpty() || shape.stream().anyMatch(s -> s == null || s < 1)) {
                throw new IllegalArgumentException("parameter '" + name + "' has an invalid shape " + shape);
            }
            if (offset < 0) {
                throw new IllegalArgumentException("parameter '" + name + "' has a negative offset " + offset);
            }
            shape = List.copyOf(shape);
        }

        /** Number of float64 values. */
        public long size() {
            long size = 1;
            for (int s : shape) {
                size = Math.multiplyExact(size, s);
            }
            return size;
        }
    }

    /** The contents of {@value #MANIFEST_ENTRY}: everything about a saved flow except its parameter values. */
    public record Manifest(int formatVersion, FlowSpec spec, String dataset, Map<String, Object> training,
                           List<StoredParameter> parameters) {

        public Manifest {
            parameters = List.copyOf(parameters);
        }

        /** Total number of float64 values in {@value #PARAMETERS_ENTRY}. */
        public long valueCount() {
            long n = 0;
            for (StoredParameter p : parameters) {
                n = Math.max(n, p.offset() + p.size());
            }
            return n;
        }
    }

    /** Writes {@code model} to {@code path} atomically, replacing any file there. */
    public static void save(Path path, TrainedFlow model) throws IOException {
        if (path == null || model == null) {
            throw new IllegalArgumentException("a path and a model are required");
        }
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Map<String, Parameter> parameters = model.flow().parameters();
        byte[] manifest = manifestJson(model, parameters);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(channel);
                ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw, 1 << 16));
                zip.putNextEntry(new ZipEntry(MANIFEST_ENTRY));
                zip.write(manifest);
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(PARAMETERS_ENTRY));
                writeValues(zip, parameters);
                zip.closeEntry();
                zip.finish();
                zip.flush();
                // The rename must not become visible before the data it points at is on disk.
                channel.force(true);
            }
            keepOrSetPermissions(temp, target);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Temporary files are created readable by their owner only; a model file should be as readable as any
     * other, so it keeps the permissions of the file it replaces, or gets rw-r--r--.
     */
    private static void keepOrSetPermissions(Path temp, Path target) throws IOException {
        if (!Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temp, permissions);
    }

    /**
     * Reads a model file: builds the flow its manifest describes with {@code factory}, then copies every
     * parameter into it by name.
     *
     * @throws IllegalArgumentException if the file is not a flow file of a known version, or its parameters do
     *                                  not match the flow the factory builds (missing or extra names, other shapes)
     * @throws IOException              if the file cannot be read or is corrupted
     */
    public static TrainedFlow load(Path path, FlowFactory factory) throws IOException {
        if (factory == null) {
            throw new IllegalArgumentException("a flow factory is required to load " + path);
        }
        Contents contents = readContents(path, true);
        Manifest manifest = contents.manifest();
        Flow flow = manifest.spec().build(factory);
        Map<String, Parameter> target = flow.parameters();
        checkNamesAndShapes(path, manifest, target);
        ByteBuffer values = ByteBuffer.wrap(contents.values()).order(ByteOrder.LITTLE_ENDIAN);
        for (StoredParameter stored : manifest.parameters()) {
            Parameter p = target.get(stored.name());
            double[] v = new double[p.size()];
            values.position(Math.toIntExact(stored.offset() * Double.BYTES));
            values.asDoubleBuffer().get(v);
            p.set(v);
        }
        return new TrainedFlow(manifest.spec(), flow, manifest.dataset(), manifest.training());
    }

    /** Reads only the manifest of a model file, without building the flow. */
    public static Manifest readManifest(Path path) throws IOException {
        return readContents(path, false).manifest();
    }

    private record Contents(Manifest manifest, byte[] values) {
    }

    private static Contents readContents(Path path, boolean withValues) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("a model path is required");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("model file " + path + " does not exist or is not a file");
        }
        Manifest manifest = null;
        byte[] values = null;
        try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().equals(MANIFEST_ENTRY)) {
                    byte[] json = zip.readNBytes(MAX_MANIFEST_BYTES + 1);
                    if (json.length > MAX_MANIFEST_BYTES) {
                        throw new IllegalArgumentException(path + ": " + MANIFEST_ENTRY + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
                    }
                    zip.transferTo(OutputStream.nullOutputStream()); // reaches the entry's end, where its CRC is checked
                    manifest = parseManifest(path, json);
                    if (!withValues) {
                        return new Contents(manifest, null);
                    }
                } else if (entry.getName().equals(PARAMETERS_ENTRY)) {
                    if (manifest == null) {
                        throw new IllegalArgumentException(path + ": " + PARAMETERS_ENTRY + " comes before " + MANIFEST_ENTRY
                                + "; not a file written by AutoNF");
                    }
                    long expected = manifest.valueCount() * Double.BYTES;
                    if (expected > Integer.MAX_VALUE - 8) {
                        throw new IllegalArgumentException(path + ": " + manifest.valueCount() + " parameter values are too many to load");
                    }
                    values = zip.readNBytes((int) expected + 1);
                    zip.transferTo(OutputStream.nullOutputStream());
                    if (values.length != expected) {
                        throw new IllegalArgumentException(path + ": " + PARAMETERS_ENTRY + " holds " + values.length
                                + " bytes but the manifest describes " + expected + " (" + manifest.valueCount() + " float64 values)");
                    }
                }
            }
        } catch (ZipException e) {
            throw new IOException(path + " is not a readable model file (" + e.getMessage() + ")", e);
        }
        if (manifest == null) {
            throw new IllegalArgumentException(path + " has no " + MANIFEST_ENTRY + "; not an AutoNF model file");
        }
        if (values == null) {
            throw new IllegalArgumentException(path + " has no " + PARAMETERS_ENTRY + "; the model file is incomplete");
        }
        return new Contents(manifest, values);
    }

    private static void checkNamesAndShapes(Path path, Manifest manifest, Map<String, Parameter> target) {
        Set<String> stored = new LinkedHashSet<>();
        for (StoredParameter p : manifest.parameters()) {
            if (!stored.add(p.name())) {
                throw new IllegalArgumentException(path + " lists parameter '" + p.name() + "' twice");
            }
        }
        String built = "the flow built from '" + manifest.spec().architecture() + "'";
        Set<String> missing = new LinkedHashSet<>(target.keySet());
        missing.removeAll(stored);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(path + " does not match " + built + ": the file lacks parameters " + missing);
        }
        Set<String> extra = new LinkedHashSet<>(stored);
        extra.removeAll(target.keySet());
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(path + " does not match " + built + ": the flow has no parameters " + extra);
        }
        for (StoredParameter p : manifest.parameters()) {
            int[] want = target.get(p.name()).shape();
            int[] have = p.shape().stream().mapToInt(Integer::intValue).toArray();
            if (!Arrays.equals(want, have)) {
                throw new IllegalArgumentException(path + ": parameter '" + p.name() + "' has shape " + Arrays.toString(have)
                        + " in the file but " + Arrays.toString(want) + " in " + built);
            }
        }
    }

    private static byte[] manifestJson(TrainedFlow model, Map<String, Parameter> parameters) {
        FlowSpec spec = model.spec();
        LayerSettings s = spec.settings();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("format_version", FORMAT_VERSION);
        root.put("architecture", spec.architecture().toString());
        root.put("dimension", spec.dimension());
        ObjectNode settings = root.putObject("layer_settings");
        settings.put("hidden_features", s.hiddenFeatures());
        settings.put("blocks", s.blocks());
        settings.put("bins", s.bins());
        settings.put("tail_bound", s.tailBound());
        settings.put("precision", s.precision().name().toLowerCase(Locale.ROOT));
        root.put("seed", spec.seed());
        root.put("dataset", model.dataset());
        root.set("training", JSON.valueToTree(model.training()));
        root.put("value_type", "float64");
        root.put("byte_order", "little_endian");
        ArrayNode list = root.putArray("parameters");
        long offset = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            ObjectNode p = list.addObject();
            p.put("name", e.getKey());
            ArrayNode shape = p.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            p.put("offset", offset);
            offset += e.getValue().size();
        }
        root.put("value_count", offset);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the model manifest: " + e.getOriginalMessage(), e);
        }
    }

    private static void writeValues(OutputStream out, Map<String, Parameter> parameters) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Parameter p : parameters.values()) {
            for (double v : p.values()) {
                if (buffer.remaining() < Double.BYTES) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putDouble(v);
            }
        }
        out.write(buffer.array(), 0, buffer.position());
    }

    private static Manifest parseManifest(Path path, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": " + MANIFEST_ENTRY + " is not valid JSON (" + e.getMessage() + ")", e);
        }
        Fields f = new Fields(path, root);
        String format = f.text("format");
        if (!FORMAT_NAME.equals(format)) {
            throw new IllegalArgumentException(path + " is a '" + format + "' file, not an AutoNF model ('" + FORMAT_NAME + "')");
        }
        int version = f.integer("format_version");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException(path + " has model format version " + version + "; this AutoNF reads versions 1 to "
                    + FORMAT_VERSION + (version > FORMAT_VERSION ? " (upgrade AutoNF to read it)" : ""));
        }
        if (root.has("value_type") && !"float64".equals(root.get("value_type").asText())
                || root.has("byte_order") && !"little_endian".equals(root.get("byte_order").asText())) {
            throw new IllegalArgumentException(path + " stores parameters as " + root.get("value_type") + " "
                    + root.get("byte_order") + "; only little-endian float64 is supported");
        }
        try {
            Fields s = new Fields(path, f.object("layer_settings"));
            LayerSettings settings = new LayerSettings(s.integer("hidden_features"), s.integer("blocks"), s.integer("bins"),
                    s.number("tail_bound"), Precision.parse(s.text("precision")));
            FlowSpec spec = new FlowSpec(Architecture.parse(f.text("architecture")), f.integer("dimension"), settings,
                    f.longInteger("seed"));
            String dataset = root.path("dataset").asText("");
            Map<String, Object> training = root.has("training")
                    ? JSON.convertValue(root.get("training"), new TypeReference<LinkedHashMap<String, Object>>() { })
                    : Map.of();
            List<StoredParameter> parameters = new ArrayList<>();
            JsonNode list = root.get("parameters");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("field 'parameters' must be a list");
            }
            for (JsonNode node : list) {
                Fields p = new Fields(path, node);
                List<Integer> shape = new ArrayList<>();
                JsonNode dims = node.get("shape");
                if (dims == null || !dims.isArray()) {
                    throw new IllegalArgumentException("parameter " + node.get("name") + " has no 'shape' list");
                }
                for (JsonNode d : dims) {
                    if (!d.canConvertToInt()) {
                        throw new IllegalArgumentException("parameter " + node.get("name") + " has a non-integer size " + d);
                    }
                    shape.add(d.intValue());
                }
                parameters.add(new StoredParameter(p.text("name"), shape, p.longInteger("offset")));
            }
            return new Manifest(version, spec, dataset, training, parameters);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(path + ": invalid " + MANIFEST_ENTRY + ": " + e.getMessage(), e);
        }
    }

    /** Required manifest fields with messages that name the missing or mistyped field. */
    private record Fields(Path path, JsonNode node) {

        private JsonNode field(String name) {
            JsonNode v = node == null ? null : node.get(name);
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException(path + ": " + MANIFEST_ENTRY + " lacks the field '" + name + "'");
            }
            return v;
        }

        String text(String name) {
            JsonNode v = field(name);
            if (!v.isTextual()) {
                throw new IllegalArgumentException(path + ": field '" + name + "' must be a string, got " + v);
            }
            return v.asText();
        }

        int integer(String name) {
            JsonNode v = field(name);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException(path + ": field '" + name + "' must be an integer, got " + v);
            }
            return v.intValue();
        }

        long longInteger(String name) {
            JsonNode v = field(name);
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException(path + ": field '" + name + "' must be an integer, got " + v);
            }
            return v.longValue();
        }

        double number(String name) {
            JsonNode v = field(name);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(path + ": field '" + name + "' must be a number, got " + v);
            }
            return v.doubleValue();
        }

        JsonNode object(String name) {
            JsonNode v = field(name);
            if (!v.isObject()) {
                throw new IllegalArgumentException(path + ": field '" + name + "' must be an object, got " + v);
            }
            return v;
        }
    }
}
