package io.autonf.cli;

import io.autonf.cost.CostModel;
import io.autonf.cost.CostTable;
import io.autonf.cost.CostTables;
import io.autonf.cost.CostTables.CostTableFile;
import io.autonf.cost.Hardware;
import io.autonf.cost.LayerCost;
import io.autonf.cost.MeasureOptions;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code autonf cost-model}: what each candidate layer costs on this machine for a data dimension and layer
 * settings (forward = density evaluation, inverse = sampling, training = forward + backward, per sample, plus
 * analytic FLOPs). The table is saved in the cost-table directory and reused by later runs and by the search
 * when the dimension, settings, batch and hardware match.
 */
@Command(name = "cost-model", description = "Measure (or reuse) the per-layer cost table the search uses: forward, "
        + "inverse and training time and FLOPs per sample of each candidate layer.",
        defaultValueProvider = CostModelCommand.Defaults.class, sortOptions = false)
final class CostModelCommand extends ResultCommand {

    /** The paper's four layers and the two classic flows; identity costs nothing and is never measured. */
    static final String DEFAULT_OPTIONS = "maf,rq-ar,affine-c,rq-c,planar,radial";

    private final DatasetLoader datasets;

    @Option(names = "--data", paramLabel = "NAME|FILE", description = "Data set whose dimension D the layers get.")
    String data;

    @Option(names = "--dimension", paramLabel = "D", description = "The dimension D, instead of --data.")
    Integer dimension;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden features of the conditioner networks (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--blocks", paramLabel = "N", description = "Residual blocks per conditioner network (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--bins", paramLabel = "K", description = "Spline bins (default: ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--tail-bound", paramLabel = "B", description = "Splines act on [-B, B] (default: ${DEFAULT-VALUE}).")
    double tailBound;

    @Option(names = "--precision", paramLabel = "fp32|fp64", converter = Converters.PrecisionConverter.class,
            description = "Arithmetic of the conditioner networks (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--options", paramLabel = "LAYERS", description = "Comma-separated layer kinds to measure "
            + "(default: ${DEFAULT-VALUE}; identity costs 0).")
    String options;

    @Option(names = "--batch", paramLabel = "N", description = "Rows per timed call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--dir", paramLabel = "DIR", description = "Cost-table directory (default: $" + CostTables.DIRECTORY_ENVIRONMENT
            + " or ~/.autonf/cost-tables).")
    Path directory;

    @Option(names = "--remeasure", description = "Measure even when a matching table exists, and replace it.")
    boolean remeasure;

    @Option(names = "--quick", description = "At most 3 s of warm-up and fewer timed runs: faster, noisier.")
    boolean quick;

    @Option(names = "--max-warmup", paramLabel = "S", description = "Longest warm-up, in seconds, while waiting for "
            + "the JIT to settle (default: ${DEFAULT-VALUE}; 3 with --quick).")
    double maxWarmup;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds the layers' parameters, the inputs and data loading (default: ${DEFAULT-VALUE}).")
    long seed;

    CostModelCommand(DatasetLoader datasets) {
        if (datasets == null) {
            throw new IllegalArgumentException("cost-model needs a data-set loader");
        }
        this.datasets = datasets;
    }

    /** Option defaults come from the library's own defaults, so the two cannot drift apart. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            Object value = switch (option.longestName()) {
                case "--options" -> DEFAULT_OPTIONS;
                case "--batch" -> MeasureOptions.DEFAULT.batch();
                case "--max-warmup" -> MeasureOptions.DEFAULT.maxWarmupSeconds();
                case "--seed" -> 1;
                default -> null;
            };
            return value == null ? Converters.layerSettingDefault(option.longestName()) : String.valueOf(value);
        }
    }

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions();

    @Override
    RuntimeOptions runtimeOptions() {
        return runtime;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws IOException {
        if ((data == null) == (dimension == null)) {
            throw new ParameterException(spec.commandLine(), data == null
                    ? "Missing option: give --data NAME|FILE or --dimension D"
                    : "Give either --data or --dimension, not both");
        }
        LayerSettings settings = layerSettings();
        List<LayerKind> kinds = kinds();
        MeasureOptions measure = apply("--batch", MeasureOptions.DEFAULT, m -> m.withBatch(batch));
        if (quick) {
            measure = measure.quick();
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--max-warmup")) {
            MeasureOptions m = measure;
            measure = apply("--max-warmup", maxWarmup, x -> new MeasureOptions(m.batch(),
                    Math.min(m.warmupSeconds(), x), x, m.repeats(), m.repeatSeconds()));
        }
        Path dir = directory != null ? directory : CostTables.defaultDirectory();

        String datasetName = null;
        int d;
        if (data != null) {
            TrainingData loaded = datasets.load(data, seed);
            datasetName = loaded.name();
            d = loaded.dimension();
        } else {
            d = apply("--dimension", dimension, x -> {
                if (x < 1) {
                    throw new IllegalArgumentException("the dimension must be at least 1, got " + x);
                }
                return x;
            });
        }
        log.printf(Locale.ROOT, "cost model for D=%d%s: %s; batch %d, single-threaded, %s%n", d,
                datasetName == null ? "" : " (" + datasetName + ")", describe(settings), measure.batch(),
                CostModel.clock());
        log.flush();
        SplittableRandom rng = new SplittableRandom(seed);
        PrintWriter progress = log;
        // The cost model reports by lines only (what it decided, the warm-up, one per layer measured, the file
        // saved), so the bar advances one unit per line: coarse, but it shows that work goes on and how long it took.
        long real = kinds.stream().filter(k -> k != LayerKind.IDENTITY).count();
        try (ProgressBar bar = runtime.progress(log).bar("cost-model", real + 3)) {
            long[] lines = {0};
            java.util.function.Consumer<String> logLine = line -> {
                progress.println(line);
                progress.flush();
                bar.update(++lines[0]);
            };
            CostTableFile found = remeasure
                    ? CostTables.measureAndSave(dir, d, settings, kinds, measure, rng, logLine)
                    : CostTables.loadOrMeasure(dir, d, settings, kinds, measure, rng, logLine);
            bar.update(real + 3);
            return result(found, kinds, datasetName);
        }
    }

    private Map<String, Object> result(CostTableFile found, List<LayerKind> kinds, String datasetName) {
        CostTable table = found.table();
        Map<String, Object> r = new LinkedHashMap<>();
        if (datasetName != null) {
            r.put("dataset", datasetName);
        }
        r.put("dimension", table.dimension());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("hidden", table.settings().hiddenFeatures());
        s.put("blocks", table.settings().blocks());
        s.put("bins", table.settings().bins());
        s.put("tail_bound", table.settings().tailBound());
        s.put("precision", table.settings().precision().name().toLowerCase(Locale.ROOT));
        r.put("settings", s);
        r.put("batch", table.batch());
        r.put("threads", table.threads());
        r.put("clock", CostModel.clock());
        Hardware h = table.hardware();
        Map<String, Object> hw = new LinkedHashMap<>();
        hw.put("cpu_model", h.cpuModel());
        hw.put("cores", h.cores());
        hw.put("jvm_vendor", h.jvmVendor());
        hw.put("jvm_version", h.jvmVersion());
        hw.put("os", h.os());
        hw.put("arch", h.arch());
        hw.put("vector_lanes", h.vectorLanes());
        r.put("hardware", hw);
        r.put("created", table.created().toString());
        r.put("file", found.file().toAbsolutePath().toString());
        r.put("reused", found.reused());
        r.put("measured", found.measured().stream().sorted().map(LayerKind::id).toList());
        r.put("units", "per sample: microseconds (us) of one thread's time; millions of floating-point operations (mflops)");
        Map<String, Object> layers = new LinkedHashMap<>();
        for (LayerKind k : kinds) {
            Map<String, Object> l = new LinkedHashMap<>();
            LayerCost c = k == LayerKind.IDENTITY ? null : table.layerCost(k);
            l.put("forward_us", c == null ? 0.0 : c.forwardSeconds() * 1e6);
            l.put("inverse_us", c == null ? 0.0 : c.inverseSeconds() * 1e6);
            l.put("training_us", c == null ? 0.0 : c.trainingSeconds() * 1e6);
            l.put("forward_mflops", c == null ? 0.0 : c.forwardFlops() / 1e6);
            l.put("inverse_mflops", c == null ? 0.0 : c.inverseFlops() / 1e6);
            layers.put(k.id(), l);
        }
        r.put("layers", layers);
        return r;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String text(Map<String, Object> r) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> s = (Map<String, Object>) r.get("settings");
        Map<String, Object> hw = (Map<String, Object>) r.get("hardware");
        out.append(String.format(Locale.ROOT, "cost table for D=%s%s: hidden %s, %s blocks, %s bins, tail bound %s, %s; "
                        + "batch %s, single-threaded (%s)%n", r.get("dimension"),
                r.containsKey("dataset") ? " (" + r.get("dataset") + ")" : "", s.get("hidden"), s.get("blocks"),
                s.get("bins"), s.get("tail_bound"), s.get("precision"), r.get("batch"), r.get("clock")));
        out.append(String.format(Locale.ROOT, "hardware: %s (%s cores), %s %s, %s/%s, %s fp32 vector lanes%n",
                hw.get("cpu_model"), hw.get("cores"), hw.get("jvm_vendor"), hw.get("jvm_version"), hw.get("os"),
                hw.get("arch"), hw.get("vector_lanes")));
        out.append(String.format(Locale.ROOT, "%-9s %12s %12s %12s %14s %14s%n", "layer", "forward µs", "inverse µs",
                "training µs", "forward MFLOP", "inverse MFLOP"));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) r.get("layers")).entrySet()) {
            Map<String, Object> l = (Map<String, Object>) e.getValue();
            out.append(String.format(Locale.ROOT, "%-9s %12.2f %12.2f %12.2f %14.4f %14.4f%n", e.getKey(),
                    (Double) l.get("forward_us"), (Double) l.get("inverse_us"), (Double) l.get("training_us"),
                    (Double) l.get("forward_mflops"), (Double) l.get("inverse_mflops")));
        }
        out.append("(per sample)").append(System.lineSeparator());
        out.append(Boolean.TRUE.equals(r.get("reused"))
                ? "reused " + r.get("file") + " (measured " + r.get("created") + ")"
                : "saved " + r.get("file") + " (measured " + r.get("measured") + ")");
        out.append(System.lineSeparator());
        return out.toString();
    }

    private List<LayerKind> kinds() {
        if (options == null || options.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--options': name at least one "
                    + "layer kind, e.g. " + DEFAULT_OPTIONS);
        }
        LinkedHashSet<LayerKind> kinds = new LinkedHashSet<>();
        for (String part : options.split(",")) {
            kinds.add(apply("--options", part, LayerKind::parse));
        }
        if (kinds.stream().allMatch(k -> k == LayerKind.IDENTITY)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--options': identity alone "
                    + "costs nothing; name a layer to measure");
        }
        return new ArrayList<>(kinds);
    }

    private LayerSettings layerSettings() {
        LayerSettings s = LayerSettings.DEFAULT;
        s = apply("--hidden", s, x -> x.withHiddenFeatures(hidden));
        s = apply("--blocks", s, x -> x.withBlocks(blocks));
        s = apply("--bins", s, x -> x.withBins(bins));
        s = apply("--tail-bound", s, x -> x.withTailBound(tailBound));
        return apply("--precision", s, x -> x.withPrecision(precision));
    }

    private static String describe(LayerSettings s) {
        return String.format(Locale.ROOT, "hidden %d, %d blocks, %d bins, tail bound %s, %s", s.hiddenFeatures(),
                s.blocks(), s.bins(), s.tailBound(), s.precision().name().toLowerCase(Locale.ROOT));
    }

    /** Applies one option, so that an invalid value is reported with the option's name. */
    private <T, R> R apply(String option, T value, java.util.function.Function<T, R> change) {
        try {
            return change.apply(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage());
        }
    }
}
