package io.autonf.flow;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The non-linear transforms a layer can hold, by the names users type in architectures. */
public enum LayerKind {
    MAF("maf", "affine autoregressive (MADE)"),
    RQ_AR("rq-ar", "rational-quadratic spline, autoregressive"),
    AFFINE_C("affine-c", "affine coupling (RealNVP)"),
    RQ_C("rq-c", "rational-quadratic spline, coupling"),
    PLANAR("planar", "planar flow (Rezende & Mohamed)"),
    RADIAL("radial", "radial flow (Rezende & Mohamed)"),
    /** No layer at all: lets a search (the Grow method) choose a shallower flow. */
    IDENTITY("identity", "no layer (the search may skip a layer)");

    private final String id;
    private final String description;

    LayerKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name used in architecture strings, e.g. {@code rq-c}. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static LayerKind parse(String text) {
        String key = text.trim().toLowerCase(Locale.ROOT);
        for (LayerKind k : values()) {
            if (k.id.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown layer '" + text + "'; known layers: "
                + Arrays.stream(values()).map(LayerKind::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
