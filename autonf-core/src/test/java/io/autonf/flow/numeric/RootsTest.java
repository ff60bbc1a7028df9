package io.autonf.flow.numeric;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootsTest {

    @Test
    void solvesACubicToFullPrecision() {
        DoubleUnaryOperator f = x -> x * x * x + x;
        DoubleUnaryOperator df = x -> 3 * x * x + 1;
        for (double root : new double[] {-1e4, -3.25, -1e-7, 0.0, 2e-9, 0.5, 7.0, 1e5}) {
            double target = f.applyAsDouble(root);
            double x = Roots.solveIncreasing(f, df, target, -1, 1);
            assertEquals(root, x, 1e-14 * Math.max(Math.abs(root), 1e-12), "root of x^3 + x = " + target);
        }
    }

    @Test
    void findsTheBracketWhenTheGuessMissesTheRoot() {
        DoubleUnaryOperator f = x -> 2 * x + Math.sin(x);
        DoubleUnaryOperator df = x -> 2 + Math.cos(x);
        assertEquals(1e6, Roots.solveIncreasing(f, df, f.applyAsDouble(1e6), 0, 1), 1e6 * 1e-14);
        assertEquals(-5, Roots.solveIncreasing(f, df, f.applyAsDouble(-5), 10, 20), 5 * 1e-14);
        assertEquals(3, Roots.solveIncreasing(f, df, f.applyAsDouble(3), 0, 0), 3 * 1e-14);
    }

    @Test
    void convergesWhereTheSlopeVanishes() {
        // x^3 is flat at its root 0 and a (1e-10)^3 target sits deep in that flat region.
        DoubleUnaryOperator cube = x -> x * x * x;
        DoubleUnaryOperator dCube = x -> 3 * x * x;
        assertEquals(1e-10, Roots.solveIncreasing(cube, dCube, 1e-30, -1, 1), 1e-10 * 1e-13);
        assertEquals(-2.5, Roots.solveIncreasing(cube, dCube, -15.625, -1, 1), 2.5 * 1e-14);
        // Every |x| below ~1e-108 cubes to exactly 0 in doubles, so any of them is an exact root.
        assertEquals(0.0, Roots.solveIncreasing(cube, dCube, 0.0, -1, 2), 1e-100);
    }

    @Test
    void invertsThePlanarScalarMapAtTheInvertibilityBoundary() {
        // a + m tanh(a) with m -> -1 is the planar inverse at u^.w -> -1: flat around a = 0.
        for (double m : new double[] {-1.0, -1.0 + 1e-12, -0.999, 0.0, 3.0}) {
            DoubleUnaryOperator f = a -> a + m * Math.tanh(a);
            DoubleUnaryOperator df = a -> {
                double c = Math.cosh(a);
                return 1 + m / (c * c);
            };
            for (double root : new double[] {-40.0, -2.0, -0.05, 0.003, 0.7, 5.0, 1e3, 1e12}) {
                double target = f.applyAsDouble(root);
                double a = Roots.solveIncreasing(f, df, target, target - Math.abs(m), target + Math.abs(m));
                // Near 0 with m = -1, f(a) = a^3/3 is known only to ulp(a), so the root is checked through the
                // residual (which the solver controls) scaled by the conditioning 1/f'(root).
                double slope = Math.max(df.applyAsDouble(root), 1e-300);
                double allowed = 1e-14 * Math.abs(root) + 4 * Math.ulp(Math.abs(root) + Math.abs(target)) / slope;
                assertEquals(root, a, allowed, "m = " + m + ", root " + root);
            }
        }
    }

    @Test
    void survivesAWrongDerivative() {
        DoubleUnaryOperator f = x -> Math.exp(x);
        double x = Roots.solveIncreasing(f, any -> 0.0, 5.0, 0, 1);
        assertEquals(Math.log(5), x, 1e-14 * Math.log(5));
        double y = Roots.solveIncreasing(f, any -> -3.0, 0.25, 0, 1);
        assertEquals(Math.log(0.25), y, 1e-14 * Math.abs(Math.log(0.25)));
    }

    @Test
    void reportsATargetOutsideTheRangeOfTheFunction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Roots.solveIncreasing(Math::atan, x -> 1 / (1 + x * x), 2.0, -1, 1));
        assertTrue(e.getMessage().contains("cannot bracket"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Roots.solveIncreasing(Math::exp, Math::exp, -1.0, 0, 1));
    }

    @Test
    void rejectsBadArgumentsAndNaNs() {
        DoubleUnaryOperator id = x -> x;
        DoubleUnaryOperator one = x -> 1;
        assertThrows(IllegalArgumentException.class, () -> Roots.solveIncreasing(id, one, Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Roots.solveIncreasing(id, one, 0.5, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Roots.solveIncreasing(id, one, 0.5, Double.NEGATIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> Roots.solveIncreasing(id, one, 0.5, 0, 1, 0, 0));
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> Roots.solveIncreasing(Math::sqrt, one, 0.5, -4, -1));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void returnsExactRootsAtTheBracketEnds() {
        DoubleUnaryOperator id = x -> x;
        assertEquals(0.0, Roots.solveIncreasing(id, x -> 1, 0.0, 0, 1), 0.0);
        assertEquals(1.0, Roots.solveIncreasing(id, x -> 1, 1.0, 0, 1), 0.0);
    }
}
