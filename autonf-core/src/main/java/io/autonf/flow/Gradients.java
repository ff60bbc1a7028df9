package io.autonf.flow;

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

    /** The gradient array of {@code p}, created as zeros on first use; backward passes add into it. */
    public double[] of(Parameter p) {
        return byParameter.computeIfAbsent(p, k -> new double[k.size()]);
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
    }
}
