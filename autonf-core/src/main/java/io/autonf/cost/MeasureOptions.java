package io.autonf.cost;

/**
 * How {@link CostModel} times its operations (forward, inverse and training step of every kind) on a batch of
 * {@code batch} standard-normal rows. Operations run in interleaved rounds, one run of each per round; a run
 * lasts at least {@code repeatSeconds} of wall-clock time (at least one call) and is measured in the thread's
 * CPU time (see {@link CostModel}).
 * <ol>
 *   <li>Warm-up rounds, untimed, until the JIT has settled: at least {@code warmupSeconds}, then until two rounds
 *       in a row in which the JIT compiled nothing and no operation got more than 10% faster, but never longer
 *       than {@code maxWarmupSeconds}. In a fresh JVM on a busy machine the kernels can take several seconds to
 *       reach compiled speed, and until then a layer runs up to ten times slower.</li>
 *   <li>{@code repeats} timed rounds; an operation's figure is its median run. An operation whose single call is
 *       longer than a run (an autoregressive inverse at a large D) is timed in the first {@value #SLOW_REPEATS}
 *       rounds only.</li>
 * </ol>
 *
 * @param batch            rows per call (per-sample figures divide by it)
 * @param warmupSeconds    least warm-up of the whole measurement
 * @param maxWarmupSeconds most warm-up of the whole measurement, settled or not ({@code >= warmupSeconds})
 * @param repeats          timed runs per operation; the median is kept
 * @param repeatSeconds    least wall-clock length of one run
 */
public record MeasureOptions(int batch, double warmupSeconds, double maxWarmupSeconds, int repeats,
                             double repeatSeconds) {

    /** Timed runs of an operation slower than one run's length. */
    public static final int SLOW_REPEATS = 3;

    /**
     * Batch 512, warm-up from 0.5 s until the JIT settles (at most 20 s), median of 5 runs of at least 20 ms. Most of
     * the time goes into the warm-up: 10 to 20 s for the six kinds at D = 6 on a busy 2-core machine, less on an
     * idle one; at large D one autoregressive inverse alone takes a fraction of a second.
     */
    public static final MeasureOptions DEFAULT = new MeasureOptions(512, 0.5, 20, 5, 0.02);

    public MeasureOptions {
        if (batch < 1) {
            throw new IllegalArgumentException("measurement batch must be at least 1 row, got " + batch);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException("warm-up must be zero or more seconds, got " + warmupSeconds);
        }
        if (!(maxWarmupSeconds >= warmupSeconds) || Double.isInfinite(maxWarmupSeconds)) {
            throw new IllegalArgumentException("the longest warm-up must be finite and at least the shortest ("
                    + warmupSeconds + " s), got " + maxWarmupSeconds);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        if (!(repeatSeconds >= 0) || Double.isInfinite(repeatSeconds)) {
            throw new IllegalArgumentException("the length of a timed run must be zero or more seconds, got "
                    + repeatSeconds);
        }
    }

    /**
     * The same batch with a warm-up of at most 3 s and 3 short runs: faster, noisier, and on a busy machine the
     * JIT may not have settled.
     */
    public MeasureOptions quick() {
        return new MeasureOptions(batch, Math.min(warmupSeconds, 0.1), Math.min(maxWarmupSeconds, 3), 3, 0.005);
    }

    public MeasureOptions withBatch(int rows) {
        return new MeasureOptions(rows, warmupSeconds, maxWarmupSeconds, repeats, repeatSeconds);
    }
}
