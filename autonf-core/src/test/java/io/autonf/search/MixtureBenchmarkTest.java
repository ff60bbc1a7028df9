package io.autonf.search;

import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;
import static io.autonf.search.LayerRoles.MIXED;

/**
 * Times one evaluate() with gradients against one training step (forward + backward) of a single architecture
 * with one layer of each kind, on the same batch. Not a check: run it on purpose with
 * {@code mvn -o -pl autonf-core test -Dtest=MixtureBenchmarkTest -Dautonf.bench=true}.
 */
@EnabledIfSystemProperty(named = "autonf.bench", matches = "true")
class MixtureBenchmarkTest {

    private static final int DIMENSION = 6;
    private static final int ROWS = 256;
    private static final LayerSettings SETTINGS = new LayerSettings(32, 2, 8, 3.0, Precision.FP32);

    /** Wall-clock and calling-thread CPU milliseconds of one run (medians). */
    record Timing(double wallMs, double cpuMs) {
    }

    @Test
    void evaluationAgainstASingleArchitecturesTrainingStep() {
        SplittableRandom rng = new SplittableRandom(1);
        Batch x = MixtureFixtures.gaussian(ROWS, DIMENSION, 1.0, rng);
        Flow single = Layers.flow(Architecture.parse("maf,rq-ar,affine-c,rq-c"), DIMENSION, SETTINGS, new SplittableRandom(2));
        Runnable singleStep = () -> single.meanNllWithGradient(x, new Gradients(), 1.0);
        SearchSpace space = new SearchSpace(4, List.of(MAF, RQ_AR, AFFINE_C, RQ_C), SETTINGS);
        List<LayerRoles> roles = List.of(LayerRoles.allMixed(4),
                new LayerRoles(new int[] {MIXED, MIXED, 0, 3}),
                new LayerRoles(new int[] {1, 2, MIXED, MIXED}));
        // Warm the JIT on every kernel first: until the vector kernels are compiled they run many times slower.
        try (MixtureFlow warm = new MixtureFlow(space, DIMENSION, new SplittableRandom(3), 1)) {
            long until = System.nanoTime() + 8_000_000_000L;
            while (System.nanoTime() < until) {
                warm.evaluate(x, SearchLoss.UPPER_BOUND, roles.get(1), new Gradients(), new Gradients());
                warm.evaluate(x, SearchLoss.ORIGINAL, roles.get(2), new Gradients(), new Gradients());
                singleStep.run();
            }
        }
        System.out.printf(Locale.ROOT, "load average %.2f on %d processors%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        for (int threads : new int[] {1, 2}) {
            try (MixtureFlow mixture = new MixtureFlow(space, DIMENSION, new SplittableRandom(3), threads)) {
                for (LayerRoles r : roles) {
                    long nodes = mixture.layerEvaluations(r, 1);
                    for (SearchLoss loss : SearchLoss.values()) {
                        // Interleave the reference so that both see the same load.
                        int repeats = nodes > 100 ? 5 : 11;
                        double[] ratioWall = new double[repeats];
                        double[] ratioCpu = new double[repeats];
                        double[] evaluateMs = new double[repeats];
                        double[] singleMs = new double[repeats];
                        double[] coresUsed = new double[repeats];
                        for (int i = 0; i < repeats; i++) {
                            Timing ref = time(singleStep, 5);
                            long processCpu = processCpuNanos();
                            Timing mix = time(() -> mixture.evaluate(x, loss, r, new Gradients(), new Gradients()), 1);
                            coresUsed[i] = (processCpuNanos() - processCpu) / 1e6 / mix.wallMs();
                            ratioWall[i] = mix.wallMs() / ref.wallMs();
                            ratioCpu[i] = mix.cpuMs() / ref.cpuMs();
                            evaluateMs[i] = mix.wallMs();
                            singleMs[i] = ref.wallMs();
                        }
                        System.out.printf(Locale.ROOT,
                                "roles %-16s %-11s %d thread(s): %3d layer evals/row (ratio to 4 layers %.1f); evaluate %.1f ms"
                                        + " vs single step %.2f ms: wall ratio %.1f%s, %.2f cores busy; %.1f MiB estimated%n",
                                r, loss, threads, nodes, nodes / 4.0, median(evaluateMs), median(singleMs), median(ratioWall),
                                threads == 1 ? String.format(Locale.ROOT, ", CPU ratio %.1f", median(ratioCpu)) : "",
                                median(coresUsed), mixture.estimatedBytes(r, ROWS, loss) / 1048576.0);
                    }
                    Timing forward = time(() -> mixture.evaluate(x, SearchLoss.UPPER_BOUND, r, null, new Gradients()), 3);
                    System.out.printf(Locale.ROOT, "roles %-16s α-gradient only (no backward), %d thread(s): %.1f ms%n",
                            r, threads, forward.wallMs());
                }
            }
        }
    }

    private static Timing time(Runnable work, int runs) {
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long cpuStart = bean.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - start) / 1e6;
            cpu[i] = (bean.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        return new Timing(median(wall), median(cpu));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
