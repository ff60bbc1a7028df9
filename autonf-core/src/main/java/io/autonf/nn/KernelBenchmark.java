package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Precision;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures the kernels and one full MADE pass on this machine (single thread): µs per call and GFLOP/s of
 * forward, input-gradient and weight-gradient products for the shapes the flows use, in fp32 and fp64.
 *
 * <p>Not a test: timings depend on the machine and its load. Each figure is the median of several timed
 * rounds after a warm-up. Usage: {@code KernelBenchmark [secondsPerRound [networks]]} (default 0.2;
 * {@code networks} skips the kernel table).
 */
public final class KernelBenchmark {

    private static final int[][] SHAPES = {{512, 256, 256}, {512, 6, 256}, {512, 256, 12}, {8, 6, 8}, {8, 8, 12}};
    private static final int ROUNDS = 7;

    private final double secondsPerRound;
    private final PrintStream printer;

    private final boolean kernels;

    private KernelBenchmark(double secondsPerRound, boolean kernels, PrintStream out) {
        this.secondsPerRound = secondsPerRound;
        this.kernels = kernels;
        this.printer = out;
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.2;
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds per round must be positive, got " + args[0]);
        }
        boolean kernels = args.length < 2 || !args[1].equals("networks");
        new KernelBenchmark(seconds, kernels, System.out).run();
    }

    private void run() {
        printer.printf(Locale.ROOT, "vector lanes: fp32 %d, fp64 %d; %.2f s per round, median of %d rounds%n",
                Kernels.floatLanes(), Kernels.doubleLanes(), secondsPerRound, ROUNDS);
        warmUp();
        if (kernels) {
            printer.printf(Locale.ROOT, "%-6s %-16s %-12s %12s %10s %12s%n", "prec", "n x in x out", "kernel", "us/call",
                    "GFLOP/s", "bytes/call");
            for (int[] s : SHAPES) {
                floatKernels(s[0], s[1], s[2]);
            }
            for (int[] s : SHAPES) {
                doubleKernels(s[0], s[1], s[2]);
            }
            printer.println();
        }
        printer.printf(Locale.ROOT, "%-40s %12s %12s%n", "network forward+backward (one thread)", "us/pass",
                "bytes/pass");
        network("MADE D=6 x2 H=256 blocks=2 fp32 n=512", Networks.made(6, 2, 256, 2, Precision.FP32, rng()), 512);
        network("MADE D=6 x2 H=256 blocks=2 fp32 n=256", Networks.made(6, 2, 256, 2, Precision.FP32, rng()), 256);
        network("MADE D=6 x2 H=256 blocks=2 fp64 n=512", Networks.made(6, 2, 256, 2, Precision.FP64, rng()), 512);
        twoThreads("MADE D=6 x2 H=256 blocks=2 fp32 2 x n=256", Networks.made(6, 2, 256, 2, Precision.FP32, rng()), 256);
        network("ResNet 3->6 H=256 blocks=2 fp32 n=512", Networks.residual(3, 6, 256, 2, Precision.FP32, rng()), 512);
        network("MADE D=6 x2 H=8 blocks=2 fp32 n=8", Networks.made(6, 2, 8, 2, Precision.FP32, rng()), 8);
    }

    /**
     * Gets every kernel variant compiled by C2 on a mid-size shape first: until then the JVM runs them as
     * interpreted or C1 code that boxes every vector, and the first large shape would measure that.
     */
    private void warmUp() {
        long until = System.nanoTime() + (long) (Math.max(2.0, 10 * secondsPerRound) * 1e9);
        SplittableRandom rng = rng();
        Network made32 = Networks.made(5, 3, 40, 2, Precision.FP32, rng);
        Network made64 = Networks.made(5, 3, 40, 2, Precision.FP64, rng);
        Batch x = new Batch(randomDoubles(rng, 21 * 5), 21, 5);
        Batch g = new Batch(randomDoubles(rng, 21 * 15), 21, 15);
        while (System.nanoTime() < until) {
            for (int[] shape : new int[][] {{37, 40, 56}, {21, 5, 33}}) {
                floatKernelsOnce(shape[0], shape[1], shape[2]);
                doubleKernelsOnce(shape[0], shape[1], shape[2]);
            }
            made32.forward(x).backward(g, new Gradients());
            made64.forward(x).backward(g, new Gradients());
        }
    }

    private static void floatKernelsOnce(int n, int in, int out) {
        SplittableRandom rng = rng();
        float[] x = Kernels.pad(randomFloats(rng, n * in), n, in);
        float[] w = randomFloats(rng, out * in);
        float[] y = new float[n * Kernels.floatStride(out)];
        float[] dx = new float[n * Kernels.floatStride(in)];
        Kernels.forward(n, in, out, x, Kernels.packTransposed(w, out, in), Kernels.pad(w, 1, out), y, y.clone());
        Kernels.inputGrad(n, out, in, y, Kernels.packRows(w, out, in), x, dx, true);
        Kernels.weightGrad(n, out, in, y, x, new float[out * Kernels.floatStride(in)], false);
    }

    private static void doubleKernelsOnce(int n, int in, int out) {
        SplittableRandom rng = rng();
        double[] x = Kernels.pad(randomDoubles(rng, n * in), n, in);
        double[] w = randomDoubles(rng, out * in);
        double[] y = new double[n * Kernels.doubleStride(out)];
        double[] dx = new double[n * Kernels.doubleStride(in)];
        Kernels.forward(n, in, out, x, Kernels.packTransposed(w, out, in), Kernels.pad(w, 1, out), y, y.clone());
        Kernels.inputGrad(n, out, in, y, Kernels.packRows(w, out, in), x, dx, true);
        Kernels.weightGrad(n, out, in, y, x, new double[out * Kernels.doubleStride(in)], false);
    }

    private static SplittableRandom rng() {
        return new SplittableRandom(2022);
    }

    private static float[] randomFloats(SplittableRandom rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        return a;
    }

    private static double[] randomDoubles(SplittableRandom rng, int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }

    private void floatKernels(int n, int in, int out) {
        SplittableRandom rng = rng();
        float[] x = Kernels.pad(randomFloats(rng, n * in), n, in);
        float[] w = randomFloats(rng, out * in);
        float[] wt = Kernels.packTransposed(w, out, in);
        float[] rows = Kernels.packRows(w, out, in);
        float[] bias = Kernels.pad(randomFloats(rng, out), 1, out);
        float[] dy = Kernels.pad(randomFloats(rng, n * out), n, out);
        float[] y = new float[n * Kernels.floatStride(out)];
        float[] dx = new float[n * Kernels.floatStride(in)];
        float[] dw = new float[out * Kernels.floatStride(in)];
        double flops = 2.0 * n * in * out;
        report("fp32", n, in, out, "forward", flops, () -> Kernels.forward(n, in, out, x, wt, bias, y, null));
        report("fp32", n, in, out, "input-grad", flops, () -> Kernels.inputGrad(n, out, in, dy, rows, x, dx, false));
        report("fp32", n, in, out, "weight-grad", flops, () -> Kernels.weightGrad(n, out, in, dy, x, dw, false));
    }

    private void doubleKernels(int n, int in, int out) {
        SplittableRandom rng = rng();
        double[] x = Kernels.pad(randomDoubles(rng, n * in), n, in);
        double[] w = randomDoubles(rng, out * in);
        double[] wt = Kernels.packTransposed(w, out, in);
        double[] rows = Kernels.packRows(w, out, in);
        double[] bias = Kernels.pad(randomDoubles(rng, out), 1, out);
        double[] dy = Kernels.pad(randomDoubles(rng, n * out), n, out);
        double[] y = new double[n * Kernels.doubleStride(out)];
        double[] dx = new double[n * Kernels.doubleStride(in)];
        double[] dw = new double[out * Kernels.doubleStride(in)];
        double flops = 2.0 * n * in * out;
        report("fp64", n, in, out, "forward", flops, () -> Kernels.forward(n, in, out, x, wt, bias, y, null));
        report("fp64", n, in, out, "input-grad", flops, () -> Kernels.inputGrad(n, out, in, dy, rows, x, dx, false));
        report("fp64", n, in, out, "weight-grad", flops, () -> Kernels.weightGrad(n, out, in, dy, x, dw, false));
    }

    private void report(String precision, int n, int in, int out, String kernel, double flops, Runnable call) {
        double micros = medianMicros(call);
        printer.printf(Locale.ROOT, "%-6s %-16s %-12s %12.2f %10.1f %12d%n", precision, n + "x" + in + "x" + out,
                kernel, micros, flops / micros / 1e3, allocatedBytes(call));
    }

    private void network(String label, Network net, int n) {
        SplittableRandom rng = rng();
        double[] x = randomDoubles(rng, n * net.inputs());
        double[] g = randomDoubles(rng, n * net.outputs());
        Batch inputs = new Batch(x, n, net.inputs());
        Batch grad = new Batch(g, n, net.outputs());
        Gradients gradients = new Gradients();
        Runnable pass = () -> net.forward(inputs).backward(grad, gradients);
        double micros = medianMicros(pass);
        printer.printf(Locale.ROOT, "%-40s %12.1f %12d%n", label, micros, allocatedBytes(pass));
    }

    /**
     * Two threads each running passes of {@code n} rows on the same network at once (the trainer's data-parallel
     * step): wall time per pair of passes.
     */
    private void twoThreads(String label, Network net, int n) {
        SplittableRandom rng = rng();
        Batch[] inputs = new Batch[2];
        Batch[] grads = new Batch[2];
        for (int t = 0; t < 2; t++) {
            inputs[t] = new Batch(randomDoubles(rng, n * net.inputs()), n, net.inputs());
            grads[t] = new Batch(randomDoubles(rng, n * net.outputs()), n, net.outputs());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Runnable pair = () -> {
                java.util.concurrent.Future<?> other = pool.submit(
                        () -> net.forward(inputs[1]).backward(grads[1], new Gradients()));
                net.forward(inputs[0]).backward(grads[0], new Gradients());
                try {
                    other.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            };
            printer.printf(Locale.ROOT, "%-40s %12.1f%n", label, medianMicros(pair));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Heap bytes one call allocates (the kernels themselves should allocate none). */
    private static long allocatedBytes(Runnable call) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int calls = 20;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int c = 0; c < calls; c++) {
            call.run();
        }
        return (threads.getCurrentThreadAllocatedBytes() - before) / calls;
    }

    /** Median over rounds of the mean time per call, after a warm-up of one round's length. */
    private double medianMicros(Runnable call) {
        long calls = callsPerRound(call);
        // A few unmeasured rounds first: C2 may still be recompiling after the profile this case adds.
        for (int r = 0; r < 3; r++) {
            for (long c = 0; c < calls; c++) {
                call.run();
            }
        }
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            for (long c = 0; c < calls; c++) {
                call.run();
            }
            rounds[r] = (System.nanoTime() - start) / 1e3 / calls;
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    /** Warms the code up and returns how many calls fill one round. */
    private long callsPerRound(Runnable call) {
        long calls = 1;
        long budget = (long) (secondsPerRound * 1e9);
        while (true) {
            long start = System.nanoTime();
            for (long c = 0; c < calls; c++) {
                call.run();
            }
            long elapsed = System.nanoTime() - start;
            if (elapsed >= budget) {
                return Math.max(1, (long) (calls * (double) budget / elapsed));
            }
            calls *= elapsed < budget / 8 ? 4 : 2;
        }
    }
}
