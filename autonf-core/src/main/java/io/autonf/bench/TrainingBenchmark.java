package io.autonf.bench;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.transforms.MaskedAffineAutoregressive;
import io.autonf.flow.transforms.RqCoupling;
import io.autonf.train.Trainer;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Training steps per second of single layers, measured through the real {@link Trainer} (shuffling, batching,
 * data-parallel forward and backward, clipping, Adam), so the figure is what a user's training gets.
 *
 * <p>The cases mirror {@code tools/bench/torch_bench.py}, which times PyTorch + nflows doing the same steps, so
 * the two can be compared as a ratio on the same machine in the same session.
 */
public final class TrainingBenchmark {

    /** One benchmark case: a single non-linear transform on correlated Gaussian data. */
    public record Case(String name, String description, int dimension, int batch, LayerSettings settings, boolean coupling) {

        Transform build(RandomGenerator rng) {
            return coupling
                    ? new RqCoupling(dimension, true, settings, rng)
                    : new MaskedAffineAutoregressive(dimension, settings, rng);
        }
    }

    /** The cases of the issue: (a) MAF D=6 batch 512 hidden 256, (b) RQ coupling D=43 K=8 hidden 256, (c) a tiny MAF. */
    public static List<Case> standardCases(Precision precision) {
        return List.of(
                new Case("maf-d6-b512-h256", "one MAF layer, D=6, batch 512, hidden 256, 2 residual blocks",
                        6, 512, new LayerSettings(256, 2, 8, 3.0, precision), false),
                new Case("rqc-d43-b512-h256", "one RQ coupling layer, D=43, K=8, batch 512, hidden 256, 2 residual blocks",
                        43, 512, new LayerSettings(256, 2, 8, 3.0, precision), true),
                new Case("maf-d6-b8-h8", "one MAF layer, D=6, batch 8, hidden 8, 2 residual blocks",
                        6, 8, new LayerSettings(8, 2, 8, 3.0, precision), false));
    }

    /** Steps per second of one case: the median of {@code repeats} timed runs of about {@code seconds} each. */
    public record Measurement(Case benchCase, int threads, double medianStepsPerSecond, double[] runs) {
    }

    /** Warm-up lasts at least this long, and at most the maximum unless the rate has settled by then. */
    private static final long WARM_UP_MIN_NANOS = 2_000_000_000L;
    private static final long WARM_UP_MAX_NANOS = 15_000_000_000L;

    private TrainingBenchmark() {
    }

    public static Measurement measure(Case c, int threads, double seconds, int repeats, long seed) {
        RandomGenerator rng = new SplittableRandom(seed);
        Batch train = correlatedGaussian(Math.max(8192, c.batch() * 8), c.dimension(), rng);
        Batch validation = correlatedGaussian(64, c.dimension(), new SplittableRandom(seed + 1));
        Flow flow = new Flow(c.build(new SplittableRandom(seed + 2)));
        // Warm-up until the JIT has settled, then calibrate the step count so that every timed run lasts about
        // `seconds`. Small layers need it most: their vectorised kernels reach full speed only after C2 has
        // compiled them, which took several seconds of steps here (a first timed run at a twentieth of the rate).
        double warmRate = timedRun(flow, train, validation, c.batch(), threads, 50, seed);
        long warmStart = System.nanoTime();
        double previous = 0;
        while (System.nanoTime() - warmStart < WARM_UP_MAX_NANOS) {
            previous = warmRate;
            warmRate = timedRun(flow, train, validation, c.batch(), threads, (int) Math.max(50, warmRate * 0.5), seed);
            if (System.nanoTime() - warmStart >= WARM_UP_MIN_NANOS && Math.abs(warmRate - previous) <= 0.05 * warmRate) {
                break;
            }
        }
        int steps = (int) Math.max(20, warmRate * seconds);
        double[] runs = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            runs[i] = timedRun(flow, train, validation, c.batch(), threads, steps, seed + 10 + i);
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return new Measurement(c, threads, sorted[sorted.length / 2], runs);
    }

    /** Steps per second over {@code steps} training steps, timing from the first step to the last. */
    private static double timedRun(Flow flow, Batch train, Batch validation, int batch, int threads, int steps, long seed) {
        TrainingConfig config = TrainingConfig.DEFAULTS
                .withBatchSize(batch)
                .withMaxSteps(steps + 1)
                .withLearningRate(1e-3)
                .withValidateEvery(steps + 1)
                .withPatience(1)
                .withSeed(seed)
                .withWorkerThreads(threads);
        long[] times = new long[2];
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onStep(int step, double rate, double loss, double gradientNorm) {
                if (step == 1) {
                    times[0] = System.nanoTime();
                } else if (step == steps + 1) {
                    times[1] = System.nanoTime();
                }
            }
        };
        try (Trainer trainer = new Trainer(config)) {
            TrainingResult ignored = trainer.train(flow, train, validation, new SplittableRandom(seed), clock);
        }
        return steps / ((times[1] - times[0]) / 1e9);
    }

    /** Rows of N(0, A Aᵀ) for a random A with unit diagonal scale, seeded. */
    public static Batch correlatedGaussian(int rows, int dimension, RandomGenerator rng) {
        double[] a = new double[dimension * dimension];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() / Math.sqrt(dimension);
        }
        for (int i = 0; i < dimension; i++) {
            a[i * dimension + i] += 1.0;
        }
        double[] values = new double[rows * dimension];
        double[] e = new double[dimension];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < dimension; j++) {
                e[j] = rng.nextGaussian();
            }
            for (int i = 0; i < dimension; i++) {
                double s = 0;
                for (int j = 0; j < dimension; j++) {
                    s += a[i * dimension + j] * e[j];
                }
                values[r * dimension + i] = s;
            }
        }
        return new Batch(values, rows, dimension);
    }

    public static String format(Measurement m) {
        List<String> runs = new ArrayList<>();
        for (double r : m.runs()) {
            runs.add(String.format(Locale.ROOT, "%.1f", r));
        }
        return String.format(Locale.ROOT, "%-20s threads=%d  %10.1f steps/s  (runs: %s)",
                m.benchCase().name(), m.threads(), m.medianStepsPerSecond(), String.join(", ", runs));
    }
}
