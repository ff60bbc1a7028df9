package io.autonf.cost;

import java.util.Locale;

/** Which cost a search minimises and a figure of merit reports. */
public enum CostEmphasis {
    /** Density evaluation: one forward pass, data to noise. The reference is RQ-AF. */
    FORWARD("forward"),
    /** Sampling: one inverse pass, noise to data. The reference is RQ-C. */
    INVERSE("inverse"),
    /** One training step (forward and backward). */
    TRAINING("training");

    private final String id;

    CostEmphasis(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static CostEmphasis parse(String text) {
        for (CostEmphasis e : values()) {
            if (e.id.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown cost emphasis '" + text + "' (use forward, inverse or training)");
    }

    @Override
    public String toString() {
        return id;
    }
}
