package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostTable;
import io.autonf.cost.CostTables;
import io.autonf.data.Dataset;
import io.autonf.event.SearchListener;
import io.autonf.event.SearchListeners;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.ga.CandidateEvaluation;
import io.autonf.ga.CheckpointJson;
import io.autonf.ga.FlowTraining;
import io.autonf.ga.GaConfig;
import io.autonf.ga.GaListener;
import io.autonf.ga.GaObjective;
import io.autonf.ga.GaPipelineResult;
import io.autonf.ga.GaResult;
import io.autonf.ga.GaSearch;
import io.autonf.ga.GenerationStatistics;
import io.autonf.metric.FlowEvaluation;
import io.autonf.search.AutoNfSearch;
import io.autonf.search.Candidate;
import io.autonf.search.MixtureFlow;
import io.autonf.search.PipelineResult;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchPipeline;
import io.autonf.search.SearchResult;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a {@link StudyConfig}: for every data set, one cost table (shared by every cell, both searches and every
 * final training); for every seed, the two references; for every emphasis, AutoNF, the GA and their convergence
 * comparison.
 *
 * <ul>
 *   <li><b>References once per data set × seed.</b> Training a flow does not depend on the emphasis (only the
 *       reported cost and the figure of merit do), so RQ-AF and RQ-C are trained once with the seed's final
 *       budget and their evaluations serve both emphases' rows.</li>
 *   <li><b>Equal budgets.</b> AutoNF's and the GA's architectures and both references are trained from scratch
 *       with {@link SearchConfig#retraining()} (seeded by the cell's seed) and evaluated by
 *       {@link SearchPipeline#trainAndEvaluate}, the same code.</li>
 *   <li><b>AutoNF</b> runs as in {@link SearchPipeline#run} without its reference (the study's reference is reused
 *       for the FOM) and with the shared cost table.</li>
 *   <li><b>GA</b> runs as in {@code GaPipeline} without its reference, its candidates trained through a cache
 *       shared with the convergence measurement ({@link Convergence}).</li>
 *   <li><b>Failures.</b> A method that throws is recorded as failed with its message; the study goes on. A data
 *       set that cannot be loaded, or whose cost table cannot be measured, fails all its cells.</li>
 * </ul>
 */
public final class StudyRunner {

    private final StudyConfig config;
    private final DatasetSource data;
    private final StudyListener listener;
    private final Consumer<String> log;

    public StudyRunner(StudyConfig config, DatasetSource data, StudyListener listener, Consumer<String> log) {
        if (config == null || data == null || listener == null || log == null) {
            throw new IllegalArgumentException("a study needs its configuration, a data source, a listener "
                    + "(StudyListener.NONE) and a log");
        }
        this.config = config;
        this.data = data;
        this.listener = listener;
        this.log = log;
    }

    /** Runs every cell and returns the report (also given to {@link StudyListener#onFinish}). */
    public StudyReport run() {
        return execute(null, null);
    }

    /**
     * Runs every cell, handing a {@link StudyCheckpoint} of the work finished so far to {@code sink} after each
     * method's {@link StudyListener#onCellFinish} and each cell's {@link StudyListener#onConvergence}.
     */
    public StudyReport run(Consumer<StudyCheckpoint> sink) {
        if (sink == null) {
            throw new IllegalArgumentException("a checkpoint sink is required");
        }
        return execute(null, sink);
    }

    /** {@link #resume(StudyCheckpoint, Consumer)} without further checkpoints. */
    public StudyReport resume(StudyCheckpoint checkpoint) {
        return resume(checkpoint, null);
    }

    /**
     * Goes on with an interrupted study of this configuration: the methods in {@code checkpoint} are not run again
     * (nor told to the listener again), the references' evaluations in it serve the figures of merit of the rest,
     * and the report is the one the uninterrupted study would have given, wall times aside. The listener hears
     * {@link StudyListener#onResume} instead of {@code onStart}.
     *
     * @param sink takes the checkpoints from here on, or null
     */
    public StudyReport resume(StudyCheckpoint checkpoint, Consumer<StudyCheckpoint> sink) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("a checkpoint to resume from is required");
        }
        String expected = CheckpointJson.fingerprint(config.summary());
        if (!expected.equals(checkpoint.configFingerprint())) {
            throw new IllegalArgumentException("the checkpoint was taken by a study with another configuration; "
                    + "resume with the same one. Checkpoint: " + checkpoint.configFingerprint() + "; this study: "
                    + expected);
        }
        return execute(checkpoint, sink);
    }

    private StudyReport execute(StudyCheckpoint from, Consumer<StudyCheckpoint> sink) {
        long start = System.nanoTime();
        Progress progress = new Progress(from, sink);
        if (from == null) {
            listener.onStart(config);
        } else {
            listener.onResume(from);
        }
        List<MethodResult> results = new ArrayList<>();
        List<Convergence> convergences = new ArrayList<>();
        List<GaCandidatePoint> candidates = new ArrayList<>();
        for (String spec : config.datasets()) {
            Dataset dataset = null;
            CostTable costs = null;
            String failure = progress.datasetFailures.get(spec);
            if (failure == null && progress.needsData(spec)) {
                try {
                    dataset = data.load(spec);
                    costs = costTable(dataset);
                } catch (IOException | RuntimeException e) {
                    failure = "data set " + spec + ": " + message(e);
                    log.accept(failure);
                    progress.datasetFailures.put(spec, failure);
                }
            }
            if (failure != null) {
                for (StudyCell cell : cellsOf(spec)) {
                    for (StudyMethod m : StudyMethod.values()) {
                        StudyCheckpoint.Entry done = progress.entry(cell, m);
                        if (done == null) {
                            listener.onCellStart(cell, m);
                            MethodResult failed = MethodResult.failed(cell, m, failure);
                            listener.onCellFinish(cell, m, failed);
                            done = progress.record(new StudyCheckpoint.Entry(cell, m, failed, null, null, null,
                                    m == StudyMethod.GA ? Convergence.failed(cell, failure) : null));
                        }
                        results.add(done.result());
                    }
                    Convergence c = Convergence.failed(cell, failure);
                    convergences.add(c);
                    progress.tell(c);
                }
                continue;
            }
            for (long seed : config.seeds()) {
                Map<StudyMethod, TrainedFlow> references = new EnumMap<>(StudyMethod.class);
                Map<StudyMethod, String> referenceFailures = new EnumMap<>(StudyMethod.class);
                for (StudyMethod reference : List.of(StudyMethod.RQ_AF, StudyMethod.RQ_C)) {
                    StudyCell home = referenceCell(spec, reference, seed);
                    StudyCheckpoint.Entry done = progress.entry(home, reference);
                    if (done == null) {
                        listener.onCellStart(home, reference);
                        try {
                            references.put(reference, TrainedFlow.of(trainReference(reference, home, dataset, costs)));
                        } catch (RuntimeException e) {
                            referenceFailures.put(reference, message(e));
                            log.accept(home.label() + " " + reference.label() + " failed: " + message(e));
                        }
                        MethodResult result = referenceResult(reference, home, references, referenceFailures);
                        listener.onCellFinish(home, reference, result);
                        progress.record(new StudyCheckpoint.Entry(home, reference, result, references.get(reference),
                                null, null, null));
                    } else if (done.trained() != null) {
                        references.put(reference, done.trained());
                    } else {
                        referenceFailures.put(reference, done.result().failure());
                    }
                }
                for (CostEmphasis emphasis : config.emphases()) {
                    StudyCell cell = new StudyCell(spec, emphasis, seed);
                    for (StudyMethod reference : List.of(StudyMethod.RQ_AF, StudyMethod.RQ_C)) {
                        results.add(referenceResult(reference, cell, references, referenceFailures));
                    }
                    TrainedFlow reference = references.get(StudyMethod.referenceFor(emphasis));
                    runSearches(cell, dataset, costs, reference == null ? null : reference.evaluation(), progress,
                            results, convergences, candidates);
                }
            }
        }
        StudyReport report = new StudyReport(config, results, convergences, candidates,
                Duration.ofNanos(System.nanoTime() - start));
        listener.onFinish(report);
        return report;
    }

    /** The work finished so far: read from a checkpoint, added to as the study goes, handed to the sink. */
    private final class Progress {
        private final Map<String, StudyCheckpoint.Entry> entries = new LinkedHashMap<>();
        private final Set<StudyCell> told = new LinkedHashSet<>();
        private final Map<String, String> datasetFailures = new LinkedHashMap<>();
        private final Consumer<StudyCheckpoint> sink;
        private final String fingerprint = CheckpointJson.fingerprint(config.summary());

        Progress(StudyCheckpoint from, Consumer<StudyCheckpoint> sink) {
            this.sink = sink;
            if (from != null) {
                from.entries().forEach(e -> entries.put(key(e.cell(), e.method()), e));
                told.addAll(from.convergencesTold());
                datasetFailures.putAll(from.datasetFailures());
            }
        }

        private static String key(StudyCell cell, StudyMethod method) {
            return cell.label() + " " + method.id();
        }

        StudyCheckpoint.Entry entry(StudyCell cell, StudyMethod method) {
            return entries.get(key(cell, method));
        }

        /** Whether some method of {@code spec} is still to run (and so needs its data and cost table). */
        boolean needsData(String spec) {
            for (long seed : config.seeds()) {
                for (StudyMethod reference : List.of(StudyMethod.RQ_AF, StudyMethod.RQ_C)) {
                    if (entry(referenceCell(spec, reference, seed), reference) == null) {
                        return true;
                    }
                }
            }
            return cellsOf(spec).stream().anyMatch(c -> entry(c, StudyMethod.AUTONF) == null
                    || entry(c, StudyMethod.GA) == null);
        }

        StudyCheckpoint.Entry record(StudyCheckpoint.Entry entry) {
            entries.put(key(entry.cell(), entry.method()), entry);
            emit();
            return entry;
        }

        /** Tells the listener of a convergence, unless the interrupted study had. */
        void tell(Convergence convergence) {
            if (told.add(convergence.cell())) {
                listener.onConvergence(convergence);
                emit();
            }
        }

        private void emit() {
            if (sink != null) {
                sink.accept(new StudyCheckpoint(fingerprint, List.copyOf(entries.values()), List.copyOf(told),
                        datasetFailures));
            }
        }
    }

    private List<StudyCell> cellsOf(String spec) {
        return config.cells().stream().filter(c -> c.dataset().equals(spec)).toList();
    }

    /** The cell a reference is reported under (see {@link StudyListener}). */
    private StudyCell referenceCell(String spec, StudyMethod reference, long seed) {
        CostEmphasis own = reference == StudyMethod.RQ_C ? CostEmphasis.INVERSE : CostEmphasis.FORWARD;
        return new StudyCell(spec, config.emphases().contains(own) ? own : config.emphases().get(0), seed);
    }

    private CostTable costTable(Dataset dataset) throws IOException {
        Set<LayerKind> kinds = new LinkedHashSet<>(config.search().space().options());
        kinds.add(LayerKind.RQ_AR);
        kinds.add(LayerKind.RQ_C);
        return CostTables.loadOrMeasure(config.options().costDirectory(), dataset.dimension(),
                config.search().space().settings(), kinds, config.options().measure(),
                new SplittableRandom(config.seeds().get(0)), log).table();
    }

    private Candidate trainReference(StudyMethod reference, StudyCell cell, Dataset d, CostTable costs) {
        SearchConfig search = config.searchFor(cell.emphasis(), cell.seed());
        Architecture architecture = reference.referenceArchitecture(search.space().layers());
        log.accept(cell.label() + ": training " + reference.label() + " (" + architecture + ")");
        return SearchPipeline.trainAndEvaluate(architecture, search.space().settings(), search.retraining(),
                search.seed(), search.threads(), config.options(), costs, d.train(), d.validation(), d.test(),
                listener.training(cell, reference), log);
    }

    private static MethodResult referenceResult(StudyMethod reference, StudyCell cell,
                                                Map<StudyMethod, TrainedFlow> references,
                                                Map<StudyMethod, String> failures) {
        TrainedFlow c = references.get(reference);
        if (c == null) {
            return MethodResult.failed(cell, reference, failures.get(reference));
        }
        TrainedFlow against = references.get(StudyMethod.referenceFor(cell.emphasis()));
        return MethodResult.of(cell, reference, c, against == null ? null : against.evaluation(), 0, 0, c.summary());
    }

    private void runSearches(StudyCell cell, Dataset d, CostTable costs, FlowEvaluation reference, Progress progress,
                             List<MethodResult> results, List<Convergence> convergences,
                             List<GaCandidatePoint> candidates) {
        SearchConfig search = config.searchFor(cell.emphasis(), cell.seed());
        GaConfig ga = config.gaFor(search);

        StudyCheckpoint.Entry autonfDone = progress.entry(cell, StudyMethod.AUTONF);
        if (autonfDone == null) {
            listener.onCellStart(cell, StudyMethod.AUTONF);
            ArgmaxRecorder argmax = new ArgmaxRecorder(search);
            MethodResult autonfResult;
            SearchResult autonf = null;
            try {
                long start = System.nanoTime();
                SearchListener events = listener.search(cell);
                try (MixtureFlow mixture = new MixtureFlow(search.space(), d.dimension(),
                        search.initialisationRandom(), search.threads())) {
                    AutoNfSearch.checkMemory(search, mixture);
                    autonf = new AutoNfSearch(search, mixture, costs).run(d.train(), d.validation(),
                            SearchListeners.all(List.of(events, argmax)));
                }
                log.accept(cell.label() + ": AutoNF chose " + autonf.architecture() + "; retraining it");
                Candidate found = SearchPipeline.trainAndEvaluate(autonf.architecture(), search.space().settings(),
                        search.retraining(), search.seed(), search.threads(), config.options(), costs, d.train(),
                        d.validation(), d.test(), listener.training(cell, StudyMethod.AUTONF), log);
                events.onEvaluation("found", found.evaluation());
                PipelineResult pipeline = new PipelineResult(search, autonf, costs, found, null, null, Duration.ZERO,
                        Duration.ofNanos(System.nanoTime() - start));
                autonfResult = MethodResult.of(cell, StudyMethod.AUTONF, TrainedFlow.of(found), reference,
                        autonf.layerEvaluations(), autonf.wallTime().toNanos() / 1e9, pipeline.summary());
            } catch (RuntimeException e) {
                log.accept(cell.label() + " AutoNF failed: " + message(e));
                autonfResult = MethodResult.failed(cell, StudyMethod.AUTONF, message(e));
            }
            listener.onCellFinish(cell, StudyMethod.AUTONF, autonfResult);
            autonfDone = progress.record(new StudyCheckpoint.Entry(cell, StudyMethod.AUTONF, autonfResult, null,
                    autonf == null ? List.of() : argmax.snapshots(), null, null));
        }
        results.add(autonfDone.result());

        StudyCheckpoint.Entry gaDone = progress.entry(cell, StudyMethod.GA);
        if (gaDone == null) {
            SharedCandidateTraining shared = new SharedCandidateTraining(
                    new FlowTraining(ga.training(), ga.space().settings(), d.train(), d.validation()));
            listener.onCellStart(cell, StudyMethod.GA);
            GaResult gaResult = null;
            MethodResult gaMethod;
            List<GaCandidatePoint> points = new ArrayList<>();
            try {
                long start = System.nanoTime();
                GaListener events = listener.ga(cell);
                gaResult = new GaSearch(ga, costs, shared).run(events);
                log.accept(String.format(Locale.ROOT, "%s: GA chose %s (fitness %.4f) after %d trainings; "
                                + "retraining it", cell.label(), gaResult.bestArchitecture(), gaResult.best().fitness(),
                        gaResult.trainings()));
                Candidate found = SearchPipeline.trainAndEvaluate(gaResult.bestArchitecture(), ga.space().settings(),
                        ga.retraining(), ga.seed(), ga.threads(), config.options(), costs, d.train(), d.validation(),
                        d.test(), listener.training(cell, StudyMethod.GA), log);
                events.onEvaluation("found", found.evaluation());
                GaPipelineResult pipeline = new GaPipelineResult(ga, gaResult, costs, found, null, null,
                        Duration.ZERO, Duration.ofNanos(System.nanoTime() - start));
                gaMethod = MethodResult.of(cell, StudyMethod.GA, TrainedFlow.of(found), reference,
                        gaResult.layerEvaluations(), gaResult.wallTime().toNanos() / 1e9, pipeline.summary());
                for (CandidateEvaluation c : gaResult.candidates()) {
                    points.add(new GaCandidatePoint(cell, c.architecture().toString(), c.validationNll(),
                            costs.architectureCost(c.architecture(), cell.emphasis()) * 1e6, c.fitness()));
                }
            } catch (RuntimeException e) {
                log.accept(cell.label() + " GA failed: " + message(e));
                gaMethod = MethodResult.failed(cell, StudyMethod.GA, message(e));
            }
            // Measured before the GA's row is told, so that the row and the comparison are checkpointed together.
            Convergence convergence;
            // A search that returned (even if its retraining failed) has block visits to compare.
            boolean searched = !autonfDone.argmax().isEmpty();
            if (!searched || gaResult == null) {
                convergence = Convergence.failed(cell, !searched ? "AutoNF failed" : "the GA failed");
            } else {
                try {
                    convergence = convergence(cell, ga, costs, shared, autonfDone.argmax(), gaResult);
                } catch (RuntimeException e) {
                    convergence = Convergence.failed(cell, "scoring AutoNF's architectures failed: " + message(e));
                }
            }
            listener.onCellFinish(cell, StudyMethod.GA, gaMethod);
            gaDone = progress.record(new StudyCheckpoint.Entry(cell, StudyMethod.GA, gaMethod, null, null, points,
                    convergence));
        }
        results.add(gaDone.result());
        candidates.addAll(gaDone.candidates());

        Convergence convergence = gaDone.convergence();
        if (convergence.reached()) {
            log.accept(String.format(Locale.ROOT, "%s: AutoNF reached the GA's best objective %.4f after %.3g layer "
                            + "evaluations, %.1f%% of the GA's %.3g", cell.label(), convergence.gaBest(),
                    (double) convergence.autonfComputeToReach(), 100 * convergence.fraction(),
                    (double) convergence.gaCompute()));
        }
        convergences.add(convergence);
        progress.tell(convergence);
    }

    /** Scores AutoNF's recorded argmax architectures with the GA's objective, through the shared cache. */
    private static Convergence convergence(StudyCell cell, GaConfig ga, CostTable costs,
                                           SharedCandidateTraining shared,
                                           List<StudyCheckpoint.ArgmaxSnapshot> argmax, GaResult gaResult) {
        GaObjective objective = new GaObjective(ga.space(), costs, ga.emphasis(), ga.lambda(), shared);
        List<Convergence.Point> autonf = new ArrayList<>();
        for (StudyCheckpoint.ArgmaxSnapshot s : argmax) {
            CandidateEvaluation e = objective.evaluate(s.architecture(),
                    GaObjective.candidateSeed(ga.seed(), s.architecture()), 0, 1);
            autonf.add(new Convergence.Point(s.layerEvaluations(), e.fitness(), s.architecture().toString()));
        }
        List<Convergence.Point> gaCurve = new ArrayList<>();
        for (GenerationStatistics g : gaResult.generations()) {
            gaCurve.add(new Convergence.Point(g.layerEvaluations(), g.bestSoFar(), g.bestArchitecture().toString()));
        }
        return Convergence.of(cell, autonf, gaCurve, gaResult.best().fitness(), gaResult.layerEvaluations());
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Remembers, at the end of every block visit, the argmax architecture and the compute spent so far. */
    static final class ArgmaxRecorder implements SearchListener {
        private final SearchConfig config;
        private final List<StudyCheckpoint.ArgmaxSnapshot> snapshots = new ArrayList<>();
        private double[][] weights;
        private long layerEvaluations;

        ArgmaxRecorder(SearchConfig config) {
            this.config = config;
        }

        @Override
        public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                           double expectedCost, long layerEvaluations) {
            this.weights = weights;
            this.layerEvaluations = layerEvaluations;
        }

        @Override
        public void onBlockFixed(int block, int[] layers, int[] choices) {
            if (weights == null) {
                return;
            }
            Architecture a = AutoNfSearch.architecture(AutoNfSearch.argmax(weights), weights,
                    config.space().options());
            snapshots.add(new StudyCheckpoint.ArgmaxSnapshot(layerEvaluations, a));
        }

        List<StudyCheckpoint.ArgmaxSnapshot> snapshots() {
            return List.copyOf(snapshots);
        }
    }
}
