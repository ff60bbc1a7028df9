package io.autonf.flow.spline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StableMathTest {

    @Test
    void softplusIsFiniteAndExactInTheTails() {
        assertEquals(50 + Math.exp(-50), StableMath.softplus(50), 1e-14);
        assertEquals(100, StableMath.softplus(100), 0.0);
        assertEquals(1000, StableMath.softplus(1000), 0.0);
        assertEquals(Math.exp(-50), StableMath.softplus(-50), 1e-35);
        assertEquals(Math.exp(-100), StableMath.softplus(-100), 1e-58);
        assertEquals(0.0, StableMath.softplus(-1000), 0.0);
        assertEquals(Math.log(2), StableMath.softplus(0), 1e-16);
        assertEquals(Math.log1p(Math.exp(1.7)), StableMath.softplus(1.7), 1e-15);
        assertEquals(Math.log1p(Math.exp(-3.2)), StableMath.softplus(-3.2), 1e-16);
        assertTrue(Double.isFinite(StableMath.softplus(1e300)));
    }

    @Test
    void sigmoidIsFiniteAndExactInTheTails() {
        for (double u : new double[] {50, 100, 1000}) {
            assertEquals(1.0, StableMath.sigmoid(u), 1e-21);
            assertEquals(Math.exp(-u) / (1 + Math.exp(-u)), StableMath.sigmoid(-u), Math.exp(-u) * 1e-15);
            assertEquals(1.0, StableMath.sigmoid(u) + StableMath.sigmoid(-u), 1e-16);
        }
        assertEquals(0.0, StableMath.sigmoid(-1000), 0.0);
        assertEquals(0.5, StableMath.sigmoid(0), 0.0);
    }

    @Test
    void sigmoidIsTheDerivativeOfSoftplus() {
        double h = 1e-5;
        for (double u : new double[] {-50, -30, -5, -0.3, 0, 0.4, 6, 30, 50, 100, 1000}) {
            double numeric = (StableMath.softplus(u + h) - StableMath.softplus(u - h)) / (2 * h);
            assertEquals(numeric, StableMath.sigmoid(u), 1e-9 + 1e-7 * Math.abs(numeric), "at " + u);
        }
    }

    @Test
    void inverseSoftplusUndoesSoftplus() {
        for (double u : new double[] {-30, -2, 0, 0.5, 3, 40}) {
            assertEquals(u, StableMath.inverseSoftplus(StableMath.softplus(u)), 1e-12 * Math.max(1, Math.abs(u)));
        }
        assertThrows(IllegalArgumentException.class, () -> StableMath.inverseSoftplus(0));
    }
}
