package io.autonf.search;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;

import java.util.HashSet;
import java.util.List;

/**
 * What the search chooses from: {@code layers} positions, each one of the same {@code options}, every
 * candidate built with {@code settings}. There are {@code options.size()^layers} architectures.
 */
public record SearchSpace(int layers, List<LayerKind> options, LayerSettings settings) {

    public SearchSpace {
        if (layers < 1) {
            throw new IllegalArgumentException("a search needs at least one layer, got " + layers);
        }
        if (options == null || options.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one option per layer");
        }
        options = List.copyOf(options);
        if (new HashSet<>(options).size() != options.size()) {
            throw new IllegalArgumentException("options repeat: " + options);
        }
        if (settings == null) {
            throw new IllegalArgumentException("layer settings are required");
        }
    }

    public int optionCount() {
        return options.size();
    }

    public LayerKind option(int index) {
        return options.get(index);
    }
}
