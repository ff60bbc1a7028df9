package io.autonf.flow.numeric;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoftplusTest {

    @Test
    void isAccurateInBothTailsAndInTheMiddle() {
        assertEquals(Math.log(2), Softplus.value(0), 1e-16);
        assertEquals(Math.log1p(Math.exp(1.5)), Softplus.value(1.5), 1e-15);
        assertEquals(800.0, Softplus.value(800), 0.0);
        assertEquals(Math.exp(-50), Softplus.value(-50), Math.exp(-50) * 1e-15);
        assertEquals(0.0, Softplus.value(-800), 0.0);
    }

    @Test
    void derivativeIsTheSigmoid() {
        for (double x : new double[] {-700, -30, -1, 0, 0.5, 30, 700}) {
            double h = 1e-6 * Math.max(1, Math.abs(x));
            double numeric = (Softplus.value(x + h) - Softplus.value(x - h)) / (2 * h);
            assertEquals(numeric, Softplus.derivative(x), 1e-7 * Math.max(numeric, 1e-300), "x = " + x);
        }
        assertEquals(0.5, Softplus.derivative(0), 0.0);
    }

    @Test
    void inverseUndoesValue() {
        for (double x : new double[] {-30, -5, -1e-3, 0, 0.999, 10, 40, 500}) {
            assertEquals(x, Softplus.inverse(Softplus.value(x)), 1e-12 * Math.max(1, Math.abs(x)), "x = " + x);
        }
        assertThrows(IllegalArgumentException.class, () -> Softplus.inverse(0));
        assertThrows(IllegalArgumentException.class, () -> Softplus.inverse(Double.NaN));
    }
}
