package io.autonf.mlflow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingLimitsTest {

    @ParameterizedTest
    @ValueSource(strings = {"loss/train", "alpha/layer03/rq-c", "mlflow.runName", "theta_optimiser.learning_rate",
            "a b", "x"})
    void acceptsMlflowKeys(String key) {
        assertDoesNotThrow(() -> TrackingLimits.requireValidKey("metric", key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "loss:train", "λ", "a//b", "/a", "a/", "a/../b", "./a", "a\tb", "ü"})
    void rejectsOtherKeysBeforeSending(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Metric(key, 1.0, 0, 0));
        assertTrue(e.getMessage().startsWith("metric key"), e.getMessage());
    }

    @Test
    void keyLengthLimitIs250() {
        assertDoesNotThrow(() -> new Param("k".repeat(250), "v"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Param("k".repeat(251), "v"));
        assertTrue(e.getMessage().contains("251 characters"), e.getMessage());
    }

    @Test
    void namesTheOffendingCharacter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tag("run:name", "v"));
        assertTrue(e.getMessage().contains("':'") && e.getMessage().contains("position 3"), e.getMessage());
    }
}
