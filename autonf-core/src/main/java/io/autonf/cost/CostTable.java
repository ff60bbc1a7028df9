package io.autonf.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The measured cost of each candidate layer for one data dimension and one set of layer settings, with the
 * hardware it was measured on. All costs are per sample: seconds for {@link #cost}, operations for the FLOPs.
 *
 * <p>Saved as JSON ({@value #FORMAT_NAME}, version {@value #FORMAT_VERSION}; see {@code docs/cost-tables.md}),
 * written to a temporary file and renamed into place so a reader never sees half a table.
 *
 * @param formatVersion the file format version this table was read from or will be written as
 * @param created       when it was measured
 * @param hardware      what it was measured on
 * @param dimension     the data dimension D of the measured layers
 * @param settings      the layer settings of the measured layers
 * @param batch         rows per timed call
 * @param threads       threads that ran the timed calls (the cost model measures single-threaded: 1)
 * @param layers        the cost of each measured kind (never {@link LayerKind#IDENTITY})
 */
public record CostTable(int formatVersion, Instant created, Hardware hardware, int dimension, LayerSettings settings,
                        int batch, int threads, Map<LayerKind, LayerCost> layers) {

    public static final String FORMAT_NAME = "autonf-cost-table";
    public static final int FORMAT_VERSION = 1;

    /** Larger files are not cost tables; refuse them rather than read them into memory. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CostTable {
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("cost table format version " + formatVersion + " is not one this AutoNF "
                    + "knows (1 to " + FORMAT_VERSION + ")");
        }
        if (created == null || hardware == null || settings == null) {
            throw new IllegalArgumentException("a cost table needs its creation time, hardware and layer settings");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("cost table dimension must be positive, got " + dimension);
        }
        if (batch < 1 || threads < 1) {
            throw new IllegalArgumentException("cost table batch and threads must be positive, got batch " + batch
                    + ", threads " + threads);
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("a cost table needs the cost of at least one layer kind");
        }
        EnumMap<LayerKind, LayerCost> copy = new EnumMap<>(LayerKind.class);
        for (Map.Entry<LayerKind, LayerCost> e : layers.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("a cost table has a missing layer kind or cost");
            }
            if (e.getValue().kind() != e.getKey()) {
                throw new IllegalArgumentException("the cost filed under " + e.getKey() + " is the cost of "
                        + e.getValue().kind());
            }
            copy.put(e.getKey(), e.getValue());
        }
        layers = Collections.unmodifiableMap(copy);
    }

    /** The measured kinds, in {@link LayerKind} order. */
    public Set<LayerKind> kinds() {
        return layers.keySet();
    }

    /** True when every kind in {@code kinds} is measured here ({@link LayerKind#IDENTITY} needs no measurement). */
    public boolean covers(Collection<LayerKind> kinds) {
        for (LayerKind k : kinds) {
            if (k != LayerKind.IDENTITY && !layers.containsKey(k)) {
                return false;
            }
        }
        return true;
    }

    /** The full measurement of {@code kind}. */
    public LayerCost layerCost(LayerKind kind) {
        if (kind == null) {
            throw new IllegalArgumentException("a layer kind is required");
        }
        LayerCost c = layers.get(kind);
        if (c == null) {
            throw new IllegalArgumentException("the cost table has no cost for '" + kind + "'; it measured " + kinds()
                    + " (measure again with that kind among the options)");
        }
        return c;
    }

    /** Seconds per sample of one layer of {@code kind} for {@code emphasis}; {@link LayerKind#IDENTITY} costs 0. */
    public double cost(LayerKind kind, CostEmphasis emphasis) {
        if (emphasis == null) {
            throw new IllegalArgumentException("a cost emphasis is required");
        }
        return kind == LayerKind.IDENTITY ? 0 : layerCost(kind).seconds(emphasis);
    }

    /** Seconds per sample of a whole flow of this architecture: the sum over its layers. */
    public double architectureCost(Architecture architecture, CostEmphasis emphasis) {
        if (architecture == null) {
            throw new IllegalArgumentException("an architecture is required");
        }
        double sum = 0;
        for (LayerKind k : architecture.layers()) {
            sum += cost(k, emphasis);
        }
        return sum;
    }

    /** True when this table was measured for the same dimension and settings on the same hardware. */
    public boolean matches(int dimension, LayerSettings settings, Hardware hardware) {
        return this.dimension == dimension && this.settings.equals(settings) && this.hardware.equals(hardware);
    }

    /** This table with {@code extra} costs added (replacing any of the same kind). */
    public CostTable withCosts(Collection<LayerCost> extra) {
        EnumMap<LayerKind, LayerCost> all = new EnumMap<>(layers);
        for (LayerCost c : extra) {
            all.put(c.kind(), c);
        }
        return new CostTable(formatVersion, created, hardware, dimension, settings, batch, threads, all);
    }

    // ------------------------------------------------------------------------------------------------- JSON

    /** The table as the JSON text {@link #save} writes. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("format_version", FORMAT_VERSION);
        root.put("created", created.toString());
        ObjectNode hw = root.putObject("hardware");
        hw.put("cpu_model", hardware.cpuModel());
        hw.put("cores", hardware.cores());
        hw.put("jvm_vendor", hardware.jvmVendor());
        hw.put("jvm_version", hardware.jvmVersion());
        hw.put("os", hardware.os());
        hw.put("arch", hardware.arch());
        hw.put("vector_lanes", hardware.vectorLanes());
        root.put("dimension", dimension);
        ObjectNode s = root.putObject("layer_settings");
        s.put("hidden_features", settings.hiddenFeatures());
        s.put("blocks", settings.blocks());
        s.put("bins", settings.bins());
        s.put("tail_bound", settings.tailBound());
        s.put("precision", settings.precision().name().toLowerCase(Locale.ROOT));
        root.put("batch", batch);
        root.put("threads", threads);
        root.put("units", "per sample: seconds (forward, inverse, training) and floating-point operations (flops)");
        ObjectNode all = root.putObject("layers");
        for (LayerCost c : layers.values()) {
            ObjectNode l = all.putObject(c.kind().id());
            l.put("forward_seconds", c.forwardSeconds());
            l.put("inverse_seconds", c.inverseSeconds());
            l.put("training_seconds", c.trainingSeconds());
            l.put("forward_flops", c.forwardFlops());
            l.put("inverse_flops", c.inverseFlops());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a cost table as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a table from JSON text.
     *
     * @param source names the text in error messages (usually the file)
     * @throws IllegalArgumentException naming {@code source} when the text is not a cost table this AutoNF reads
     */
    public static CostTable fromJson(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not a valid cost table: not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " is not a valid cost table: not a JSON object");
        }
        try {
            String format = root.path("format").asText("");
            if (!FORMAT_NAME.equals(format)) {
                throw new IllegalArgumentException("its format is '" + format + "', not '" + FORMAT_NAME + "'");
            }
            int version = integer(root, "format_version");
            if (version > FORMAT_VERSION) {
                throw new IllegalArgumentException("it has format version " + version + ", newer than the versions 1 to "
                        + FORMAT_VERSION + " this AutoNF reads (upgrade AutoNF, or measure again)");
            }
            Instant created;
            try {
                created = Instant.parse(text(root, "created"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'created' is not an ISO-8601 instant: " + root.get("created"));
            }
            JsonNode hw = object(root, "hardware");
            Hardware hardware = new Hardware(text(hw, "cpu_model"), integer(hw, "cores"), text(hw, "jvm_vendor"),
                    text(hw, "jvm_version"), text(hw, "os"), text(hw, "arch"), integer(hw, "vector_lanes"));
            JsonNode s = object(root, "layer_settings");
            LayerSettings settings = new LayerSettings(integer(s, "hidden_features"), integer(s, "blocks"),
                    integer(s, "bins"), number(s, "tail_bound"), Precision.parse(text(s, "precision")));
            EnumMap<LayerKind, LayerCost> layers = new EnumMap<>(LayerKind.class);
            JsonNode all = object(root, "layers");
            for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                LayerKind kind = LayerKind.parse(e.getKey());
                JsonNode l = e.getValue();
                if (!l.isObject()) {
                    throw new IllegalArgumentException("layer '" + e.getKey() + "' is not an object");
                }
                layers.put(kind, new LayerCost(kind, number(l, "forward_seconds"), number(l, "inverse_seconds"),
                        number(l, "training_seconds"), number(l, "forward_flops"), number(l, "inverse_flops")));
            }
            return new CostTable(version, created, hardware, integer(root, "dimension"), settings,
                    integer(root, "batch"), integer(root, "threads"), layers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not a valid cost table: " + e.getMessage(), e);
        }
    }

    /** Writes the table to {@code file} atomically (creating its directory), replacing any file there. */
    public void save(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("a file to save the cost table to is required");
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // The rename must not become visible before the data it points at is on disk.
                channel.force(true);
            }
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
     * Reads a table saved by {@link #save}.
     *
     * @throws IllegalArgumentException naming the file when it is missing, corrupt, not a cost table or of a newer
     *                                  format version
     * @throws IOException              when the file exists but cannot be read
     */
    public static CostTable load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("a cost table file is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cost table " + file + " does not exist or is not a file");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + " is not a valid cost table: larger than " + MAX_FILE_BYTES
                    + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not a valid cost table: not UTF-8 text", e);
        }
        return fromJson(text, file.toString());
    }

    private static JsonNode object(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("the field '" + name + "' is missing or not an object");
        }
        return n;
    }

    private static String text(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("the field '" + name + "' is missing or not a string");
        }
        return n.asText();
    }

    private static int integer(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("the field '" + name + "' is missing or not an integer");
        }
        return n.intValue();
    }

    private static double number(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException("the field '" + name + "' is missing or not a number");
        }
        return n.doubleValue();
    }
}
