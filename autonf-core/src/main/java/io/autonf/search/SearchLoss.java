package io.autonf.search;

import java.util.Locale;

/** The objective of the mixture search (the AutoNF paper, eq. 8 and 9). */
public enum SearchLoss {
    /** −E log Σ_k W_k p_k(x): the NLL of the mixture itself (eq. 8); its minimum may stay a mixture. */
    ORIGINAL("original"),
    /** −E Σ_k W_k log p_k(x): Jensen's upper bound of eq. 8 (eq. 9); its minimum is a single architecture. */
    UPPER_BOUND("upper-bound");

    private final String id;

    SearchLoss(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static SearchLoss parse(String text) {
        for (SearchLoss l : values()) {
            if (l.id.equalsIgnoreCase(text.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + text + "' (use original or upper-bound)");
    }

    @Override
    public String toString() {
        return id;
    }
}
