package io.autonf.ga;

import io.autonf.cost.CostTable;
import io.autonf.cost.CostTables;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.metric.Fom;
import io.autonf.search.Candidate;
import io.autonf.search.SearchPipeline;
import io.autonf.train.TrainingListener;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A whole GA run, ending as an AutoNF run ends: the cost table (reused when one matches, measured otherwise), the
 * GA, the best architecture retrained from scratch with {@link GaConfig#retraining()} and evaluated, the
 * reference ({@link SearchPipeline#reference}) trained with the same budget, and the figure of merit. Retraining
 * and evaluation are {@link SearchPipeline#trainAndEvaluate}, the code AutoNF's own results come from.
 */
public final class GaPipeline {

    private GaPipeline() {
    }

    /**
     * Loads or measures the cost table for the space's options and the reference, then runs
     * {@link #run(GaConfig, CostTable, SearchPipeline.Options, Batch, Batch, Batch, GaListener, TrainingListener,
     * Consumer)}.
     *
     * @throws IOException when the cost table cannot be read or saved
     */
    public static GaPipelineResult run(GaConfig config, SearchPipeline.Options options, Batch train, Batch validation,
                                       Batch test, GaListener listener, TrainingListener training, Consumer<String> log)
            throws IOException {
        return run(config, options, train, validation, test, listener, training, log, GaCheckpointing.NONE);
    }

    /**
     * As {@link #run(GaConfig, SearchPipeline.Options, Batch, Batch, Batch, GaListener, TrainingListener, Consumer)},
     * the GA checkpointing (and resuming) as {@code checkpointing} says. A resumed run loads the cost table the
     * interrupted one saved, so that the fitness of the candidates still to train is scored with the same costs.
     */
    public static GaPipelineResult run(GaConfig config, SearchPipeline.Options options, Batch train, Batch validation,
                                       Batch test, GaListener listener, TrainingListener training, Consumer<String> log,
                                       GaCheckpointing checkpointing)
            throws IOException {
        if (config == null || options == null || log == null) {
            throw new IllegalArgumentException("the GA pipeline needs a configuration, options and a log");
        }
        requireData(train, "training");
        long start = System.nanoTime();
        Set<LayerKind> kinds = new LinkedHashSet<>(config.space().options());
        kinds.addAll(SearchPipeline.reference(config.emphasis(), config.space().layers()).layers());
        CostTable costs = CostTables.loadOrMeasure(options.costDirectory(), train.cols(), config.space().settings(),
                kinds, options.measure(), new SplittableRandom(config.seed()), log).table();
        Duration costTime = Duration.ofNanos(System.nanoTime() - start);
        GaPipelineResult result = run(config, costs, options, train, validation, test, listener, training, log,
                checkpointing);
        return new GaPipelineResult(config, result.ga(), costs, result.found(), result.reference(), result.fom(),
                costTime, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Runs the GA with a given cost table (a study shares one between AutoNF and the GA), retrains and evaluates
     * its best architecture and, if {@link SearchPipeline.Options#trainReference()}, the reference.
     *
     * @param costs a table covering the space's options and the reference's layer
     */
    public static GaPipelineResult run(GaConfig config, CostTable costs, SearchPipeline.Options options, Batch train,
                                       Batch validation, Batch test, GaListener listener, TrainingListener training,
                                       Consumer<String> log) {
        return run(config, costs, options, train, validation, test, listener, training, log, GaCheckpointing.NONE);
    }

    /** As {@link #run(GaConfig, CostTable, SearchPipeline.Options, Batch, Batch, Batch, GaListener,
     * TrainingListener, Consumer)}, the GA checkpointing (and resuming) as {@code checkpointing} says. */
    public static GaPipelineResult run(GaConfig config, CostTable costs, SearchPipeline.Options options, Batch train,
                                       Batch validation, Batch test, GaListener listener, TrainingListener training,
                                       Consumer<String> log, GaCheckpointing checkpointing) {
        if (config == null || costs == null || options == null || listener == null || training == null || log == null
                || checkpointing == null) {
            throw new IllegalArgumentException("the GA pipeline needs a configuration, a cost table, options, "
                    + "listeners and a log");
        }
        requireData(train, "training");
        requireData(validation, "validation");
        requireData(test, "test");
        validation.requireCols(train.cols(), "the validation split");
        test.requireCols(train.cols(), "the test split");
        long start = System.nanoTime();
        GaResult ga = GaSearch.withTraining(config, costs, train, validation).run(listener, checkpointing);
        log.accept(String.format(Locale.ROOT, "GA chose %s (fitness %.4f, validation NLL %.4f, cost %.3f) after %d "
                        + "generations, %d trainings (%d failed), %.3g layer evaluations in %.1f s (%s); retraining it",
                ga.bestArchitecture(), ga.best().fitness(), ga.best().validationNll(), ga.best().cost(),
                ga.generations().size(), ga.trainings(), ga.failures(), (double) ga.layerEvaluations(),
                ga.wallTime().toNanos() / 1e9, ga.stopReason().id()));
        if (ga.best().failed()) {
            log.accept("every candidate failed; retraining the first one anyway with the larger budget");
        }
        Candidate found = retrain(ga.bestArchitecture(), config, costs, options, train, validation, test, training, log);
        listener.onEvaluation("found", found.evaluation());
        Candidate reference = null;
        Fom fom = null;
        if (options.trainReference()) {
            Architecture referenceArchitecture = SearchPipeline.reference(config.emphasis(), config.space().layers());
            log.accept("training the reference " + referenceArchitecture + " with the same budget");
            reference = retrain(referenceArchitecture, config, costs, options, train, validation, test, training, log);
            listener.onEvaluation("reference", reference.evaluation());
            fom = Fom.of(found.cost(config.emphasis()), reference.cost(config.emphasis()),
                    found.evaluation().density(), reference.evaluation().density());
        }
        return new GaPipelineResult(config, ga, costs, found, reference, fom, Duration.ZERO,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static Candidate retrain(Architecture architecture, GaConfig config, CostTable costs,
                                     SearchPipeline.Options options, Batch train, Batch validation, Batch test,
                                     TrainingListener training, Consumer<String> log) {
        return SearchPipeline.trainAndEvaluate(architecture, config.space().settings(), config.retraining(),
                config.seed(), config.threads(), options, costs, train, validation, test, training, log);
    }

    private static void requireData(Batch data, String what) {
        if (data == null || data.rows() == 0) {
            throw new IllegalArgumentException(what + " data is empty");
        }
    }
}
