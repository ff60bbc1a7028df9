package io.autonf.train;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A non-finite training step is dropped and retried with a lower rate, a bounded number of times. */
class TrainerRollbackTest {

    private static final double[] MEAN = {1, -2};
    private static final double[] STD = {0.5, 2};
    private static final TrainingConfig CONFIG = TrainingConfig.DEFAULTS.withBatchSize(100).withMaxSteps(40)
            .withLearningRate(1e-2).withValidateEvery(10).withPatience(100);

    /** 400 rows with one NaN: one batch in four of every epoch gives a NaN loss. */
    private static Batch poisoned() {
        Batch clean = TestFlows.gaussian(400, MEAN, STD, new SplittableRandom(1));
        double[] v = clean.values().clone();
        v[2 * 77 + 1] = Double.NaN;
        return new Batch(v, 400, 2);
    }

    private static final class Recorder implements TrainingListener {
        final List<Integer> steps = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();
        final List<String> rollbacks = new ArrayList<>();

        @Override
        public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
            steps.add(step);
            rates.add(learningRate);
            assertTrue(Double.isFinite(trainLoss));
        }

        @Override
        public void onRollback(int step, String what, double value, int rollbacks, double learningRateScale) {
            this.rollbacks.add(step + " " + what + " " + value + " " + rollbacks + " " + learningRateScale);
        }
    }

    @Test
    void nonFiniteStepsAreDroppedAndTheRateLowered() {
        Batch validation = TestFlows.gaussian(200, MEAN, STD, new SplittableRandom(2));
        Flow flow = new Flow(new ElementwiseAffine(2));
        Recorder recorder = new Recorder();
        try (Trainer trainer = new Trainer(CONFIG, new RollbackPolicy(20, 0.5))) {
            TrainingResult result = trainer.train(flow, poisoned(), validation, new SplittableRandom(3), recorder);
            assertEquals(40, result.stepsRun());
        }
        // 40 good steps take 14 epochs of 3 good batches and one poisoned: 13 or 14 rollbacks.
        assertTrue(recorder.rollbacks.size() >= 13, recorder.rollbacks.toString());
        assertTrue(recorder.rollbacks.get(0).endsWith("the training loss NaN 1 0.5"), recorder.rollbacks.get(0));
        for (int s = 1; s <= 40; s++) {
            assertEquals(s, recorder.steps.get(s - 1), "each step reported once, in order");
        }
        // Every rollback halves the scheduled rate for the rest of the training.
        assertEquals(CONFIG.schedule().rate(39) * Math.pow(0.5, recorder.rollbacks.size()), recorder.rates.get(39));
    }

    @Test
    void theRollbacksAreBounded() {
        Batch validation = TestFlows.gaussian(200, MEAN, STD, new SplittableRandom(2));
        Recorder recorder = new Recorder();
        try (Trainer trainer = new Trainer(CONFIG, new RollbackPolicy(3, 0.5))) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.train(
                    new Flow(new ElementwiseAffine(2)), poisoned(), validation, new SplittableRandom(3), recorder));
            assertEquals(3, recorder.rollbacks.size());
            assertTrue(e.getMessage().startsWith("training diverged at step " + e.step()
                    + ": the training loss is NaN again after 3 rollbacks"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new RollbackPolicy(-1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new RollbackPolicy(1, 1.0));
    }
}
