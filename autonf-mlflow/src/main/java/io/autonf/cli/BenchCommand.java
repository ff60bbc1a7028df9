package io.autonf.cli;

import io.autonf.bench.TrainingBenchmark;
import io.autonf.bench.TrainingBenchmark.Case;
import io.autonf.bench.TrainingBenchmark.Measurement;
import io.autonf.flow.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code autonf bench}: training steps per second of single layers through the real trainer, the figure that
 * {@code tools/bench/torch_bench.py} measures for PyTorch + nflows on the same cases.
 */
@Command(name = "bench", description = "Measure training steps/s of single layers (compare with tools/bench/torch_bench.py).",
        sortOptions = false)
final class BenchCommand extends ResultCommand {

    @Option(names = "--case", paramLabel = "NAME", split = ",",
            description = "Cases to run (default: all): maf-d6-b512-h256, rqc-d43-b512-h256, maf-d6-b8-h8.")
    List<String> cases = List.of();

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads of the trainer (default: ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", paramLabel = "S", description = "Length of each timed run (default: ${DEFAULT-VALUE}).")
    double seconds = 3.0;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed runs per case; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--precision", paramLabel = "fp32|fp64", converter = Converters.PrecisionConverter.class,
            description = "Arithmetic of the conditioner networks (default: ${DEFAULT-VALUE}).")
    Precision precision = Precision.FP32;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of data and parameters (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Override
    RuntimeOptions runtimeOptions() {
        return runtime;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) {
        if (threads < 1 || repeats < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("--threads and --repeats must be at least 1 and --seconds positive");
        }
        List<Case> selected = new ArrayList<>();
        for (Case c : TrainingBenchmark.standardCases(precision)) {
            if (cases.isEmpty() || cases.contains(c.name())) {
                selected.add(c);
            }
        }
        if (selected.size() < Math.max(1, new java.util.HashSet<>(cases).size())) {
            throw new IllegalArgumentException("unknown --case in " + cases + "; known: "
                    + TrainingBenchmark.standardCases(precision).stream().map(Case::name).toList());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("threads", threads);
        result.put("precision", precision.name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> perCase = new LinkedHashMap<>();
        ProgressBar bar = runtime.progress(log).bar("bench", selected.size());
        for (Case c : selected) {
            log.println("bench: " + c.description() + " ...");
            log.flush();
            Measurement m = TrainingBenchmark.measure(c, threads, seconds, repeats, seed);
            log.println("  " + TrainingBenchmark.format(m));
            log.flush();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("steps_per_second", m.medianStepsPerSecond());
            entry.put("runs", m.runs());
            entry.put("description", c.description());
            perCase.put(c.name(), entry);
            bar.update(perCase.size());
        }
        bar.close();
        result.put("cases", perCase);
        return result;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String text(Map<String, Object> result) {
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "%-20s %14s   (%s, %s threads)%n",
                "case", "steps/s", result.get("precision"), result.get("threads")));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) result.get("cases")).entrySet()) {
            Map<String, Object> entry = (Map<String, Object>) e.getValue();
            out.append(String.format(java.util.Locale.ROOT, "%-20s %14.1f   %s%n", e.getKey(),
                    (Double) entry.get("steps_per_second"), entry.get("description")));
        }
        return out.toString();
    }
}
