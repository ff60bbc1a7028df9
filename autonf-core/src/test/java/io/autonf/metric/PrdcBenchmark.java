package io.autonf.metric;

import io.autonf.flow.Batch;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Wall time of {@link Prdc#compute} on two Gaussian sets, the figure the metric's speed claim rests on. Not a
 * test; run by hand:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(deps) \
 *     io.autonf.metric.PrdcBenchmark 10000 10000 43 1,2 3
 * </pre>
 * Arguments: real points, fake points, dimension, thread counts, timed repeats (after one warm-up run).
 */
public final class PrdcBenchmark {

    private PrdcBenchmark() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        String[] threadCounts = args[3].split(",");
        int repeats = Integer.parseInt(args[4]);
        SplittableRandom rng = new SplittableRandom(7);
        Batch real = gaussian(n, d, 0.0, rng);
        Batch fake = gaussian(m, d, 0.1, rng);
        for (String t : threadCounts) {
            int threads = Integer.parseInt(t.trim());
            long coldStart = System.nanoTime();
            PrdcResult first = Prdc.compute(real, fake, Prdc.DEFAULT_K, threads);
            double cold = (System.nanoTime() - coldStart) / 1e9;
            double best = Double.POSITIVE_INFINITY;
            StringBuilder runs = new StringBuilder();
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                PrdcResult again = Prdc.compute(real, fake, Prdc.DEFAULT_K, threads);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (!again.equals(first)) {
                    throw new IllegalStateException("not reproducible: " + first + " then " + again);
                }
                best = Math.min(best, seconds);
                runs.append(String.format(Locale.ROOT, " %.3f", seconds));
            }
            System.out.printf(Locale.ROOT, "prdc %dx%d D=%d k=%d threads=%d: first %.3f s, then best %.3f s (runs:%s)  %s%n",
                    n, m, d, Prdc.DEFAULT_K, threads, cold, best, runs, first);
        }
    }

    static Batch gaussian(int rows, int d, double shift, SplittableRandom rng) {
        double[] v = new double[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + rng.nextGaussian();
        }
        return new Batch(v, rows, d);
    }
}
