package io.autonf.train;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.telemetry.AutoNfMeters;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer records one step timing and its rows per optimisation step, one timing per validation. */
class TrainerMetersTest {

    private static final double[] MEAN = {1.0, -2.0};
    private static final double[] STD = {0.5, 2.0};

    @Test
    void stepsSamplesAndValidationsAreCountedInTheGivenRegistry() {
        Batch train = TestFlows.gaussian(300, MEAN, STD, new SplittableRandom(1));
        Batch validation = TestFlows.gaussian(100, MEAN, STD, new SplittableRandom(2));
        TrainingConfig config = TrainingConfig.DEFAULTS.withBatchSize(64).withMaxSteps(25).withWarmupSteps(0)
                .withValidateEvery(10).withPatience(100).withWorkerThreads(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainingResult result;
        try (Trainer trainer = new Trainer(config, registry)) {
            result = trainer.train(new Flow(new ElementwiseAffine(2)), train, validation);
        }
        assertEquals(25, result.stepsRun());
        Timer step = registry.find(AutoNfMeters.TRAIN_STEP).timer();
        assertNotNull(step, "the step timer is registered");
        assertEquals(25, step.count(), "one timing per step");
        assertTrue(step.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
        assertEquals(25.0 * 64, registry.find(AutoNfMeters.TRAIN_SAMPLES).counter().count(), "rows per step");
        // Validations at steps 10, 20 and the last one, 25.
        assertEquals(3, registry.find(AutoNfMeters.TRAIN_VALIDATION).timer().count());
    }
}
