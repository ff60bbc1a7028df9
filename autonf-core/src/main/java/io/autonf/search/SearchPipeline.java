package io.autonf.search;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostTable;
import io.autonf.cost.CostModel;
import io.autonf.cost.CostTables;
import io.autonf.cost.MeasureOptions;
import io.autonf.cost.MeasuredCost;
import io.autonf.event.SearchListener;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.metric.Evaluator;
import io.autonf.metric.FlowEvaluation;
import io.autonf.metric.Fom;
import io.autonf.metric.Prdc;
import io.autonf.train.RollbackPolicy;
import io.autonf.train.Trainer;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A whole AutoNF run: the cost table (reused when one matches, measured otherwise), the search, the chosen
 * architecture retrained from scratch, the reference trained with the same budget, both evaluated the same way,
 * and the figure of merit of the one against the other.
 *
 * <p><b>References</b> (the paper's Table 1): RQ-AF ({@code rq-ar} in every layer) when the forward cost is
 * emphasised, RQ-C ({@code rq-c} in every layer) for the inverse cost. For the training cost the reference is
 * RQ-AF: a training step runs the forward (density) direction and its backward pass, so the flow that is best
 * in that direction on tabular data is the one to beat; the figure of merit then compares training costs.
 * The reference has as many layers as the search space.
 *
 * <p><b>Equal treatment.</b> Both flows are trained with {@link SearchConfig#retraining()}, their parameters
 * drawn from generators seeded alike, and evaluated on the same test rows with the same sampling noise. Each
 * trained flow is then timed as a whole ({@link CostModel#measureFlow}, with the quick variant of
 * {@link Options#measure()}), so that the report shows the measured forward and inverse costs next to the cost
 * model's.
 */
public final class SearchPipeline {

    /**
     * What the pipeline does besides the search itself.
     *
     * @param costDirectory     where cost tables are kept ({@link CostTables#defaultDirectory()} by default)
     * @param measure           how to measure a missing table; its quick variant times the trained flows
     * @param evaluationSamples flow samples for density and coverage (the paper's 10000)
     * @param k                 neighbours per ball of the density and coverage metrics
     * @param trainReference    whether to train and evaluate the reference (without it there is no FOM)
     */
    public record Options(Path costDirectory, MeasureOptions measure, int evaluationSamples, int k,
                          boolean trainReference) {

        public static Options defaults() {
            return new Options(CostTables.defaultDirectory(), MeasureOptions.DEFAULT, Evaluator.DEFAULT_SAMPLES,
                    Prdc.DEFAULT_K, true);
        }

        public Options {
            if (costDirectory == null || measure == null) {
                throw new IllegalArgumentException("a cost directory and measurement options are required");
            }
            if (k < 1 || evaluationSamples < k + 1) {
                throw new IllegalArgumentException("evaluation needs k >= 1 and more than k samples, got k = " + k
                        + " and " + evaluationSamples + " samples");
            }
        }

        public Options withCostDirectory(Path v) {
            return new Options(v, measure, evaluationSamples, k, trainReference);
        }

        public Options withMeasure(MeasureOptions v) {
            return new Options(costDirectory, v, evaluationSamples, k, trainReference);
        }

        public Options withEvaluationSamples(int v) {
            return new Options(costDirectory, measure, v, k, trainReference);
        }

        public Options withK(int v) {
            return new Options(costDirectory, measure, evaluationSamples, v, trainReference);
        }

        public Options withTrainReference(boolean v) {
            return new Options(costDirectory, measure, evaluationSamples, k, v);
        }
    }

    /**
     * Checkpoints and rollback of a pipeline run.
     *
     * @param every      search steps between checkpoints (0: none during the search); one is always taken when
     *                   the search is over, the boundary after which retraining starts
     * @param sink       receives each checkpoint (typically writes it with {@link SearchCheckpoint#write})
     * @param rollback   what a non-finite step does, in the search and in both trainings
     * @param resumeFrom a checkpoint of this same run to continue from, or null to start afresh
     */
    public record Checkpoints(int every, Consumer<SearchCheckpoint> sink, RollbackPolicy rollback,
                              SearchCheckpoint resumeFrom) {

        /** No checkpoints and no rollback: what {@link #run} without them does. */
        public static final Checkpoints NONE = new Checkpoints(0, c -> { }, RollbackPolicy.NONE, null);

        public Checkpoints {
            if (every < 0) {
                throw new IllegalArgumentException("the checkpoint interval must be zero (off) or a number of "
                        + "steps, got " + every);
            }
            if (sink == null || rollback == null) {
                throw new IllegalArgumentException("checkpoints need a sink and a rollback policy");
            }
        }
    }

    private SearchPipeline() {
    }

    /** The reference architecture for {@code emphasis} (see the class documentation). */
    public static Architecture reference(CostEmphasis emphasis, int layers) {
        return Architecture.uniform(emphasis == CostEmphasis.INVERSE ? LayerKind.RQ_C : LayerKind.RQ_AR, layers);
    }

    /**
     * Runs everything. The configuration is checked, and the mixture's memory with it, before any cost is
     * measured or any step taken.
     *
     * @param log receives one line per stage (cost table, retraining, evaluation); never null
     * @throws IOException when the cost table cannot be read or saved
     */
    public static PipelineResult run(SearchConfig config, Options options, Batch train, Batch validation, Batch test,
                                     SearchListener listener, TrainingListener training, Consumer<String> log)
            throws IOException {
        return run(config, options, train, validation, test, listener, training, log, Checkpoints.NONE);
    }

    /**
     * Runs everything, or the rest of a run from {@code checkpoints.resumeFrom()}: from inside the search, or,
     * when the search was over, from the retraining (trainings and evaluations are seeded, so they give the same
     * numbers again). A resumed run's results are bit-for-bit those of the uninterrupted one, wall times aside.
     *
     * @throws IllegalArgumentException when the checkpoint belongs to another configuration or data set
     */
    public static PipelineResult run(SearchConfig config, Options options, Batch train, Batch validation, Batch test,
                                     SearchListener listener, TrainingListener training, Consumer<String> log,
                                     Checkpoints checkpoints) throws IOException {
        if (config == null || options == null || listener == null || training == null || log == null
                || checkpoints == null) {
            throw new IllegalArgumentException("the pipeline needs a configuration, options, listeners and a log");
        }
        requireData(train, "training");
        requireData(validation, "validation");
        requireData(test, "test");
        int dimension = train.cols();
        validation.requireCols(dimension, "the validation split");
        test.requireCols(dimension, "the test split");
        long start = System.nanoTime();
        Architecture referenceArchitecture = reference(config.emphasis(), config.space().layers());
        try (MixtureFlow mixture = new MixtureFlow(config.space(), dimension, config.initialisationRandom(),
                config.threads())) {
            AutoNfSearch.checkMemory(config, mixture);

            long costStart = System.nanoTime();
            Set<LayerKind> kinds = new LinkedHashSet<>(config.space().options());
            kinds.addAll(referenceArchitecture.layers());
            CostTable costs = CostTables.loadOrMeasure(options.costDirectory(), dimension, config.space().settings(),
                    kinds, options.measure(), new SplittableRandom(config.seed()), log).table();
            Duration costTime = elapsed(costStart);

            String key = SearchCheckpoint.configKey(config, dimension, train.rows(), validation.rows());
            SearchCheckpoint from = checkpoints.resumeFrom();
            if (from != null) {
                from.requireConfig(key);
            }
            SearchResult search;
            if (from != null && from.stage() == SearchCheckpoint.Stage.SEARCHED) {
                search = from.result();
                log.accept("resuming after the search, which chose " + search.architecture());
            } else {
                if (from != null) {
                    log.accept("resuming the search after step " + from.progress().step());
                }
                SearchCheckpointing searchCheckpoints = new SearchCheckpointing(checkpoints.every(),
                        progress -> checkpoints.sink().accept(new SearchCheckpoint(key,
                                SearchCheckpoint.Stage.SEARCHING, progress, null)), checkpoints.rollback());
                search = new AutoNfSearch(config, mixture, costs).run(train, validation, listener, searchCheckpoints,
                        from == null ? null : from.progress());
                checkpoints.sink().accept(new SearchCheckpoint(key, SearchCheckpoint.Stage.SEARCHED, null, search));
            }
            log.accept("search chose " + search.architecture() + " in " + seconds(search.wallTime()) + " s; retraining it");

            Candidate found = trainAndEvaluate(search.architecture(), config.space().settings(), config.retraining(),
                    config.seed(), config.threads(), options, costs, train, validation, test, training, log,
                    checkpoints.rollback());
            listener.onEvaluation("found", found.evaluation());
            Candidate reference = null;
            Fom fom = null;
            if (options.trainReference()) {
                log.accept("training the reference " + referenceArchitecture + " with the same budget");
                reference = trainAndEvaluate(referenceArchitecture, config.space().settings(), config.retraining(),
                        config.seed(), config.threads(), options, costs, train, validation, test, training, log,
                        checkpoints.rollback());
                listener.onEvaluation("reference", reference.evaluation());
                fom = Fom.of(found.cost(config.emphasis()), reference.cost(config.emphasis()),
                        found.evaluation().density(), reference.evaluation().density());
            }
            return new PipelineResult(config, search, costs, found, reference, fom, costTime, elapsed(start));
        }
    }

    /** Trains {@code architecture} from scratch with the retraining budget and evaluates it on {@code test}. */
    static Candidate trainAndEvaluate(Architecture architecture, SearchConfig config, Options options, CostTable costs,
                                      Batch train, Batch validation, Batch test, TrainingListener training,
                                      Consumer<String> log) {
        return trainAndEvaluate(architecture, config.space().settings(), config.retraining(), config.seed(),
                config.threads(), options, costs, train, validation, test, training, log);
    }

    /**
     * Trains {@code architecture} from scratch and evaluates it on {@code test} exactly as {@link #run} treats the
     * searched architecture and the reference. Public so that another search (the GA baseline) gets its final
     * numbers from this same code, and so compares with AutoNF on equal terms.
     *
     * @param settings   the layer settings of the search space
     * @param retraining the training budget; its seed draws the initial parameters and the batch order
     * @param seed       seeds the evaluation's flow samples and the timing of the trained flow (a search
     *                   run passes {@link SearchConfig#seed()})
     * @param threads    threads of the evaluation
     * @param costs      a cost table covering every layer of {@code architecture}
     * @param log        receives one line with the candidate's numbers
     */
    public static Candidate trainAndEvaluate(Architecture architecture, LayerSettings settings,
                                             TrainingConfig retraining, long seed, int threads, Options options,
                                             CostTable costs, Batch train, Batch validation, Batch test,
                                             TrainingListener training, Consumer<String> log) {
        return trainAndEvaluate(architecture, settings, retraining, seed, threads, options, costs, train, validation,
                test, training, log, RollbackPolicy.NONE);
    }

    /** {@link #trainAndEvaluate} with non-finite training steps rolled back as {@code rollback} allows. */
    public static Candidate trainAndEvaluate(Architecture architecture, LayerSettings settings,
                                             TrainingConfig retraining, long seed, int threads, Options options,
                                             CostTable costs, Batch train, Batch validation, Batch test,
                                             TrainingListener training, Consumer<String> log, RollbackPolicy rollback) {
        if (rollback == null || architecture == null || settings == null || retraining == null || options == null || costs == null
                || training == null || log == null) {
            throw new IllegalArgumentException("retraining needs an architecture, layer settings, a budget, options, "
                    + "a cost table, a training listener and a log");
        }
        if (threads < 1 || threads > TrainingConfig.MAX_WORKER_THREADS) {
            throw new IllegalArgumentException("threads must lie in [1, " + TrainingConfig.MAX_WORKER_THREADS
                    + "], got " + threads);
        }
        requireData(train, "training");
        requireData(validation, "validation");
        requireData(test, "test");
        SplittableRandom seeds = new SplittableRandom(retraining.seed());
        Flow flow = Layers.flow(architecture, train.cols(), settings, seeds.split());
        TrainingResult trained;
        try (Trainer trainer = new Trainer(retraining, rollback)) {
            trained = trainer.train(flow, train, validation, seeds.split(), training);
        }
        long evaluationStart = System.nanoTime();
        FlowEvaluation evaluation = Evaluator.evaluate(flow, test, options.evaluationSamples(), options.k(),
                new SplittableRandom(seed), threads)
                .withCosts(costs.architectureCost(architecture, CostEmphasis.FORWARD),
                        costs.architectureCost(architecture, CostEmphasis.INVERSE));
        Duration evaluationTime = elapsed(evaluationStart);
        // A report, not an input to any decision: the quick variant of the table's timing is enough, and keeps
        // the two measurements (found and reference) from costing as much as a cost table.
        MeasuredCost measured = CostModel.measureFlow(flow, options.measure().quick(), new SplittableRandom(seed));
        log.accept(String.format(java.util.Locale.ROOT, "%s: test NLL %s, density %.4f, coverage %.4f, forward %.3g µs "
                        + "(model %.3g), inverse %.3g µs (model %.3g) per sample (trained %s s, evaluated %s s)",
                architecture, evaluation.testNll(), evaluation.density(), evaluation.coverage(),
                measured.forwardSeconds() * 1e6, evaluation.forwardCost() * 1e6, measured.inverseSeconds() * 1e6,
                evaluation.inverseCost() * 1e6, seconds(trained.wallTime()), seconds(evaluationTime)));
        return new Candidate(architecture, trained, evaluation, costs.architectureCost(architecture, CostEmphasis.TRAINING),
                measured, evaluationTime, flow);
    }

    private static void requireData(Batch data, String what) {
        if (data == null || data.rows() == 0) {
            throw new IllegalArgumentException(what + " data is empty");
        }
    }

    static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toNanos() / 1e9);
    }
}
