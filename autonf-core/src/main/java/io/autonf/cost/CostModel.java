package io.autonf.cost;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Mapping;
import io.autonf.flow.Transform;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Measures what one layer of each kind costs on this machine: seconds per sample of its forward pass (density
 * evaluation), its inverse pass (sampling) and a training step (forward and backward), plus its analytic FLOPs.
 *
 * <p>A "layer" is {@link Layers#layer}{@code (kind, 0, D, settings, rng)}: {@code reverse} + {@code lu} + the
 * transform, freshly initialised, applied to standard-normal rows (for the inverse too: they stand for the
 * base distribution's noise). Every call runs on the calling thread, so the figures are single-threaded;
 * the trainer's data-parallel workers divide the training time by up to the core count, the same factor for
 * every kind, which leaves the comparison between kinds unchanged. See {@link MeasureOptions} for warm-up and
 * repeats. {@link #measureFlow} times a whole (trained) flow the same way.
 *
 * <p>Runs are timed in the calling thread's CPU time ({@link #clock()}), not wall-clock time: on a machine
 * shared with other processes, time spent descheduled would otherwise inflate whichever operation it hit and
 * could reorder the kinds. The cost is that work done for the thread by the garbage collector's own threads is
 * not counted; allocation is modest next to the matrix products, so this leaves the ordering intact.
 *
 * <p>The training step back-propagates the per-sample loss ½|z|² − log|det| averaged over the batch (the
 * standard-normal NLL up to a constant), so every parameter and input receives a gradient; the optimiser's
 * update (once per batch, not per sample) is not timed.
 */
public final class CostModel {

    /** Keeps the timed results alive so that the JIT cannot drop the work that produced them. */
    private static volatile double sink;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU_TIME = threadCpuTime();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    /** A warm-up run at least this much faster than the operation's best so far means the JIT is still at work. */
    static final double SETTLED_IMPROVEMENT = 0.1;

    /** A round during which the JIT compiled for more than this share of its length counts as still compiling. */
    static final double COMPILING_SHARE = 0.05;

    private CostModel() {
    }

    /** As {@link #measure(int, LayerSettings, Collection, MeasureOptions, RandomGenerator, Consumer)}, silently. */
    public static CostTable measure(int dimension, LayerSettings settings, Collection<LayerKind> kinds,
                                    MeasureOptions options, RandomGenerator rng) {
        return measure(dimension, settings, kinds, options, rng, null);
    }

    /**
     * Measures every kind in {@code kinds} ({@link LayerKind#IDENTITY} is skipped: it costs nothing). Layers are
     * built in {@link LayerKind} order, whatever the order given, so the same seed builds the same layers.
     *
     * <p>The operations are timed in rounds, each round running every operation of every kind once. First come
     * warm-up rounds, until the JIT has settled (see {@link MeasureOptions}): in a fresh JVM the Vector API
     * kernels take seconds to reach their compiled speed, and until then an operation can run ten times slower
     * than it will. Then {@code repeats} timed rounds; interleaving spreads any late compilation and any load
     * from other processes over all kinds alike, so it cannot favour the kinds measured last.
     *
     * @param progress receives how long the warm-up took and one line per measured kind; may be null
     * @throws IllegalArgumentException before any measurement when the arguments cannot be measured (no kind
     *                                  besides identity, a coupling layer at D = 1, ...)
     */
    public static CostTable measure(int dimension, LayerSettings settings, Collection<LayerKind> kinds,
                                    MeasureOptions options, RandomGenerator rng, Consumer<String> progress) {
        EnumSet<LayerKind> toMeasure = measurable(dimension, settings, kinds, options, rng);
        List<Runnable> operations = new ArrayList<>();
        for (LayerKind kind : toMeasure) {
            Transform layer = Layers.layer(kind, 0, dimension, settings, rng);
            Batch x = standardNormal(options.batch(), dimension, rng);
            operations.addAll(List.of(forward(layer, x), inverse(layer, x), training(layer, x)));
        }
        double[] seconds = secondsPerCall(operations, options, progress);
        Map<LayerKind, LayerCost> costs = new EnumMap<>(LayerKind.class);
        int i = 0;
        double n = options.batch();
        for (LayerKind kind : toMeasure) {
            LayerCost c = new LayerCost(kind, seconds[i] / n, seconds[i + 1] / n, seconds[i + 2] / n,
                    Flops.forward(kind, dimension, settings), Flops.inverse(kind, dimension, settings));
            i += 3;
            costs.put(kind, c);
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT,
                        "measured %-8s D=%d: forward %.3g µs, inverse %.3g µs, training %.3g µs per sample",
                        kind.id(), dimension, c.forwardSeconds() * 1e6, c.inverseSeconds() * 1e6,
                        c.trainingSeconds() * 1e6));
            }
        }
        return new CostTable(CostTable.FORMAT_VERSION, Instant.now(), Hardware.current(), dimension, settings,
                options.batch(), 1, costs);
    }

    /**
     * Measures a whole flow as it is (trained or not): seconds per sample of its density evaluation (the forward
     * pass through every layer, outputs and log|det|) and of sampling (the inverse pass), both on one batch of
     * {@link MeasureOptions#batch()} standard-normal rows drawn from {@code rng}. Timed like the layers of
     * {@link #measure}: warm-up until the JIT settles, then the median of interleaved runs, in the calling thread.
     *
     * <p>Unlike {@link CostTable#architectureCost}, which sums freshly initialised layers, this times the flow's own
     * parameters and the glue between its layers, so it is the figure a user of the trained flow will see.
     *
     * @throws IllegalArgumentException when the flow, the options or the generator is missing
     */
    public static MeasuredCost measureFlow(Flow flow, MeasureOptions options, RandomGenerator rng) {
        if (flow == null || options == null || rng == null) {
            throw new IllegalArgumentException("measuring a flow needs the flow, measurement options and a random "
                    + "generator");
        }
        Transform transform = flow.transform();
        Batch x = standardNormal(options.batch(), flow.dimension(), rng);
        double[] seconds = secondsPerCall(List.of(forward(transform, x), inverse(transform, x)), options, null);
        return new MeasuredCost(seconds[0] / options.batch(), seconds[1] / options.batch());
    }

    /**
     * Times every operation: warm-up rounds until the JIT has settled, then {@link MeasureOptions#repeats()} timed
     * rounds, each round running every operation once.
     *
     * @param progress receives the warm-up line; may be null
     * @return median seconds per call, in the order of {@code operations}
     */
    private static double[] secondsPerCall(List<Runnable> operations, MeasureOptions options,
                                           Consumer<String> progress) {
        List<Timed> timed = new ArrayList<>(operations.size());
        for (Runnable op : operations) {
            timed.add(new Timed(op, options));
        }
        String warmup = warmUp(timed, options);
        if (progress != null) {
            progress.accept(warmup);
        }
        for (int round = 0; round < options.repeats(); round++) {
            for (Timed t : timed) {
                t.timeOneRun(round);
            }
        }
        double[] seconds = new double[timed.size()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = timed.get(i).seconds();
        }
        return seconds;
    }

    /**
     * Warm-up rounds until the JIT has settled: at least {@link MeasureOptions#warmupSeconds()}, then until two
     * rounds in a row made no operation more than {@value #SETTLED_IMPROVEMENT} faster than its best and kept the
     * JIT compiling for less than {@value #COMPILING_SHARE} of the round, or until
     * {@link MeasureOptions#maxWarmupSeconds()}.
     *
     * @return one line for the log: how long it took and whether the JIT settled
     */
    private static String warmUp(List<Timed> timed, MeasureOptions options) {
        long start = System.nanoTime();
        int quietRounds = 0;
        int rounds = 0;
        while (true) {
            long roundStart = System.nanoTime();
            long compiledBefore = compilationMillis();
            boolean improved = false;
            for (Timed t : timed) {
                improved |= t.warmUpRun();
            }
            rounds++;
            // Compilation of code other than the kernels never stops entirely; a compiler busy for a small part of
            // the round no longer changes the figures.
            double roundMillis = (System.nanoTime() - roundStart) / 1e6;
            boolean compiling = compilationMillis() - compiledBefore > COMPILING_SHARE * roundMillis;
            quietRounds = compiling || improved ? 0 : quietRounds + 1;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= options.warmupSeconds() && quietRounds >= 2) {
                return String.format(Locale.ROOT, "warmed up in %.1f s (%d rounds): the JIT has settled", elapsed, rounds);
            }
            if (elapsed >= options.maxWarmupSeconds()) {
                return String.format(Locale.ROOT, "warmed up for %.1f s (%d rounds), the limit%s", elapsed, rounds,
                        options.maxWarmupSeconds() > 0 && (compiling || improved)
                                ? "; the JIT was still " + (improved ? "speeding operations up" : "compiling")
                                + ", so some figures may be high" : "");
            }
        }
    }

    /** Total milliseconds the JIT has spent compiling, or 0 where the JVM does not say. */
    private static long compilationMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }

    /** The kinds to measure, after checking everything that could fail half-way. */
    static EnumSet<LayerKind> measurable(int dimension, LayerSettings settings, Collection<LayerKind> kinds,
                                        MeasureOptions options, RandomGenerator rng) {
        if (settings == null || options == null || rng == null) {
            throw new IllegalArgumentException("measuring costs needs layer settings, measurement options and a random "
                    + "generator");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if (kinds == null || kinds.isEmpty() || kinds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("name at least one layer kind to measure, got " + kinds);
        }
        EnumSet<LayerKind> toMeasure = EnumSet.copyOf(kinds);
        toMeasure.remove(LayerKind.IDENTITY);
        if (toMeasure.isEmpty()) {
            throw new IllegalArgumentException("nothing to measure: the identity layer costs nothing; name other kinds");
        }
        for (LayerKind k : toMeasure) {
            // Fails fast with the reason (e.g. a coupling layer at D = 1) before any time is spent.
            Flops.forward(k, dimension, settings);
        }
        return toMeasure;
    }

    /** Measures one layer of {@code kind}; its parameters and the input rows are drawn from {@code rng}. */
    public static LayerCost measureLayer(LayerKind kind, int dimension, LayerSettings settings, MeasureOptions options,
                                         RandomGenerator rng) {
        if (kind == null) {
            throw new IllegalArgumentException("a layer kind is required");
        }
        return measure(dimension, settings, List.of(kind), options, rng).layerCost(kind);
    }

    /** Density evaluation of {@code x}: outputs and log|det|. */
    private static Runnable forward(Transform transform, Batch x) {
        return () -> {
            ForwardPass pass = transform.forward(x);
            consume(pass.outputs(), pass.logAbsDet());
        };
    }

    /** Sampling: {@code x} stands for the base distribution's noise. */
    private static Runnable inverse(Transform transform, Batch x) {
        return () -> {
            Mapping m = transform.inverse(x);
            consume(m.outputs(), m.logAbsDet());
        };
    }

    /** A forward pass and the backward pass of the standard-normal NLL, without the optimiser's update. */
    private static Runnable training(Transform transform, Batch x) {
        int n = x.rows();
        double[] gradLogAbsDet = new double[n];
        Arrays.fill(gradLogAbsDet, -1.0 / n);
        return () -> {
            ForwardPass pass = transform.forward(x);
            double[] z = pass.outputs().values();
            double[] gradZ = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                gradZ[i] = z[i] / n;
            }
            Batch gradX = pass.backward(new Batch(gradZ, n, x.cols()), gradLogAbsDet, new Gradients());
            consume(gradX, pass.logAbsDet());
        };
    }

    /** One operation's timing: warm-up runs, then one timed run per round; the result is the median timed run. */
    private static final class Timed {
        private final Runnable operation;
        private final MeasureOptions options;
        /** A run lasts at least one clock tick, so that no figure comes out as zero. */
        private final long runNanos;
        private final double[] perCall;
        private int runs;
        private boolean slow;
        private double bestWarmUp = Double.POSITIVE_INFINITY;

        Timed(Runnable operation, MeasureOptions options) {
            this.operation = operation;
            this.options = options;
            this.runNanos = Math.max(1, (long) (options.repeatSeconds() * 1e9));
            this.perCall = new double[options.repeats()];
        }

        /**
         * One untimed run (at least one call); notes whether the operation is slow (one call longer than a run).
         *
         * @return true when this run was more than {@link #SETTLED_IMPROVEMENT} faster per call than the best before
         */
        boolean warmUpRun() {
            int calls = 0;
            long wallStart = System.nanoTime();
            long cpuStart = cpuNanos();
            do {
                operation.run();
                calls++;
            } while (System.nanoTime() - wallStart < runNanos);
            double perCallNanos = Math.max(1, cpuNanos() - cpuStart) / (double) calls;
            // The last warm-up run decides: a first, interpreted call can be slow where a compiled one is not.
            slow = calls == 1 && System.nanoTime() - wallStart > runNanos;
            boolean improved = perCallNanos < (1 - SETTLED_IMPROVEMENT) * bestWarmUp;
            bestWarmUp = Math.min(bestWarmUp, perCallNanos);
            return improved;
        }

        void timeOneRun(int round) {
            if (slow && round >= MeasureOptions.SLOW_REPEATS) {
                return;
            }
            int calls = 0;
            long wallStart = System.nanoTime();
            long cpuStart = cpuNanos();
            do {
                operation.run();
                calls++;
            } while (System.nanoTime() - wallStart < runNanos);
            long cpu = cpuNanos() - cpuStart;
            perCall[runs++] = Math.max(1, cpu) / (double) calls;
        }

        /** Median seconds per call. */
        double seconds() {
            return median(Arrays.copyOf(perCall, runs)) / 1e9;
        }
    }

    /** True when this JVM can time the calling thread's CPU time (HotSpot on Linux, macOS and Windows can). */
    private static boolean threadCpuTime() {
        try {
            if (!THREADS.isCurrentThreadCpuTimeSupported()) {
                return false;
            }
            if (!THREADS.isThreadCpuTimeEnabled()) {
                THREADS.setThreadCpuTimeEnabled(true);
            }
            return THREADS.getCurrentThreadCpuTime() >= 0;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** CPU time of the calling thread, or the wall clock where the JVM cannot tell it. */
    private static long cpuNanos() {
        return THREAD_CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** How the runs are timed, for reports: {@code "thread CPU time"} or {@code "wall-clock time"}. */
    public static String clock() {
        return THREAD_CPU_TIME ? "thread CPU time" : "wall-clock time";
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static Batch standardNormal(int rows, int cols, RandomGenerator rng) {
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        return new Batch(values, rows, cols);
    }

    private static void consume(Batch outputs, double[] logAbsDet) {
        double[] v = outputs.values();
        sink += (v.length > 0 ? v[v.length - 1] : 0) + (logAbsDet.length > 0 ? logAbsDet[0] : 0);
    }
}
