package io.autonf.cli;

import io.autonf.event.SearchListener;
import io.autonf.ga.CandidateEvaluation;
import io.autonf.ga.GaConfig;
import io.autonf.ga.GaListener;
import io.autonf.ga.GaResult;
import io.autonf.ga.GenerationStatistics;
import io.autonf.metric.FlowEvaluation;
import io.autonf.mlflow.SearchRunTracker;
import io.autonf.study.MethodResult;
import io.autonf.study.StudyCell;
import io.autonf.study.StudyConfig;
import io.autonf.study.StudyListener;
import io.autonf.study.StudyMethod;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Records a study in its command's run ({@link RunScope}) and prints its progress:
 * <ul>
 *   <li>the study's settings ({@link StudyConfig#summary()}) as params of the study run;</li>
 *   <li>every method of every cell as a nested run named e.g. {@code power-sample forward seed 1 AutoNF}, with
 *       params {@code study.dataset}, {@code study.emphasis}, {@code study.seed}, {@code study.method}:
 *       AutoNF's search events as a search run records them (α weights per step, losses, expected cost), the
 *       GA's per-generation metrics as the {@code ga} command records them ({@code ga/best_fitness}, ... with
 *       step = generation), the final training's steps as {@code final/loss/train}, {@code final/lr},
 *       {@code final/grad_norm}, {@code final/loss/val} (prefixed so that they do not join AutoNF's search
 *       losses in one series) and its result as {@code final/<name>}; at the end the method's numbers
 *       ({@code test_nll}, {@code density}, {@code coverage}, {@code cost_us}, {@code fom}, ...), the numbers of
 *       its record ({@link MethodResult#details()}) under {@code pipeline/} and the architecture tag; ended FINISHED, or FAILED with the
 *       failure as the error tag.</li>
 * </ul>
 * The GA's candidates are not nested runs here (they would be a third level and a few hundred runs per study);
 * they are in the study's Pareto chart and in a {@code ga} command's run.
 */
final class StudyRunTracker implements StudyListener {

    private final RunScope study;
    private final PrintWriter log;
    private final int total;
    private int started;
    private RunScope cellRun = RunScope.disabled();
    private long cellStart;

    /**
     * @param total the method runs the study will make (for the {@code [3/24]} progress counter)
     */
    StudyRunTracker(RunScope study, PrintWriter log, int total) {
        if (study == null || log == null || total < 1) {
            throw new IllegalArgumentException("a study tracker needs a run scope, a log and at least one cell");
        }
        this.study = study;
        this.log = log;
        this.total = total;
    }

    /** The method runs of a study: per data set × seed, the two references once and both searches per emphasis. */
    static int methodRuns(StudyConfig config) {
        return config.datasets().size() * config.seeds().size() * (2 + 2 * config.emphases().size());
    }

    /** The name of a cell's nested run, e.g. {@code power-sample forward seed 1 AutoNF}. */
    static String runName(StudyCell cell, StudyMethod method) {
        return cell.dataset() + " " + cell.emphasis().id() + " seed " + cell.seed() + " " + method.label();
    }

    @Override
    public void onStart(StudyConfig config) {
        study.params(config.summary());
        study.flush();
    }

    @Override
    public void onCellStart(StudyCell cell, StudyMethod method) {
        started++;
        cellStart = System.nanoTime();
        log.printf(Locale.ROOT, "[%d/%d] %s ...%n", started, total, runName(cell, method));
        log.flush();
        cellRun = study.child(runName(cell, method));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("study.dataset", cell.dataset());
        params.put("study.emphasis", cell.emphasis().id());
        params.put("study.seed", cell.seed());
        params.put("study.method", method.label());
        cellRun.params(params);
        cellRun.flush();
    }

    @Override
    public SearchListener search(StudyCell cell) {
        return cellRun.searchListener();
    }

    @Override
    public GaListener ga(StudyCell cell) {
        return new GenerationsOnly(cellRun);
    }

    @Override
    public TrainingListener training(StudyCell cell, StudyMethod method) {
        return new FinalTraining(cellRun);
    }

    @Override
    public void onCellFinish(StudyCell cell, StudyMethod method, MethodResult result) {
        RunScope run = cellRun;
        cellRun = RunScope.disabled();
        double seconds = (System.nanoTime() - cellStart) / 1e9;
        if (result.failed()) {
            log.printf(Locale.ROOT, "[%d/%d] %s FAILED after %.1f s: %s%n", started, total, runName(cell, method),
                    seconds, result.failure());
            log.flush();
            run.fail(new IllegalStateException(result.failure()));
            return;
        }
        log.printf(Locale.ROOT, "[%d/%d] %s: %s, test NLL %.4f ± %.4f, density %.3f, coverage %.3f, cost %.3g µs, "
                        + "FOM %.3f (%.1f s)%n", started, total, runName(cell, method), result.architecture(),
                result.testNll(), result.testNllError(), result.density(), result.coverage(), result.costMicros(),
                result.fom(), seconds);
        log.flush();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("test_nll", result.testNll());
        numbers.put("test_nll_error", result.testNllError());
        numbers.put("density", result.density());
        numbers.put("coverage", result.coverage());
        numbers.put("cost_us", result.costMicros());
        numbers.put("fom", result.fom());
        numbers.put("layer_evaluations", result.layerEvaluations());
        numbers.put("wall_time_s", result.wallTimeSeconds());
        run.finish(numbers);
        // Under pipeline/: the record's ga/layer_evaluations would otherwise join the per-generation series of that
        // name, and its wall_time_s (without the final training) would overwrite the method's.
        run.finish(Map.of("pipeline", result.details()));
        run.tag(SearchRunTracker.ARCHITECTURE_TAG, result.architecture());
        run.close();
    }

    /**
     * The GA's events into a cell's run as the {@code ga} command records them ({@link GaRunTracker}), but for
     * the candidates' nested runs (see the class documentation); the GA's settings become the run's params.
     */
    private static final class GenerationsOnly implements GaListener {
        private final RunScope run;
        private final GaRunTracker generations;

        GenerationsOnly(RunScope run) {
            this.run = run;
            this.generations = new GaRunTracker(run);
        }

        @Override
        public void onStart(GaConfig config) {
            run.params(config.summary());
            run.flush();
        }

        @Override
        public void onCandidate(CandidateEvaluation candidate) {
            // Deliberately not recorded: see the class documentation.
        }

        @Override
        public void onGeneration(GenerationStatistics generation) {
            generations.onGeneration(generation);
        }

        @Override
        public void onFinish(GaResult result) {
            generations.onFinish(result);
        }

        @Override
        public void onEvaluation(String label, FlowEvaluation evaluation) {
            generations.onEvaluation(label, evaluation);
        }
    }

    /** A final training's steps and result under {@code final/}, with the training step as the metrics' step. */
    private static final class FinalTraining implements TrainingListener {
        private final RunScope run;

        FinalTraining(RunScope run) {
            this.run = run;
        }

        @Override
        public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("final/loss/train", trainLoss);
            m.put("final/lr", learningRate);
            m.put("final/grad_norm", gradientNorm);
            run.metrics(m, step);
        }

        @Override
        public void onValidation(int step, double validationNll, boolean isBest) {
            run.metrics(Map.of("final/loss/val", validationNll), step);
        }

        @Override
        public void onFinish(TrainingResult result) {
            run.finish(Map.of("final", result.summary()));
        }
    }
}
