package io.autonf.metric;

/**
 * Precision, recall, density and coverage of generated samples against real ones (Naeem et al. 2020), as the
 * {@code prdc} package defines them; see {@link Prdc}.
 *
 * @param precision fraction of fake points inside at least one real point's k-NN ball, in [0, 1]
 * @param recall    fraction of real points inside at least one fake point's k-NN ball, in [0, 1]
 * @param density   real balls holding a fake point, per fake point and divided by k; 1 on average when both
 *                  sets come from the same distribution, unbounded above
 * @param coverage  fraction of real points whose ball holds at least one fake point, in [0, 1]
 */
public record PrdcResult(double precision, double recall, double density, double coverage) {

    public PrdcResult {
        requireFraction("precision", precision);
        requireFraction("recall", recall);
        requireFraction("coverage", coverage);
        if (!(density >= 0) || Double.isInfinite(density)) {
            throw new IllegalArgumentException("density must be finite and non-negative, got " + density);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }
}
