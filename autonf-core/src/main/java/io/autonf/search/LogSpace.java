package io.autonf.search;

/** Softmax and log-sum-exp computed so that no term overflows and the largest term is never lost. */
final class LogSpace {

    private LogSpace() {
    }

    /** log softmax(logits): logits minus their log-sum-exp. */
    static double[] logSoftmax(double[] logits) {
        double lse = logSumExp(logits);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - lse;
        }
        return out;
    }

    static double[] softmax(double[] logits) {
        double[] out = logSoftmax(logits);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(out[i]);
        }
        return out;
    }

    /** log Σ exp(v), summed in index order after shifting by the maximum. */
    static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max) || max == Double.POSITIVE_INFINITY) {
            // All terms zero (log 0), or an overflow/NaN that shifting cannot repair: report it as is.
            return max;
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
