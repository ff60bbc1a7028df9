package io.autonf.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {

    @Test
    void cosineStartsAtTheInitialRateAndAnnealsToTheMinimum() {
        CosineSchedule s = new CosineSchedule(1.0, 0.1, 100, 0);
        assertEquals(1.0, s.rate(0), 1e-15);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI / 4)), s.rate(25), 1e-15);
        assertEquals(0.55, s.rate(50), 1e-15);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.99)), s.rate(99), 1e-15);
        assertEquals(0.1, s.rate(100), 1e-15);
        assertEquals(0.1, s.rate(1_000), 0.0);
        for (int t = 1; t <= 100; t++) {
            assertTrue(s.rate(t) <= s.rate(t - 1), "cosine annealing never increases the rate (step " + t + ")");
        }
    }

    @Test
    void warmUpRisesLinearlyThenTheCosineStarts() {
        CosineSchedule s = new CosineSchedule(1.0, 0.0, 100, 10);
        assertEquals(0.1, s.rate(0), 1e-15);
        assertEquals(0.5, s.rate(4), 1e-15);
        assertEquals(1.0, s.rate(9), 1e-15);
        assertEquals(1.0, s.rate(10), 1e-15);
        assertEquals(0.5, s.rate(55), 1e-15);
        assertEquals(0.0, s.rate(100), 1e-15);
    }

    @Test
    void constantIsConstant() {
        LearningRateSchedule c = LearningRateSchedule.constant(3e-4);
        assertEquals(3e-4, c.rate(0), 0.0);
        assertEquals(3e-4, c.rate(123_456), 0.0);
        assertThrows(IllegalArgumentException.class, () -> c.rate(-1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0, 0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 2, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, -1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 0, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1, 0, 10, 0).rate(-1));
    }
}
