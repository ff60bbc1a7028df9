package io.autonf.flow;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulated gradients of one scalar loss, one fp64 array per {@link Parameter}, iterated in a deterministic order.
 *
 * <p>Not thread-safe: each thread that runs backward passes owns its own instance, and the owners
 * {@link #addAll(Gradients) add} them together afterwards. Parameters never hold their own gradient, so the
 * same transform can serve several passes at once.
 */
public final class Gradients {

    // Parameter keeps Object's identity equality; insertion order (the order backward passes first touch each
    // parameter) is deterministic, so sums over all gradients are reproducible run to run.
    private final Map<Parameter, double[]> byParameter = new LinkedHashMap<>();
    /** Arrays kept by {@link #reset()} for reuse, handed out again (zeroed) by {@link #of}. */
    private final Map<Parameter, double[]> spare = new LinkedHashMap<>();

    /** The gradient array of {@code p}, created as zeros on first use; backward passes add into it. */
    public double[] of(Parameter p) {
        double[] g = byParameter.get(p);
        if (g == null) {
            g = spare.remove(p);
            if (g == null) {
                g = new double[p.size()];
            } else {
                Arrays.fill(g, 0.0);
            }
            byParameter.put(p, g);
        }
        return g;
    }

    /** The gradient of {@code p}, or {@code null} when nothing was accumulated for it. */
    public double[] getOrNull(Parameter p) {
        return byParameter.get(p);
    }

    public void addAll(Gradients other) {
        for (Map.Entry<Parameter, double[]> e : other.byParameter.entrySet()) {
            double[] into = of(e.getKey());
            double[] from = e.getValue();
            for (int i = 0; i < into.length; i++) {
                into[i] += from[i];
            }
        }
    }

    public void scale(double factor) {
        for (double[] g : byParameter.values()) {
            for (int i = 0; i < g.length; i++) {
                g[i] *= factor;
            }
        }
    }

    /** Euclidean norm over every accumulated gradient. */
    public double norm() {
        double sum = 0;
        for (double[] g : byParameter.values()) {
            for (double v : g) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    public void clear() {
        byParameter.clear();
        spare.clear();
    }

    /**
     * Empties this object as {@link #clear()} does, but keeps the arrays: a later {@link #of(Parameter)} hands
     * the parameter's old array back, zeroed. A trainer that back-propagates every step into the same objects
     * thus stops allocating (and the zeroing happens on the thread that first touches each gradient). Arrays
     * returned before the reset must no longer be used.
     */
    public void reset() {
        spare.putAll(byParameter);
        byParameter.clear();
    }
}
