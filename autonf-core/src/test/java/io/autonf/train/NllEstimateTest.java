package io.autonf.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NllEstimateTest {

    @Test
    void meanAndTwoStandardErrors() {
        // mean 2.5, sample variance 5/3, so error = 2 * sqrt(5/3) / 2
        NllEstimate e = NllEstimate.of(new double[] {1, 2, 3, 4});
        assertEquals(2.5, e.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3.0), e.error(), 1e-15);
        assertEquals(4, e.count());
        assertEquals(0, NllEstimate.of(new double[] {7}).error(), 0.0);
    }

    @Test
    void nonFiniteNllsGiveANonFiniteEstimateNotAnException() {
        NllEstimate e = NllEstimate.of(new double[] {1, Double.POSITIVE_INFINITY});
        assertEquals(Double.POSITIVE_INFINITY, e.mean());
        assertTrue(Double.isNaN(e.error()));
        assertThrows(IllegalArgumentException.class, () -> NllEstimate.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new NllEstimate(1, -1, 3));
    }
}
