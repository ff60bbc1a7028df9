package io.autonf.cli;

import io.autonf.data.Datasets;
import io.autonf.flow.Batch;
import io.autonf.metric.Prdc;
import io.autonf.metric.PrdcResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code autonf metrics}: precision, recall, density and coverage (Naeem et al. 2020, as the prdc package
 * computes them) of one set of points against another, both read from {@code .npy} or {@code .csv} files. Every
 * row of both files is used.
 */
@Command(name = "metrics", description = "Precision, recall, density and coverage of samples against reference points "
        + "(.npy or .csv files), exactly as the prdc package computes them.", sortOptions = false)
final class MetricsCommand extends ResultCommand {

    @Option(names = "--samples", required = true, paramLabel = "FILE",
            description = "The generated points (prdc's fake features), one per row.")
    Path samples;

    @Option(names = "--reference", required = true, paramLabel = "FILE",
            description = "The real points, e.g. a test split, one per row.")
    Path reference;

    @Option(names = "--k", paramLabel = "K", description = "Nearest neighbours that define each ball (default: ${DEFAULT-VALUE}).")
    int k = Prdc.DEFAULT_K;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; the result does not depend on them "
            + "(default: ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Override
    RuntimeOptions runtimeOptions() {
        return runtime;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        Batch fake = Datasets.readMatrix(samples);
        Batch real = Datasets.readMatrix(reference);
        if (fake.cols() != real.cols()) {
            throw new IllegalArgumentException("--samples " + samples + " has " + fake.cols() + " columns but --reference "
                    + reference + " has " + real.cols());
        }
        for (Map.Entry<String, Batch> set : Map.of("--samples " + samples, fake, "--reference " + reference, real).entrySet()) {
            if (set.getValue().rows() <= k) {
                throw new IllegalArgumentException("--k " + k + " needs more than k rows in " + set.getKey()
                        + " (each ball reaches the k-th nearest other point), it has " + set.getValue().rows());
            }
        }
        log.printf(Locale.ROOT, "metrics: %d samples against %d reference points in %d dimensions, k = %d, %d threads%n",
                fake.rows(), real.rows(), real.cols(), k, threads);
        log.flush();
        long start = System.nanoTime();
        PrdcResult r;
        // One k-NN computation with no steps to report: the bar says when it ends and how long it took.
        try (ProgressBar bar = runtime.progress(log).bar("metrics", 1)) {
            r = Prdc.compute(real, fake, k, threads);
            bar.update(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", r.precision());
        m.put("recall", r.recall());
        m.put("density", r.density());
        m.put("coverage", r.coverage());
        m.put("samples", fake.rows());
        m.put("reference_points", real.rows());
        m.put("dimension", real.cols());
        m.put("k", k);
        m.put("threads", threads);
        m.put("seconds", seconds);
        m.put("samples_file", samples.toAbsolutePath().toString());
        m.put("reference_file", reference.toAbsolutePath().toString());
        return m;
    }
}
