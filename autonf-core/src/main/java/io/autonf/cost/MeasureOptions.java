package io.autonf.cost;

/**
 * How {@link CostModel} times its operations: on a batch of {@code batch} standard-normal rows, first a warm-up
 * of every operation (at least one call and at least {@code warmupSeconds}, so the JIT has compiled the
 * kernels), then {@code repeats} rounds that each time one run of every operation, a run lasting at least
 * {@code repeatSeconds} of wall-clock time (as many calls as that takes) and measured in the thread's CPU time
 * (see {@link CostModel}); an operation's result is its median run. An operation
 * whose single call already takes longer than {@code repeatSeconds} (an autoregressive inverse at a large D) is
 * timed in the first {@value #SLOW_REPEATS} rounds only, which keeps the whole table within seconds.
 *
 * @param batch         rows per call (per-sample figures divide by it)
 * @param warmupSeconds untimed warm-up per operation
 * @param repeats       timed runs per operation; the median is kept
 * @param repeatSeconds least length of one timed run
 */
public record MeasureOptions(int batch, double warmupSeconds, int repeats, double repeatSeconds) {

    /** Timed runs of an operation slower than one run's length. */
    public static final int SLOW_REPEATS = 3;

    /**
     * Batch 512, 50 ms warm-up, median of 5 runs of at least 20 ms: about 5 s for the six kinds at D = 6 on an idle
     * machine, longer at large D, where one autoregressive inverse takes a fraction of a second.
     */
    public static final MeasureOptions DEFAULT = new MeasureOptions(512, 0.05, 5, 0.02);

    public MeasureOptions {
        if (batch < 1) {
            throw new IllegalArgumentException("measurement batch must be at least 1 row, got " + batch);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException("warm-up must be zero or more seconds, got " + warmupSeconds);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        if (!(repeatSeconds >= 0) || Double.isInfinite(repeatSeconds)) {
            throw new IllegalArgumentException("the length of a timed run must be zero or more seconds, got "
                    + repeatSeconds);
        }
    }

    /** The same batch with a short warm-up and 3 short runs: well under half the default time, noisier. */
    public MeasureOptions quick() {
        return new MeasureOptions(batch, 0.02, 3, 0.005);
    }

    public MeasureOptions withBatch(int rows) {
        return new MeasureOptions(rows, warmupSeconds, repeats, repeatSeconds);
    }
}
