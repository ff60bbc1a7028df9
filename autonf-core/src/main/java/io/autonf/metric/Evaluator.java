package io.autonf.metric;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.StandardNormal;
import io.autonf.train.NllEstimate;

import java.util.random.RandomGenerator;

/**
 * Evaluates a trained flow the way the AutoNF paper reports it: the test NLL, and the precision, recall, density
 * and coverage of flow samples against test points.
 *
 * <p>The noise for all samples is drawn from {@code rng} first, in one sequence, exactly as
 * {@link Flow#sample} draws it; the mapping to data then runs in fixed chunks spread over the threads, like the
 * test NLL. So the result depends on the seed and not on the number of threads. The reference points are the
 * first {@code min(samples, test rows)} test points: the data layer has shuffled the test split already, and the
 * paper compares 10000 samples with 10000 test points.
 */
public final class Evaluator {

    /** The paper's sample count, used for both sets. */
    public static final int DEFAULT_SAMPLES = 10_000;
    /** Rows per chunk of NLL and sampling work: big enough to keep the kernels busy, small enough to balance. */
    private static final int CHUNK_ROWS = 1000;

    private Evaluator() {
    }

    /**
     * @param flow    the trained flow
     * @param test    the test split, as many columns as the flow's dimension
     * @param samples flow samples to draw, more than k; also the most test points the metrics compare against
     * @param k       neighbours per ball ({@link Prdc#DEFAULT_K} customarily)
     * @param rng     the source of the sampling noise
     * @param threads worker threads, at least 1; the result does not depend on it
     * @return the evaluation, without costs ({@link FlowEvaluation#withCosts} adds them)
     * @throws NonFiniteSamplesException when a sample has a NaN or infinite coordinate
     */
    public static FlowEvaluation evaluate(Flow flow, Batch test, int samples, int k, RandomGenerator rng, int threads) {
        int d = flow.dimension();
        test.requireCols(d, "the evaluation of a " + d + "-dimensional flow");
        if (test.rows() < 1) {
            throw new IllegalArgumentException("the test split is empty");
        }
        int referencePoints = Math.min(samples, test.rows());
        if (k < 1 || samples < k + 1 || referencePoints < k + 1) {
            throw new IllegalArgumentException("k = " + k + " needs at least k + 1 = " + ((long) k + 1)
                    + " samples and test points, got " + samples + " samples and " + test.rows() + " test points");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Batch noise = new StandardNormal(d).sample(samples, rng);
        try (TaskPool pool = new TaskPool(threads)) {
            NllEstimate nll = NllEstimate.of(testNll(flow, test, pool));
            Batch drawn = inverse(flow, noise, pool);
            requireFinite(drawn);
            Batch reference = referencePoints == test.rows() ? test : test.slice(0, referencePoints);
            PrdcResult prdc = Prdc.compute(reference, drawn, k, pool);
            return new FlowEvaluation(nll, prdc, samples, referencePoints, k, Double.NaN, Double.NaN);
        }
    }

    /** {@link #evaluate} with the paper's 10000 samples and k = 5. */
    public static FlowEvaluation evaluate(Flow flow, Batch test, RandomGenerator rng, int threads) {
        return evaluate(flow, test, DEFAULT_SAMPLES, Prdc.DEFAULT_K, rng, threads);
    }

    private static double[] testNll(Flow flow, Batch test, TaskPool pool) {
        double[] nll = new double[test.rows()];
        pool.run(Math.ceilDiv(test.rows(), CHUNK_ROWS), () -> null, (chunk, unused) -> {
            int from = chunk * CHUNK_ROWS;
            double[] logProb = flow.logProb(test.slice(from, Math.min(test.rows(), from + CHUNK_ROWS)));
            for (int i = 0; i < logProb.length; i++) {
                nll[from + i] = -logProb[i];
            }
        });
        return nll;
    }

    private static Batch inverse(Flow flow, Batch noise, TaskPool pool) {
        int d = noise.cols();
        double[] out = new double[noise.values().length];
        pool.run(Math.ceilDiv(noise.rows(), CHUNK_ROWS), () -> null, (chunk, unused) -> {
            int from = chunk * CHUNK_ROWS;
            Batch x = flow.transform().inverse(noise.slice(from, Math.min(noise.rows(), from + CHUNK_ROWS))).outputs();
            System.arraycopy(x.values(), 0, out, from * d, x.values().length);
        });
        return new Batch(out, noise.rows(), d);
    }

    private static void requireFinite(Batch samples) {
        int d = samples.cols();
        double[] v = samples.values();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < samples.rows(); i++) {
            for (int c = 0; c < d; c++) {
                if (!Double.isFinite(v[i * d + c])) {
                    bad++;
                    first = first < 0 ? i : first;
                    break;
                }
            }
        }
        if (bad > 0) {
            throw new NonFiniteSamplesException(bad, samples.rows(), first);
        }
    }
}
