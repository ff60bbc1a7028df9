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
import io.autonf.ga.FlowTraining;
import io.autonf.ga.GaConfig;
import io.autonf.ga.GaListener;
import io.autonf.ga.GaObjective;
import io.autonf.ga.GaPipelineResult;
import io.autonf.ga.GaResult;
import io.autonf.ga.GaSearch;
import io.autonf.ga.GenerationStatistics;
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
        long start = System.nanoTime();
        listener.onStart(config);
        List<MethodResult> results = new ArrayList<>();
        List<Convergence> convergences = new ArrayList<>();
        List<GaCandidatePoint> candidates = new ArrayList<>();
        for (String spec : config.datasets()) {
            Dataset dataset;
            CostTable costs;
            try {
                dataset = data.load(spec);
                costs = costTable(dataset);
            } catch (IOException | RuntimeException e) {
                String message = "data set " + spec + ": " + message(e);
                log.accept(message);
                for (StudyCell cell : cellsOf(spec)) {
                    for (StudyMethod m : StudyMethod.values()) {
                        listener.onCellStart(cell, m);
                        MethodResult failed = MethodResult.failed(cell, m, message);
                        results.add(failed);
                        listener.onCellFinish(cell, m, failed);
                    }
                    Convergence c = Convergence.failed(cell, message);
                    convergences.add(c);
                    listener.onConvergence(c);
                }
                continue;
            }
            for (long seed : config.seeds()) {
                Map<StudyMethod, Candidate> references = new EnumMap<>(StudyMethod.class);
                Map<StudyMethod, String> referenceFailures = new EnumMap<>(StudyMethod.class);
                for (StudyMethod reference : List.of(StudyMethod.RQ_AF, StudyMethod.RQ_C)) {
                    StudyCell home = referenceCell(spec, reference, seed);
                    listener.onCellStart(home, reference);
                    try {
                        references.put(reference, trainReference(reference, home, dataset, costs));
                    } catch (RuntimeException e) {
                        referenceFailures.put(reference, message(e));
                        log.accept(home.label() + " " + reference.label() + " failed: " + message(e));
                    }
                    listener.onCellFinish(home, reference, referenceResult(reference, home, references,
                            referenceFailures));
                }
                for (CostEmphasis emphasis : config.emphases()) {
                    StudyCell cell = new StudyCell(spec, emphasis, seed);
                    for (StudyMethod reference : List.of(StudyMethod.RQ_AF, StudyMethod.RQ_C)) {
                        results.add(referenceResult(reference, cell, references, referenceFailures));
                    }
                    runSearches(cell, dataset, costs, references.get(StudyMethod.referenceFor(emphasis)), results,
                            convergences, candidates);
                }
            }
        }
        StudyReport report = new StudyReport(config, results, convergences, candidates,
                Duration.ofNanos(System.nanoTime() - start));
        listener.onFinish(report);
        return report;
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
                                                Map<StudyMethod, Candidate> references,
                                                Map<StudyMethod, String> failures) {
        Candidate c = references.get(reference);
        if (c == null) {
            return MethodResult.failed(cell, reference, failures.get(reference));
        }
        return MethodResult.of(cell, reference, c, references.get(StudyMethod.referenceFor(cell.emphasis())), 0, 0,
                c.summary());
    }

    private void runSearches(StudyCell cell, Dataset d, CostTable costs, Candidate reference,
                             List<MethodResult> results, List<Convergence> convergences,
                             List<GaCandidatePoint> candidates) {
        SearchConfig search = config.searchFor(cell.emphasis(), cell.seed());
        GaConfig ga = config.gaFor(search);
        SharedCandidateTraining shared = new SharedCandidateTraining(
                new FlowTraining(ga.training(), ga.space().settings(), d.train(), d.validation()));

        listener.onCellStart(cell, StudyMethod.AUTONF);
        ArgmaxRecorder argmax = new ArgmaxRecorder(search);
        SearchResult autonf = null;
        MethodResult autonfResult;
        try {
            long start = System.nanoTime();
            SearchListener events = listener.search(cell);
            try (MixtureFlow mixture = new MixtureFlow(search.space(), d.dimension(), search.initialisationRandom(),
                    search.threads())) {
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
            autonfResult = MethodResult.of(cell, StudyMethod.AUTONF, found, reference, autonf.layerEvaluations(),
                    autonf.wallTime().toNanos() / 1e9, pipeline.summary());
        } catch (RuntimeException e) {
            log.accept(cell.label() + " AutoNF failed: " + message(e));
            autonfResult = MethodResult.failed(cell, StudyMethod.AUTONF, message(e));
        }
        results.add(autonfResult);
        listener.onCellFinish(cell, StudyMethod.AUTONF, autonfResult);

        listener.onCellStart(cell, StudyMethod.GA);
        GaResult gaResult = null;
        MethodResult gaMethod;
        try {
            long start = System.nanoTime();
            GaListener events = listener.ga(cell);
            gaResult = new GaSearch(ga, costs, shared).run(events);
            log.accept(String.format(Locale.ROOT, "%s: GA chose %s (fitness %.4f) after %d trainings; retraining it",
                    cell.label(), gaResult.bestArchitecture(), gaResult.best().fitness(), gaResult.trainings()));
            Candidate found = SearchPipeline.trainAndEvaluate(gaResult.bestArchitecture(), ga.space().settings(),
                    ga.retraining(), ga.seed(), ga.threads(), config.options(), costs, d.train(), d.validation(),
                    d.test(), listener.training(cell, StudyMethod.GA), log);
            events.onEvaluation("found", found.evaluation());
            GaPipelineResult pipeline = new GaPipelineResult(ga, gaResult, costs, found, null, null, Duration.ZERO,
                    Duration.ofNanos(System.nanoTime() - start));
            gaMethod = MethodResult.of(cell, StudyMethod.GA, found, reference, gaResult.layerEvaluations(),
                    gaResult.wallTime().toNanos() / 1e9, pipeline.summary());
            for (CandidateEvaluation c : gaResult.candidates()) {
                candidates.add(new GaCandidatePoint(cell, c.architecture().toString(), c.validationNll(),
                        costs.architectureCost(c.architecture(), cell.emphasis()) * 1e6, c.fitness()));
            }
        } catch (RuntimeException e) {
            log.accept(cell.label() + " GA failed: " + message(e));
            gaMethod = MethodResult.failed(cell, StudyMethod.GA, message(e));
        }
        results.add(gaMethod);
        listener.onCellFinish(cell, StudyMethod.GA, gaMethod);

        Convergence convergence;
        if (autonf == null || gaResult == null) {
            convergence = Convergence.failed(cell, autonf == null ? "AutoNF failed" : "the GA failed");
        } else {
            try {
                convergence = convergence(cell, ga, costs, shared, argmax, gaResult);
            } catch (RuntimeException e) {
                convergence = Convergence.failed(cell, "scoring AutoNF's architectures failed: " + message(e));
            }
        }
        if (convergence.reached()) {
            log.accept(String.format(Locale.ROOT, "%s: AutoNF reached the GA's best objective %.4f after %.3g layer "
                            + "evaluations, %.1f%% of the GA's %.3g", cell.label(), convergence.gaBest(),
                    (double) convergence.autonfComputeToReach(), 100 * convergence.fraction(),
                    (double) convergence.gaCompute()));
        }
        convergences.add(convergence);
        listener.onConvergence(convergence);
    }

    /** Scores AutoNF's recorded argmax architectures with the GA's objective, through the shared cache. */
    private static Convergence convergence(StudyCell cell, GaConfig ga, CostTable costs,
                                           SharedCandidateTraining shared, ArgmaxRecorder argmax, GaResult gaResult) {
        GaObjective objective = new GaObjective(ga.space(), costs, ga.emphasis(), ga.lambda(), shared);
        List<Convergence.Point> autonf = new ArrayList<>();
        for (ArgmaxRecorder.Snapshot s : argmax.snapshots()) {
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
        record Snapshot(long layerEvaluations, Architecture architecture) {
        }

        private final SearchConfig config;
        private final List<Snapshot> snapshots = new ArrayList<>();
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
            snapshots.add(new Snapshot(layerEvaluations, a));
        }

        List<Snapshot> snapshots() {
            return List.copyOf(snapshots);
        }
    }
}
