/**
 * Maximum-likelihood training of a {@link io.autonf.flow.Flow}: {@link io.autonf.train.Adam} with a
 * {@link io.autonf.train.LearningRateSchedule}, global gradient-norm clipping, data-parallel mini-batches with
 * early stopping on validation NLL ({@link io.autonf.train.Trainer}), test-set estimates
 * ({@link io.autonf.train.NllEstimate}) and the trained-flow file format ({@link io.autonf.train.FlowFiles}).
 *
 * <p>Nothing here knows about MLflow: progress leaves through {@link io.autonf.train.TrainingListener}.
 */
package io.autonf.train;
