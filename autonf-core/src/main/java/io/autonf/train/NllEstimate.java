package io.autonf.train;

/**
 * The mean negative log-likelihood of a data set and its uncertainty, reported as {@code mean ± error}.
 *
 * @param mean  mean NLL in nats per sample
 * @param error two standard errors of the mean, {@code 2 * std / sqrt(count)} (zero for a single sample, NaN
 *              when the mean is not finite)
 * @param count number of samples
 */
public record NllEstimate(double mean, double error, int count) {

    public NllEstimate {
        if (count < 1) {
            throw new IllegalArgumentException("an NLL estimate needs at least one sample, got " + count);
        }
        if (Double.isFinite(mean) && !(error >= 0)) {
            throw new IllegalArgumentException("error of a finite mean must be zero or positive, got " + error);
        }
    }

    /** The estimate from per-sample NLLs (sample standard deviation, two passes for accuracy). */
    public static NllEstimate of(double[] nll) {
        int n = nll.length;
        if (n == 0) {
            throw new IllegalArgumentException("an NLL estimate needs at least one sample, got none");
        }
        double sum = 0;
        for (double v : nll) {
            sum += v;
        }
        double mean = sum / n;
        if (!Double.isFinite(mean)) {
            return new NllEstimate(mean, Double.NaN, n);
        }
        if (n == 1) {
            return new NllEstimate(mean, 0, 1);
        }
        double squares = 0;
        for (double v : nll) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / (n - 1));
        return new NllEstimate(mean, 2 * std / Math.sqrt(n), n);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4f ± %.4f (n=%d)", mean, error, count);
    }
}
