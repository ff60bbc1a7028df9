package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;

import java.util.Locale;

/** The four rows of each data set × emphasis in the paper's Table 1. */
public enum StudyMethod {
    /** {@code rq-ar} in every layer: the reference for the forward cost. */
    RQ_AF("RQ-AF"),
    /** {@code rq-c} in every layer: the reference for the inverse cost. */
    RQ_C("RQ-C"),
    /** The AutoNF search's argmax architecture, retrained from scratch. */
    AUTONF("AutoNF"),
    /** The GA's best architecture, retrained from scratch. */
    GA("GA");

    private final String label;

    StudyMethod(String label) {
        this.label = label;
    }

    /** As the report prints it. */
    public String label() {
        return label;
    }

    /** Lower-case id for file and run names: {@code rq-af}, {@code rq-c}, {@code autonf}, {@code ga}. */
    public String id() {
        return label.toLowerCase(Locale.ROOT);
    }

    public boolean isReference() {
        return this == RQ_AF || this == RQ_C;
    }

    /** The reference the figure of merit of {@code emphasis} is measured against. */
    public static StudyMethod referenceFor(CostEmphasis emphasis) {
        return emphasis == CostEmphasis.INVERSE ? RQ_C : RQ_AF;
    }

    /** A reference's architecture with {@code layers} layers. */
    public Architecture referenceArchitecture(int layers) {
        return switch (this) {
            case RQ_AF -> Architecture.uniform(LayerKind.RQ_AR, layers);
            case RQ_C -> Architecture.uniform(LayerKind.RQ_C, layers);
            default -> throw new IllegalArgumentException(label + " is not a reference");
        };
    }

    /** By label or id, case-insensitive. */
    public static StudyMethod parse(String text) {
        for (StudyMethod m : values()) {
            if (m.label.equalsIgnoreCase(text.strip()) || m.id().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + text + "'; known: RQ-AF, RQ-C, AutoNF, GA");
    }
}
