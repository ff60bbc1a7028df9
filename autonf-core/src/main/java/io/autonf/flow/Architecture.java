package io.autonf.flow;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A flow architecture: the non-linear transform of each layer, first layer (nearest the data) first. Written
 * and parsed as a comma-separated list such as {@code rq-c,maf,affine-c,rq-ar}; every layer is built as
 * {@code reverse} + {@code lu} + its non-linear transform.
 */
public record Architecture(List<LayerKind> layers) {

    public Architecture {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("an architecture needs at least one layer");
        }
        layers = List.copyOf(layers);
    }

    public static Architecture parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty architecture; write layers like rq-c,maf,affine-c");
        }
        return new Architecture(Arrays.stream(text.split(",")).map(LayerKind::parse).toList());
    }

    /** The same kind in every layer, e.g. RQ-AF = {@code uniform(RQ_AR, n)}. */
    public static Architecture uniform(LayerKind kind, int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("an architecture needs at least one layer, got " + layers);
        }
        return new Architecture(java.util.Collections.nCopies(layers, kind));
    }

    /** The layers that are not {@link LayerKind#IDENTITY}; at least one must remain. */
    public Architecture withoutIdentity() {
        List<LayerKind> kept = layers.stream().filter(k -> k != LayerKind.IDENTITY).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("architecture " + this + " has no layer other than identity");
        }
        return new Architecture(kept);
    }

    public int size() {
        return layers.size();
    }

    public LayerKind layer(int index) {
        return layers.get(index);
    }

    @Override
    public String toString() {
        return layers.stream().map(LayerKind::id).collect(Collectors.joining(","));
    }
}
