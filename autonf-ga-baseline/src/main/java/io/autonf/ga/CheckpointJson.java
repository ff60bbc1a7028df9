package io.autonf.ga;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonf.flow.Architecture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of checkpoint files ({@link GaCheckpoint}, the study's checkpoint): exact round trips of the values a
 * resumed run must reproduce bit for bit, and atomic writes.
 *
 * <ul>
 *   <li><b>Doubles</b> are written with Java's shortest round-trip representation, so a value read back is the
 *       same double; NaN and the infinities, which JSON lacks, as the strings {@code "NaN"}, {@code "Infinity"}
 *       and {@code "-Infinity"}.</li>
 *   <li><b>Free-form records</b> (the {@code summary()} maps logged by trackers) keep their Java types: a number
 *       is tagged {@code {"int": 3}}, {@code {"long": 3}} or {@code {"double": 3.0}}, because a map read back as
 *       Integer where the run had put a Long would not be equal to the uninterrupted run's.</li>
 *   <li><b>Atomic</b>: a file is written next to its target and renamed over it, so a run killed while writing
 *       leaves the previous checkpoint intact.</li>
 * </ul>
 */
public final class CheckpointJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CheckpointJson() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** Writes {@code json} to {@code file} through a temporary file renamed over it. */
    public static void writeAtomically(Path file, JsonNode json) throws IOException {
        if (file == null || json == null) {
            throw new IllegalArgumentException("a file and its JSON are required");
        }
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, absolute.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temporary, text(json), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    public static JsonNode read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public static JsonNode parse(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String text(JsonNode json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checkpoint tree could not be written: " + e.getMessage(), e);
        }
    }

    /** Refuses a file of another kind or format version. */
    public static void requireFormat(JsonNode json, String kind, int version) {
        String k = json.path("kind").asText("");
        int v = json.path("format_version").asInt(-1);
        if (!k.equals(kind) || v != version) {
            throw new IllegalArgumentException("expected a " + kind + " checkpoint of format version " + version
                    + ", got kind '" + k + "' version " + v);
        }
    }

    public static JsonNode number(double value) {
        return Double.isFinite(value) ? NODES.numberNode(value) : NODES.textNode(Double.toString(value));
    }

    public static double toDouble(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new IllegalArgumentException("a number is missing from the checkpoint");
        }
        return node.isTextual() ? Double.parseDouble(node.asText()) : node.doubleValue();
    }

    public static JsonNode field(JsonNode json, String name) {
        JsonNode node = json.get(name);
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("the checkpoint has no '" + name + "'");
        }
        return node;
    }

    public static double doubleField(JsonNode json, String name) {
        return toDouble(field(json, name));
    }

    public static long longField(JsonNode json, String name) {
        return field(json, name).asLong();
    }

    public static int intField(JsonNode json, String name) {
        return field(json, name).asInt();
    }

    public static String textField(JsonNode json, String name) {
        JsonNode node = field(json, name);
        return node.isNull() ? null : node.asText();
    }

    /** A value of a {@code summary()} map with its Java type (see the class documentation). */
    public static JsonNode typed(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        ObjectNode tagged = object();
        switch (value) {
            case Integer i -> tagged.put("int", i);
            case Long l -> tagged.put("long", l);
            case Double d -> tagged.set("double", number(d));
            case Float f -> tagged.set("float", number(f));
            case Map<?, ?> map -> {
                ObjectNode entries = object();
                map.forEach((k, v) -> entries.set(String.valueOf(k), typed(v)));
                tagged.set("map", entries);
            }
            case List<?> list -> {
                ArrayNode items = array();
                list.forEach(v -> items.add(typed(v)));
                tagged.set("list", items);
            }
            default -> throw new IllegalArgumentException("a checkpoint cannot keep a " + value.getClass().getName()
                    + " (" + value + ") in a record; use a string, a number, a boolean, a list or a map");
        }
        return tagged;
    }

    /** The inverse of {@link #typed}: unmodifiable maps (in their order) and lists. */
    public static Object untyped(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        if (!node.isObject() || !fields.hasNext()) {
            throw new IllegalArgumentException("not a typed checkpoint value: " + node);
        }
        Map.Entry<String, JsonNode> tag = fields.next();
        JsonNode v = tag.getValue();
        return switch (tag.getKey()) {
            case "int" -> v.asInt();
            case "long" -> v.asLong();
            case "double" -> toDouble(v);
            case "float" -> (float) toDouble(v);
            case "map" -> typedMap(v);
            case "list" -> {
                List<Object> items = new ArrayList<>();
                v.forEach(item -> items.add(untyped(item)));
                yield java.util.Collections.unmodifiableList(items);
            }
            default -> throw new IllegalArgumentException("unknown type tag '" + tag.getKey() + "' in a checkpoint");
        };
    }

    /** A {@code summary()} map: its entries, typed. */
    public static ObjectNode typedMap(Map<String, Object> map) {
        ObjectNode entries = object();
        map.forEach((k, v) -> entries.set(k, typed(v)));
        return entries;
    }

    public static Map<String, Object> typedMap(JsonNode entries) {
        Map<String, Object> m = new LinkedHashMap<>();
        entries.fields().forEachRemaining(e -> m.put(e.getKey(), untyped(e.getValue())));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A fingerprint of a configuration: its summary as canonical text, compared on resume. */
    public static String fingerprint(Map<String, Object> summary) {
        try {
            return MAPPER.writeValueAsString(typedMap(summary));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a configuration summary could not be written: " + e.getMessage(), e);
        }
    }

    public static JsonNode candidate(CandidateEvaluation c) {
        ObjectNode o = object();
        o.put("index", c.index());
        o.put("generation", c.generation());
        o.put("architecture", c.architecture().toString());
        o.put("seed", c.seed());
        o.set("validation_nll", number(c.validationNll()));
        o.set("cost", number(c.cost()));
        o.set("fitness", number(c.fitness()));
        o.put("steps_run", c.stepsRun());
        o.put("layer_evaluations", c.layerEvaluations());
        o.put("training_time_ns", c.trainingTime().toNanos());
        o.put("failure", c.failure());
        return o;
    }

    public static CandidateEvaluation candidate(JsonNode o) {
        return new CandidateEvaluation(intField(o, "index"), intField(o, "generation"),
                Architecture.parse(textField(o, "architecture")), longField(o, "seed"),
                doubleField(o, "validation_nll"), doubleField(o, "cost"), doubleField(o, "fitness"),
                intField(o, "steps_run"), longField(o, "layer_evaluations"),
                Duration.ofNanos(longField(o, "training_time_ns")), textField(o, "failure"));
    }

    public static JsonNode generation(GenerationStatistics g) {
        ObjectNode o = object();
        o.put("generation", g.generation());
        o.set("best_fitness", number(g.bestFitness()));
        o.put("best_architecture", g.bestArchitecture().toString());
        o.set("best_so_far", number(g.bestSoFar()));
        o.set("mean_fitness", number(g.meanFitness()));
        o.put("failed_members", g.failedMembers());
        o.put("distinct_genotypes", g.distinctGenotypes());
        o.set("mean_hamming_distance", number(g.meanHammingDistance()));
        o.put("trainings", g.trainings());
        o.put("layer_evaluations", g.layerEvaluations());
        o.put("wall_time_ns", g.wallTime().toNanos());
        return o;
    }

    public static GenerationStatistics generation(JsonNode o) {
        return new GenerationStatistics(intField(o, "generation"), doubleField(o, "best_fitness"),
                Architecture.parse(textField(o, "best_architecture")), doubleField(o, "best_so_far"),
                doubleField(o, "mean_fitness"), intField(o, "failed_members"), intField(o, "distinct_genotypes"),
                doubleField(o, "mean_hamming_distance"), intField(o, "trainings"), longField(o, "layer_evaluations"),
                Duration.ofNanos(longField(o, "wall_time_ns")));
    }
}
