package io.autonf.ga;

import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.train.Trainer;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingDivergedException;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Trains a candidate as the AutoNF pipeline trains a flow from scratch ({@link Layers#flow}, {@link Trainer}):
 * initial parameters from the first split of the seed, batch order from the second. The validation NLL is the
 * {@link Trainer}'s: that of the best parameters validated within the budget. The budget's own
 * {@link TrainingConfig#seed()} is not used; the seed of each call replaces it.
 *
 * <p>A training that diverges (NaN or infinite loss, gradient or validation NLL) or throws is returned as a
 * failed outcome with the compute it spent, so that one bad candidate does not stop a search.
 */
public final class FlowTraining implements CandidateTraining {

    private final TrainingConfig budget;
    private final LayerSettings settings;
    private final Batch train;
    private final Batch validation;

    public FlowTraining(TrainingConfig budget, LayerSettings settings, Batch train, Batch validation) {
        if (budget == null || settings == null) {
            throw new IllegalArgumentException("candidate training needs a budget and layer settings");
        }
        if (train == null || train.rows() == 0 || validation == null || validation.rows() == 0) {
            throw new IllegalArgumentException("candidate training needs non-empty training and validation data");
        }
        validation.requireCols(train.cols(), "the validation split");
        this.budget = budget;
        this.settings = settings;
        this.train = train;
        this.validation = validation;
    }

    public TrainingConfig budget() {
        return budget;
    }

    @Override
    public TrainingOutcome train(Architecture architecture, long seed) {
        if (architecture == null) {
            throw new IllegalArgumentException("an architecture is required");
        }
        long start = System.nanoTime();
        SplittableRandom seeds = new SplittableRandom(seed);
        Counting counting = new Counting();
        try (Trainer trainer = new Trainer(budget)) {
            Flow flow = Layers.flow(architecture, train.cols(), settings, seeds.split());
            TrainingResult result = trainer.train(flow, train, validation, seeds.split(), counting);
            return TrainingOutcome.succeeded(result.bestValidationNll(), result.stepsRun(),
                    layerEvaluations(architecture, counting.steps, counting.validations), elapsed(start));
        } catch (TrainingDivergedException e) {
            // The diverging step ran its forward pass even though it never reported.
            int steps = Math.max(counting.steps, e.step());
            return TrainingOutcome.failed(e.getMessage(), steps,
                    layerEvaluations(architecture, steps, counting.validations), elapsed(start));
        } catch (RuntimeException e) {
            return TrainingOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), counting.steps,
                    layerEvaluations(architecture, counting.steps, counting.validations), elapsed(start));
        }
    }

    /**
     * n·(steps·B + validations·V): n layers, B rows per step (the batch size, or every training row when there
     * are fewer), V validation rows per validation.
     */
    public long layerEvaluations(Architecture architecture, long steps, long validations) {
        long batchRows = Math.min(budget.batchSize(), train.rows());
        return architecture.size() * (steps * batchRows + validations * validation.rows());
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Counts what one training ran; called on that training's thread only. */
    private static final class Counting implements TrainingListener {
        int steps;
        int validations;

        @Override
        public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
            steps = step;
        }

        @Override
        public void onValidation(int step, double validationNll, boolean isBest) {
            validations++;
        }
    }
}
