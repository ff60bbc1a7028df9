package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;

/** Global gradient-norm clipping. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * The Euclidean norm of all gradients, summed in the order of {@code parameters}.
     *
     * <p>{@link Gradients#norm()} sums in identity-hash order, which differs between runs; training must not
     * depend on it, so the trainer sums in the flow's own (stable) parameter order.
     */
    public static double norm(Gradients gradients, Iterable<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) {
            double[] g = gradients.getOrNull(p);
            if (g != null) {
                for (double v : g) {
                    sum += v * v;
                }
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by {@code maxNorm / norm} when the global norm exceeds {@code maxNorm}, so the
     * direction is kept and the norm becomes {@code maxNorm}; {@code maxNorm} may be infinite (no clipping).
     *
     * @return the norm before clipping (NaN or infinite if some gradient is; then nothing is scaled)
     */
    public static double clipGlobalNorm(Gradients gradients, Iterable<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive, got " + maxNorm);
        }
        double norm = norm(gradients, parameters);
        if (Double.isFinite(norm) && norm > maxNorm) {
            gradients.scale(maxNorm / norm);
        }
        return norm;
    }
}
