package io.autonf.search;

import java.util.Locale;

/** How the layers of a deep search space are split into blocks that are optimised one at a time. */
public enum SearchMethod {
    /**
     * Blocks optimised in turn, the whole sweep repeated for several rounds (the paper's Algorithm 1); every
     * block is revisited with all other layers present, so a late round can revise an early choice.
     */
    BLOCK("block"),
    /** Each block searched once, on top of the already fixed earlier blocks; later blocks do not exist yet. */
    GROW("grow");

    private final String id;

    SearchMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static SearchMethod parse(String text) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (SearchMethod m : values()) {
            if (m.id.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown search method '" + text + "' (use block or grow)");
    }

    @Override
    public String toString() {
        return id;
    }
}
