package io.autonf.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@value #FILE_NAME} artifact of a run: the chosen architecture layer by layer, the options the search chose
 * from, the layer settings every layer is built with, and the softmax weight of every option of every layer at
 * the end of the search. Written for people and tools alike; {@link #architecture(String)} reads the architecture
 * back.
 */
public final class ArchitectureJson {

    public static final String FILE_NAME = "architecture.json";
    public static final String FORMAT_NAME = "autonf-architecture";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ArchitectureJson() {
    }

    /**
     * @param architecture the chosen layers, first nearest the data
     * @param options      the candidate kinds, in the order of the weights' columns (empty when no search chose)
     * @param weights      per layer, the final softmax weight of each option; null when there was no search
     * @param settings     how every layer is built
     * @param dimension    features of the data
     */
    public static String write(Architecture architecture, List<LayerKind> options, double[][] weights,
                               LayerSettings settings, int dimension) {
        if (architecture == null || options == null || settings == null) {
            throw new IllegalArgumentException("architecture.json needs an architecture, the options and the settings");
        }
        if (weights != null && weights.length != architecture.size()) {
            throw new IllegalArgumentException("architecture " + architecture + " has " + architecture.size()
                    + " layers but weights are given for " + weights.length);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("format_version", FORMAT_VERSION);
        root.put("architecture", architecture.toString());
        root.put("dimension", dimension);
        ArrayNode optionIds = root.putArray("options");
        options.forEach(o -> optionIds.add(o.id()));
        ObjectNode s = root.putObject("layer_settings");
        s.put("hidden_features", settings.hiddenFeatures());
        s.put("blocks", settings.blocks());
        s.put("bins", settings.bins());
        s.put("tail_bound", settings.tailBound());
        s.put("precision", settings.precision().name().toLowerCase(Locale.ROOT));
        ArrayNode layers = root.putArray("layers");
        for (int i = 0; i < architecture.size(); i++) {
            ObjectNode layer = layers.addObject();
            layer.put("index", i);
            layer.put("kind", architecture.layer(i).id());
            layer.put("description", architecture.layer(i).description());
            if (weights != null) {
                if (weights[i].length != options.size()) {
                    throw new IllegalArgumentException("layer " + i + " has " + weights[i].length + " weights for "
                            + options.size() + " options " + options);
                }
                ObjectNode w = layer.putObject("weights");
                for (int j = 0; j < options.size(); j++) {
                    w.put(options.get(j).id(), weights[i][j]);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write architecture.json: " + e.getOriginalMessage(), e);
        }
    }

    /** The architecture recorded in {@code json} (its {@code layers} list, checked against its string form). */
    public static Architecture architecture(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(FILE_NAME + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !FORMAT_NAME.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not an " + FORMAT_NAME + " document: format is " + (root == null ? null
                    : root.get("format")));
        }
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new IllegalArgumentException(FILE_NAME + " has no 'layers' list");
        }
        List<LayerKind> kinds = new ArrayList<>();
        for (JsonNode layer : layers) {
            kinds.add(LayerKind.parse(layer.path("kind").asText("")));
        }
        Architecture architecture = new Architecture(kinds);
        String stated = root.path("architecture").asText("");
        if (!stated.equals(architecture.toString())) {
            throw new IllegalArgumentException(FILE_NAME + " says architecture '" + stated + "' but its layers are "
                    + architecture);
        }
        return architecture;
    }
}
