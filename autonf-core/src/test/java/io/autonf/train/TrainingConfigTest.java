package io.autonf.train;

import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingConfigTest {

    private static final TrainingConfig D = TrainingConfig.DEFAULTS;

    private static void rejected(String expectedInMessage, Supplier<TrainingConfig> config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::get);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void withCopiesChangeOneFieldOnly() {
        TrainingConfig c = D.withBatchSize(64).withMaxSteps(100).withLearningRate(1e-3).withMinLearningRate(1e-5)
                .withWarmupSteps(10).withClipNorm(1).withWeightDecay(1e-6).withValidateEvery(5)
                .withValidationBatchSize(128).withPatience(3).withSeed(42).withWorkerThreads(2);
        assertEquals(new TrainingConfig(64, 100, 1e-3, 1e-5, 10, 1, 1e-6, 5, 128, 3, 42, 2), c);
        assertEquals(D.withSeed(1).withSeed(D.seed()), D);
        assertEquals(new CosineSchedule(1e-3, 1e-5, 100, 10), c.schedule());
        assertEquals(64, c.summary().get("batch_size"));
    }

    @Test
    void rejectsEveryInvalidField() {
        rejected("batch size", () -> D.withBatchSize(0));
        rejected("max steps", () -> D.withMaxSteps(0));
        rejected("learning rate", () -> D.withLearningRate(Double.NaN));
        rejected("minimum learning rate", () -> D.withMinLearningRate(1));
        rejected("warm-up", () -> D.withWarmupSteps(D.maxSteps()));
        rejected("clip norm", () -> D.withClipNorm(0));
        rejected("weight decay", () -> D.withWeightDecay(-1));
        rejected("validation interval", () -> D.withValidateEvery(0));
        rejected("validation batch size", () -> D.withValidationBatchSize(0));
        rejected("patience", () -> D.withPatience(0));
        rejected("worker threads", () -> D.withWorkerThreads(0));
        D.withClipNorm(Double.POSITIVE_INFINITY);
    }
}
