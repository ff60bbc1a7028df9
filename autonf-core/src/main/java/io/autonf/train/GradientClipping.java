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
     * <p>{@link Gradients#norm()} sums in the order the backward passes first touched each parameter; this sums
     * in the caller's parameter order instead, so the norm of the same gradients does not depend on which pass
     * ran first (the search clips θ and α with it; the trainer's {@code ParameterUpdate} sums in fixed blocks).
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
