package io.autonf.cli;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostModel;
import io.autonf.cost.MeasureOptions;
import io.autonf.cost.MeasuredCost;
import io.autonf.metric.Evaluator;
import io.autonf.metric.FlowEvaluation;
import io.autonf.metric.Fom;
import io.autonf.metric.Prdc;
import io.autonf.train.FlowFactory;
import io.autonf.train.FlowFiles;
import io.autonf.train.TrainedFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code autonf evaluate}: loads a saved flow ({@code .anf}, from {@code train --out} or a search run's
 * {@code model.anf}) and evaluates it with {@link Evaluator} on a data set's test split: test NLL and its error,
 * density, coverage, precision and recall, and the flow's forward and inverse cost timed on this machine. With
 * {@code --reference} a second flow is evaluated the same way and the figure of merit of the first against it is
 * printed.
 *
 * <p>Where a model file records how its producer evaluated it (a search's {@code training.data} and
 * {@code training.evaluation}), those are the defaults of {@code --data-seed}, {@code --samples}, {@code --k} and
 * {@code --seed}, so that evaluating a search's model again gives the numbers the search reported.
 */
@Command(name = "evaluate", description = "Evaluate a saved flow (.anf) on a data set's test split: test NLL, density, "
        + "coverage and costs; against a reference flow with --reference.", sortOptions = false)
public final class EvaluateCommand extends ResultCommand {

    private final FlowFactory flows;
    private final DatasetLoader datasets;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The flow to evaluate (.anf).")
    Path model;

    @Option(names = "--data", paramLabel = "NAME|FILE", description = "Data set name or file (default: the one the "
            + "model file records).")
    String data;

    @Option(names = "--reference", paramLabel = "FILE", description = "A second flow (.anf) to compare with: the "
            + "figure of merit of --model against it.")
    Path reference;

    @Option(names = "--emphasis", paramLabel = "forward|inverse", converter = SearchCommand.EmphasisConverter.class,
            description = "Which measured cost the figure of merit compares (default: ${DEFAULT-VALUE}).")
    CostEmphasis emphasis = CostEmphasis.FORWARD;

    @Option(names = "--data-seed", paramLabel = "N", description = "Seed of data loading and splitting (default: "
            + "the model's record, else 0).")
    Long dataSeed;

    @Option(names = "--samples", paramLabel = "N", description = "Flow samples for density and coverage (default: "
            + "the model's record, else " + Evaluator.DEFAULT_SAMPLES + ").")
    Integer samples;

    @Option(names = "--k", paramLabel = "K", description = "Neighbours for density and coverage (default: the model's "
            + "record, else " + Prdc.DEFAULT_K + ").")
    Integer k;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sampling noise (default: the model's record, "
            + "else 0).")
    Long seed;

    @Option(names = "--no-costs", description = "Skip timing the flows (no costs, no figure of merit).")
    boolean noCosts;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; results do not depend on them "
            + "(default: ${DEFAULT-VALUE}).")
    int threads = 1;

    public EvaluateCommand(FlowFactory flows, DatasetLoader datasets) {
        if (flows == null || datasets == null) {
            throw new IllegalArgumentException("evaluate needs a flow factory and a data-set loader");
        }
        this.flows = flows;
        this.datasets = datasets;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) throws Exception {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--threads': must be at least 1, "
                    + "got " + threads);
        }
        TrainedFlow flow = load("--model", model);
        Map<String, ?> recordedData = section(flow, "data");
        Map<String, ?> recordedEvaluation = section(flow, "evaluation");
        String dataSpec = data != null ? data : recordedData.get("spec") instanceof String s ? s
                : flow.dataset().isEmpty() ? null : flow.dataset();
        if (dataSpec == null) {
            throw new ParameterException(spec.commandLine(), "Missing option '--data': " + model
                    + " does not record its data set");
        }
        long dataSeedUsed = dataSeed != null ? dataSeed : longOr(recordedData.get("seed"), 0);
        int samplesUsed = samples != null ? samples : (int) longOr(recordedEvaluation.get("samples"), Evaluator.DEFAULT_SAMPLES);
        int kUsed = k != null ? k : (int) longOr(recordedEvaluation.get("k"), Prdc.DEFAULT_K);
        long seedUsed = seed != null ? seed : longOr(recordedEvaluation.get("seed"), 0);
        TrainingData dataset = datasets.load(dataSpec, dataSeedUsed);
        if (dataset.dimension() != flow.spec().dimension()) {
            throw new IllegalArgumentException(model + " is a flow of " + flow.spec().dimension() + " features but "
                    + dataset.name() + " has " + dataset.dimension());
        }
        log.printf(Locale.ROOT, "evaluating %s (%s) on the %d test rows of %s: %d samples, k %d, seed %d%n", model,
                flow.spec().architecture(), dataset.test().rows(), dataset.name(), samplesUsed, kUsed, seedUsed);
        log.flush();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dataset", dataset.name());
        result.put("data_seed", dataSeedUsed);
        result.put("samples", samplesUsed);
        result.put("k", kUsed);
        result.put("seed", seedUsed);
        Evaluated found = evaluate(model, flow, dataset, samplesUsed, kUsed, seedUsed);
        result.put("model", found.summary());
        if (flow.training().get("test_nll") instanceof Number recorded) {
            result.put("recorded_test_nll", recorded.doubleValue());
        }
        if (reference != null) {
            TrainedFlow other = load("--reference", reference);
            if (other.spec().dimension() != flow.spec().dimension()) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--reference': a flow of "
                        + other.spec().dimension() + " features, --model has " + flow.spec().dimension());
            }
            Evaluated ref = evaluate(reference, other, dataset, samplesUsed, kUsed, seedUsed);
            result.put("reference", ref.summary());
            if (!noCosts) {
                Fom fom = Fom.of(found.cost(emphasis), ref.cost(emphasis), found.evaluation.density(),
                        ref.evaluation.density());
                result.put("emphasis", emphasis.id());
                result.put("cost_reduction_percent", fom.costReductionPercent());
                result.put("density_change_percent", fom.densityChangePercent());
                result.put("fom", fom.value());
            }
        }
        return result;
    }

    private record Evaluated(Path file, TrainedFlow flow, FlowEvaluation evaluation, MeasuredCost measured) {

        double cost(CostEmphasis emphasis) {
            return switch (emphasis) {
                case FORWARD -> measured.forwardSeconds();
                case INVERSE -> measured.inverseSeconds();
                case TRAINING -> throw new IllegalArgumentException("evaluate times the forward and inverse directions "
                        + "only; use --emphasis forward or inverse");
            };
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toAbsolutePath().toString());
            m.put("architecture", flow.spec().architecture().toString());
            m.put("test_nll", evaluation.testNll().mean());
            m.put("test_nll_error", evaluation.testNll().error());
            m.put("test_rows", evaluation.testNll().count());
            m.put("density", evaluation.density());
            m.put("coverage", evaluation.coverage());
            m.put("precision", evaluation.precision());
            m.put("recall", evaluation.recall());
            if (measured != null) {
                m.put("forward_cost_measured_us", measured.forwardSeconds() * 1e6);
                m.put("inverse_cost_measured_us", measured.inverseSeconds() * 1e6);
            }
            return m;
        }
    }

    private Evaluated evaluate(Path file, TrainedFlow flow, TrainingData dataset, int samplesUsed, int kUsed, long seedUsed) {
        FlowEvaluation evaluation;
        try {
            evaluation = Evaluator.evaluate(flow.flow(), dataset.test(), samplesUsed, kUsed, new SplittableRandom(seedUsed),
                    threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid options: " + e.getMessage());
        }
        MeasuredCost measured = noCosts ? null
                : CostModel.measureFlow(flow.flow(), MeasureOptions.DEFAULT.quick(), new SplittableRandom(seedUsed));
        return new Evaluated(file, flow, evaluation, measured);
    }

    private TrainedFlow load(String option, Path file) throws java.io.IOException {
        try {
            return FlowFiles.load(file, flows);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> section(TrainedFlow flow, String name) {
        return flow.training().get(name) instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
    }

    private static long longOr(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected String text(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append(row("model", (Map<String, Object>) r.get("model")));
        if (r.containsKey("reference")) {
            b.append(row("reference", (Map<String, Object>) r.get("reference")));
        }
        if (r.containsKey("fom")) {
            b.append(String.format(Locale.ROOT, "%s cost reduction %.1f%%, density change %.1f%%, FOM %.1f%n",
                    r.get("emphasis"), (Double) r.get("cost_reduction_percent"), (Double) r.get("density_change_percent"),
                    (Double) r.get("fom")));
        }
        if (r.containsKey("recorded_test_nll")) {
            b.append(String.format(Locale.ROOT, "recorded test NLL of the model: %.4f%n", (Double) r.get("recorded_test_nll")));
        }
        return b.toString();
    }

    private static String row(String label, Map<String, Object> m) {
        String costs = m.containsKey("forward_cost_measured_us") ? String.format(Locale.ROOT,
                "  forward %.3g µs  inverse %.3g µs per sample (measured)", (Double) m.get("forward_cost_measured_us"),
                (Double) m.get("inverse_cost_measured_us")) : "";
        return String.format(Locale.ROOT, "%-10s %-28s test NLL %.4f ± %.4f  density %.4f  coverage %.4f%s%n", label,
                m.get("architecture"), (Double) m.get("test_nll"), (Double) m.get("test_nll_error"),
                (Double) m.get("density"), (Double) m.get("coverage"), costs);
    }
}
