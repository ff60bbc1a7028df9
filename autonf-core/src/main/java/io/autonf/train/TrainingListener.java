package io.autonf.train;

/**
 * Progress of a training run, called on the training thread. Every method does nothing by default, so a
 * listener overrides only what it records.
 */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * After the parameter update of {@code step} (counted from 1).
     *
     * @param learningRate the rate used by this step
     * @param trainLoss    mean NLL of the step's mini-batch, before the update
     * @param gradientNorm global gradient norm before clipping
     */
    default void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
    }

    /**
     * The non-finite {@code what} ({@code value}) of step {@code step} was dropped before any update; the rate is
     * now scaled by {@code learningRateScale} and the step is taken again on the next batch.
     */
    default void onRollback(int step, String what, double value, int rollbacks, double learningRateScale) {
    }

    /** After validating the parameters reached at {@code step}; {@code isBest} if they are now the ones kept. */
    default void onValidation(int step, double validationNll, boolean isBest) {
    }

    /** Once, after the best parameters have been restored. */
    default void onFinish(TrainingResult result) {
    }
}
