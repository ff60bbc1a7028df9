package io.autonf.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonf.cost.CostEmphasis;
import io.autonf.flow.Architecture;
import io.autonf.ga.CheckpointJson;
import io.autonf.metric.FlowEvaluation;
import io.autonf.metric.PrdcResult;
import io.autonf.train.NllEstimate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The finished work of a study, handed to a sink after every method (see {@link StudyRunner#run(java.util.function
 * .Consumer)}), from which {@link StudyRunner#resume} runs only what is missing (see the package documentation).
 *
 * @param configFingerprint the study's configuration ({@link CheckpointJson#fingerprint} of
 *                          {@link StudyConfig#summary()}); a resume with another configuration is refused
 * @param entries           every method finished and told to the listener, in the order they finished, at most
 *                          one per cell × method
 * @param convergencesTold  the cells whose convergence the listener has been told, in that order
 * @param datasetFailures   data sets that could not be loaded (or their cost table measured), with why
 */
public record StudyCheckpoint(String configFingerprint, List<Entry> entries, List<StudyCell> convergencesTold,
                              Map<String, String> datasetFailures) {

    /** Version of the JSON file; a reader refuses any other. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the file's {@code kind} field. */
    public static final String KIND = "autonf-study-checkpoint";

    /** An AutoNF argmax architecture and the compute AutoNF had spent when it was recorded. */
    public record ArgmaxSnapshot(long layerEvaluations, Architecture architecture) {
        public ArgmaxSnapshot {
            if (architecture == null) {
                throw new IllegalArgumentException("a snapshot needs its architecture");
            }
        }
    }

    /**
     * One method finished in one cell: what the listener was told, and what the rest of the study needs of it.
     *
     * @param cell        for a reference, the cell it is reported under ({@link StudyListener})
     * @param result      what {@link StudyListener#onCellFinish} was told
     * @param trained     a reference's trained flow (null for the searches, or when it failed): the other rows'
     *                    figures of merit are measured against it
     * @param argmax      AutoNF's argmax snapshots, for the convergence comparison (empty for the other methods,
     *                    and when the search itself failed)
     * @param candidates  the GA's candidates, for the Pareto plot (empty otherwise)
     * @param convergence the cell's convergence comparison, with the GA (null otherwise)
     */
    public record Entry(StudyCell cell, StudyMethod method, MethodResult result, TrainedFlow trained,
                        List<ArgmaxSnapshot> argmax, List<GaCandidatePoint> candidates, Convergence convergence) {

        public Entry {
            if (cell == null || method == null || result == null) {
                throw new IllegalArgumentException("a checkpoint entry needs its cell, method and result");
            }
            argmax = argmax == null ? List.of() : List.copyOf(argmax);
            candidates = candidates == null ? List.of() : List.copyOf(candidates);
        }
    }

    public StudyCheckpoint {
        if (configFingerprint == null || entries == null || convergencesTold == null || datasetFailures == null) {
            throw new IllegalArgumentException("a study checkpoint needs its configuration, entries, convergences "
                    + "and data set failures");
        }
        entries = List.copyOf(entries);
        java.util.Set<String> keys = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (!keys.add(e.cell().label() + " " + e.method().id())) {
                throw new IllegalArgumentException("the checkpoint holds " + e.method().label() + " in "
                        + e.cell().label() + " twice");
            }
        }
        convergencesTold = List.copyOf(convergencesTold);
        datasetFailures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasetFailures));
    }

    /** The entry of {@code method} in {@code cell}, or null when it has not finished. */
    public Entry entry(StudyCell cell, StudyMethod method) {
        for (Entry e : entries) {
            if (e.cell().equals(cell) && e.method() == method) {
                return e;
            }
        }
        return null;
    }

    public JsonNode toJson() {
        ObjectNode o = CheckpointJson.object();
        o.put("kind", KIND);
        o.put("format_version", FORMAT_VERSION);
        o.put("config", configFingerprint);
        ArrayNode list = o.putArray("entries");
        for (Entry e : entries) {
            ObjectNode n = list.addObject();
            n.set("cell", cell(e.cell()));
            n.put("method", e.method().id());
            n.set("result", result(e.result()));
            n.set("trained", e.trained() == null ? null : trained(e.trained()));
            ArrayNode argmax = n.putArray("argmax");
            for (ArgmaxSnapshot s : e.argmax()) {
                argmax.addObject().put("layer_evaluations", s.layerEvaluations())
                        .put("architecture", s.architecture().toString());
            }
            ArrayNode candidates = n.putArray("candidates");
            for (GaCandidatePoint p : e.candidates()) {
                ObjectNode c = candidates.addObject();
                c.set("cell", cell(p.cell()));
                c.put("architecture", p.architecture());
                c.set("validation_nll", CheckpointJson.number(p.validationNll()));
                c.set("cost_us", CheckpointJson.number(p.costMicros()));
                c.set("fitness", CheckpointJson.number(p.fitness()));
            }
            n.set("convergence", e.convergence() == null ? null : convergence(e.convergence()));
        }
        ArrayNode told = o.putArray("convergences_told");
        convergencesTold.forEach(c -> told.add(cell(c)));
        ObjectNode failures = o.putObject("dataset_failures");
        datasetFailures.forEach(failures::put);
        return o;
    }

    public static StudyCheckpoint fromJson(JsonNode o) {
        CheckpointJson.requireFormat(o, KIND, FORMAT_VERSION);
        List<Entry> entries = new ArrayList<>();
        for (JsonNode n : CheckpointJson.field(o, "entries")) {
            List<ArgmaxSnapshot> argmax = new ArrayList<>();
            for (JsonNode s : CheckpointJson.field(n, "argmax")) {
                argmax.add(new ArgmaxSnapshot(CheckpointJson.longField(s, "layer_evaluations"),
                        Architecture.parse(CheckpointJson.textField(s, "architecture"))));
            }
            List<GaCandidatePoint> candidates = new ArrayList<>();
            for (JsonNode c : CheckpointJson.field(n, "candidates")) {
                candidates.add(new GaCandidatePoint(cell(CheckpointJson.field(c, "cell")),
                        CheckpointJson.textField(c, "architecture"), CheckpointJson.doubleField(c, "validation_nll"),
                        CheckpointJson.doubleField(c, "cost_us"), CheckpointJson.doubleField(c, "fitness")));
            }
            JsonNode trained = CheckpointJson.field(n, "trained");
            JsonNode convergence = CheckpointJson.field(n, "convergence");
            entries.add(new Entry(cell(CheckpointJson.field(n, "cell")),
                    StudyMethod.parse(CheckpointJson.textField(n, "method")), result(CheckpointJson.field(n, "result")),
                    trained.isNull() ? null : trained(trained), argmax, candidates,
                    convergence.isNull() ? null : convergence(convergence)));
        }
        List<StudyCell> told = new ArrayList<>();
        CheckpointJson.field(o, "convergences_told").forEach(c -> told.add(cell(c)));
        Map<String, String> failures = new LinkedHashMap<>();
        CheckpointJson.field(o, "dataset_failures").fields()
                .forEachRemaining(f -> failures.put(f.getKey(), f.getValue().asText()));
        return new StudyCheckpoint(CheckpointJson.textField(o, "config"), entries, told, failures);
    }

    /** Writes this checkpoint to {@code file} atomically (a temporary file renamed over it). */
    public void write(Path file) throws IOException {
        CheckpointJson.writeAtomically(file, toJson());
    }

    /**
     * @throws IllegalArgumentException when the file is not a study checkpoint of {@link #FORMAT_VERSION}
     */
    public static StudyCheckpoint read(Path file) throws IOException {
        return fromJson(CheckpointJson.read(file));
    }

    private static JsonNode cell(StudyCell c) {
        ObjectNode o = CheckpointJson.object();
        o.put("dataset", c.dataset());
        o.put("emphasis", c.emphasis().id());
        o.put("seed", c.seed());
        return o;
    }

    private static StudyCell cell(JsonNode o) {
        return new StudyCell(CheckpointJson.textField(o, "dataset"),
                CostEmphasis.parse(CheckpointJson.textField(o, "emphasis")), CheckpointJson.longField(o, "seed"));
    }

    private static JsonNode result(MethodResult r) {
        ObjectNode o = CheckpointJson.object();
        o.set("cell", cell(r.cell()));
        o.put("method", r.method().id());
        o.put("architecture", r.architecture());
        o.set("test_nll", CheckpointJson.number(r.testNll()));
        o.set("test_nll_error", CheckpointJson.number(r.testNllError()));
        o.set("density", CheckpointJson.number(r.density()));
        o.set("coverage", CheckpointJson.number(r.coverage()));
        o.set("cost_us", CheckpointJson.number(r.costMicros()));
        o.set("fom", CheckpointJson.number(r.fom()));
        o.put("layer_evaluations", r.layerEvaluations());
        o.set("wall_time_s", CheckpointJson.number(r.wallTimeSeconds()));
        o.put("failure", r.failure());
        o.set("details", CheckpointJson.typedMap(r.details()));
        return o;
    }

    private static MethodResult result(JsonNode o) {
        return new MethodResult(cell(CheckpointJson.field(o, "cell")),
                StudyMethod.parse(CheckpointJson.textField(o, "method")), CheckpointJson.textField(o, "architecture"),
                CheckpointJson.doubleField(o, "test_nll"), CheckpointJson.doubleField(o, "test_nll_error"),
                CheckpointJson.doubleField(o, "density"), CheckpointJson.doubleField(o, "coverage"),
                CheckpointJson.doubleField(o, "cost_us"), CheckpointJson.doubleField(o, "fom"),
                CheckpointJson.longField(o, "layer_evaluations"), CheckpointJson.doubleField(o, "wall_time_s"),
                CheckpointJson.textField(o, "failure"), CheckpointJson.typedMap(CheckpointJson.field(o, "details")));
    }

    private static JsonNode trained(TrainedFlow t) {
        ObjectNode o = CheckpointJson.object();
        o.put("architecture", t.architecture());
        FlowEvaluation e = t.evaluation();
        o.set("test_nll", CheckpointJson.number(e.testNll().mean()));
        o.set("test_nll_error", CheckpointJson.number(e.testNll().error()));
        o.put("test_rows", e.testNll().count());
        o.set("precision", CheckpointJson.number(e.precision()));
        o.set("recall", CheckpointJson.number(e.recall()));
        o.set("density", CheckpointJson.number(e.density()));
        o.set("coverage", CheckpointJson.number(e.coverage()));
        o.put("samples", e.samples());
        o.put("reference_points", e.referencePoints());
        o.put("k", e.k());
        o.set("forward_cost_s", CheckpointJson.number(e.forwardCost()));
        o.set("inverse_cost_s", CheckpointJson.number(e.inverseCost()));
        o.set("training_cost_s", CheckpointJson.number(t.trainingCost()));
        o.set("training_wall_time_s", CheckpointJson.number(t.trainingSeconds()));
        o.set("summary", CheckpointJson.typedMap(t.summary()));
        return o;
    }

    private static TrainedFlow trained(JsonNode o) {
        FlowEvaluation e = new FlowEvaluation(new NllEstimate(CheckpointJson.doubleField(o, "test_nll"),
                CheckpointJson.doubleField(o, "test_nll_error"), CheckpointJson.intField(o, "test_rows")),
                new PrdcResult(CheckpointJson.doubleField(o, "precision"), CheckpointJson.doubleField(o, "recall"),
                        CheckpointJson.doubleField(o, "density"), CheckpointJson.doubleField(o, "coverage")),
                CheckpointJson.intField(o, "samples"), CheckpointJson.intField(o, "reference_points"),
                CheckpointJson.intField(o, "k"), CheckpointJson.doubleField(o, "forward_cost_s"),
                CheckpointJson.doubleField(o, "inverse_cost_s"));
        return new TrainedFlow(CheckpointJson.textField(o, "architecture"), e,
                CheckpointJson.doubleField(o, "training_cost_s"), CheckpointJson.doubleField(o, "training_wall_time_s"),
                CheckpointJson.typedMap(CheckpointJson.field(o, "summary")));
    }

    private static JsonNode convergence(Convergence c) {
        ObjectNode o = CheckpointJson.object();
        o.set("cell", cell(c.cell()));
        o.set("autonf", points(c.autonf()));
        o.set("ga", points(c.ga()));
        o.set("ga_best", CheckpointJson.number(c.gaBest()));
        o.put("ga_compute", c.gaCompute());
        o.put("autonf_compute_to_reach", c.autonfComputeToReach());
        o.put("failure", c.failure());
        return o;
    }

    private static Convergence convergence(JsonNode o) {
        return new Convergence(cell(CheckpointJson.field(o, "cell")), points(CheckpointJson.field(o, "autonf")),
                points(CheckpointJson.field(o, "ga")), CheckpointJson.doubleField(o, "ga_best"),
                CheckpointJson.longField(o, "ga_compute"), CheckpointJson.longField(o, "autonf_compute_to_reach"),
                CheckpointJson.textField(o, "failure"));
    }

    private static JsonNode points(List<Convergence.Point> points) {
        ArrayNode a = CheckpointJson.array();
        for (Convergence.Point p : points) {
            a.addObject().put("layer_evaluations", p.layerEvaluations())
                    .put("architecture", p.architecture())
                    .set("objective", CheckpointJson.number(p.objective()));
        }
        return a;
    }

    private static List<Convergence.Point> points(JsonNode a) {
        List<Convergence.Point> points = new ArrayList<>();
        for (JsonNode p : a) {
            points.add(new Convergence.Point(CheckpointJson.longField(p, "layer_evaluations"),
                    CheckpointJson.doubleField(p, "objective"), CheckpointJson.textField(p, "architecture")));
        }
        return points;
    }
}
