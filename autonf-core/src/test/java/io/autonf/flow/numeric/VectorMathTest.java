package io.autonf.flow.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link VectorMath} against {@code Math} (accuracy, special values) and against a scalar transcription of the same
 * algorithm (bit for bit, long enough for C2 to compile the vector code: what the class exists for).
 */
class VectorMathTest {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double MAX_ULPS = 2;

    // ------------------------------------------------------------------ helpers

    /** Position of a double on the number line in ulps (both zeros at 0), so that ulp distance is a difference. */
    private static long ordinal(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits >= 0 ? bits : -(bits & Long.MAX_VALUE);
    }

    /** Distance in ulps; 0 for two NaNs, "infinite" when only one side is NaN. */
    private static double ulps(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual ? 0 : Double.POSITIVE_INFINITY;
        }
        // Subtract as longs: the ordinals are near 2^62, where a double cannot tell neighbouring ulps apart.
        try {
            return Math.abs(Math.subtractExact(ordinal(expected), ordinal(actual)));
        } catch (ArithmeticException overflow) {
            return Double.POSITIVE_INFINITY;
        }
    }

    private static double[] lanewise(UnaryOperator<DoubleVector> f, double[] in) {
        int n = S.loopBound(in.length) + (in.length % S.length() == 0 ? 0 : S.length());
        double[] padded = Arrays.copyOf(in, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i += S.length()) {
            f.apply(DoubleVector.fromArray(S, padded, i)).intoArray(out, i);
        }
        return Arrays.copyOf(out, in.length);
    }

    /** Max ulp error over the inputs; fails naming the first input beyond {@link #MAX_ULPS}. */
    private static double maxUlps(String name, UnaryOperator<DoubleVector> f, DoubleUnaryOperator reference, double[] in) {
        double[] out = lanewise(f, in);
        double worst = 0;
        for (int i = 0; i < in.length; i++) {
            double expected = reference.applyAsDouble(in[i]);
            double u = ulps(expected, out[i]);
            if (u > MAX_ULPS) {
                fail(name + "(" + in[i] + ") [" + Double.toHexString(in[i]) + "]: expected " + expected + ", got "
                        + out[i] + " (" + u + " ulps)");
            }
            worst = Math.max(worst, u);
        }
        return worst;
    }

    private static double[] concat(double[]... parts) {
        return Arrays.stream(parts).flatMapToDouble(Arrays::stream).toArray();
    }

    private static final double[] SPECIALS = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            -Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN, 1.0, -1.0, 2.0, 0.5, Math.nextUp(1.0), Math.nextDown(1.0),
            Math.nextDown(-1.0), Math.nextUp(-1.0), 1e-300, 1e300, -1e300, 3e-320, Math.E};

    /** Magnitudes spread over the whole exponent range, both signs, subnormals included. */
    private static double[] logUniform(int n, int minExponent, int maxExponent, boolean bothSigns, RandomGenerator rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v = (1 + rng.nextDouble()) * Math.scalb(1.0, rng.nextInt(minExponent, maxExponent + 1));
            x[i] = bothSigns && rng.nextBoolean() ? -v : v;
        }
        return x;
    }

    private static double[] uniform(int n, double low, double high, RandomGenerator rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble(low, high);
        }
        return x;
    }

    /** 1 + t and 1 - t for t = m 2^-k, k up to 60: log's hardest region, where the result cancels. */
    private static double[] aroundOne(int n, double centre, RandomGenerator rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double t = rng.nextDouble() * Math.scalb(1.0, -rng.nextInt(1, 61));
            x[i] = centre + (rng.nextBoolean() ? t : -t);
        }
        return x;
    }

    // ------------------------------------------------------------------ accuracy

    @Test
    void expIsWithinTwoUlpsOfMath() {
        RandomGenerator rng = new SplittableRandom(1);
        double ln2 = Math.log(2);
        double[] boundaries = {709.782712893384, Math.nextUp(709.782712893384), Math.nextDown(709.782712893384),
                709.78, 709.79, 710, -745.1332191019411, Math.nextDown(-745.1332191019411),
                Math.nextUp(-745.1332191019411), -745.13, -745.14, -744.44, -708.3964185322641, -708.4, -708.39,
                -746, -750, 1023.5 * ln2, -1022.5 * ln2, 0.5 * ln2, -0.5 * ln2, 1e-17, -1e-17, 1e-300};
        double[] multiplesOfLn2 = new double[4000];
        for (int i = 0; i < multiplesOfLn2.length; i++) {
            multiplesOfLn2[i] = (i - 2000) * 0.5 * ln2 * (1 + 1e-15 * rng.nextGaussian());
        }
        double[] in = concat(SPECIALS, boundaries, multiplesOfLn2, uniform(300_000, -750, 710, rng),
                uniform(100_000, -1, 1, rng), uniform(50_000, -745.2, -708, rng),
                logUniform(50_000, -1074, 3, true, rng));
        double worst = maxUlps("exp", VectorMath::exp, Math::exp, in);
        System.out.println("VectorMath.exp: max " + worst + " ulps vs Math.exp over " + in.length + " inputs");
    }

    @Test
    void logIsWithinTwoUlpsOfMath() {
        RandomGenerator rng = new SplittableRandom(2);
        double[] in = concat(SPECIALS, logUniform(300_000, -1074, 1023, false, rng), uniform(100_000, 0, 1e300, rng),
                aroundOne(100_000, 1.0, rng), uniform(50_000, 0.5, 2, rng), logUniform(10_000, -1074, 1023, true, rng));
        double worst = maxUlps("log", VectorMath::log, Math::log, in);
        System.out.println("VectorMath.log: max " + worst + " ulps vs Math.log over " + in.length + " inputs");
    }

    @Test
    void log1pIsWithinTwoUlpsOfMath() {
        RandomGenerator rng = new SplittableRandom(3);
        double[] nearMinusOne = aroundOne(50_000, -1.0, rng);
        double[] in = concat(SPECIALS, nearMinusOne, uniform(200_000, -1, 1, rng),
                logUniform(150_000, -1074, 1023, false, rng), logUniform(100_000, -1074, -1, true, rng),
                uniform(50_000, -1, 1e300, rng), aroundOne(20_000, 0.0, rng), uniform(10_000, -5, -1, rng));
        double worst = maxUlps("log1p", VectorMath::log1p, Math::log1p, in);
        System.out.println("VectorMath.log1p: max " + worst + " ulps vs Math.log1p over " + in.length + " inputs");
    }

    @Test
    void specialValuesFollowMath() {
        double[] in = SPECIALS;
        double[] exp = lanewise(VectorMath::exp, in);
        double[] log = lanewise(VectorMath::log, in);
        double[] log1p = lanewise(VectorMath::log1p, in);
        for (int i = 0; i < in.length; i++) {
            double x = in[i];
            if (Double.isNaN(x) || Double.isInfinite(x) || x == 0 || x == -1 || x < -1) {
                // Exact agreement, sign of zero included.
                assertEquals(Math.exp(x), exp[i], 0.0, "exp(" + x + ")");
                assertEquals(Math.log(x), log[i], 0.0, "log(" + x + ")");
                assertEquals(Math.log1p(x), log1p[i], 0.0, "log1p(" + x + ")");
                assertEquals(Double.doubleToLongBits(Math.log1p(x)), Double.doubleToLongBits(log1p[i]), "log1p(" + x + ") sign");
            }
        }
        assertEquals(Double.POSITIVE_INFINITY, lanewise(VectorMath::exp, new double[] {709.79})[0]);
        assertEquals(0.0, lanewise(VectorMath::exp, new double[] {-745.2})[0]);
        assertEquals(Double.MIN_VALUE, lanewise(VectorMath::exp, new double[] {-745.1})[0]);
        assertEquals(0.0, lanewise(VectorMath::log, new double[] {1.0})[0], 0.0);
        assertEquals(1.0, lanewise(VectorMath::exp, new double[] {0.0})[0], 0.0);
        // Tiny arguments come back exactly.
        assertEquals(1e-300, lanewise(VectorMath::log1p, new double[] {1e-300})[0], 0.0);
        assertEquals(-3e-320, lanewise(VectorMath::log1p, new double[] {-3e-320})[0], 0.0);
    }

    // ------------------------------------------------------------------ execution-mode independence

    /**
     * The algorithm of {@link VectorMath}, one double at a time, with {@code Math.fma}, {@code Math.min/max} and
     * bit manipulation: every step is an IEEE-exact operation, so its result cannot depend on how the JVM runs it.
     */
    static final class ScalarTwin {
        private static final double[] EXP_SERIES = {
                1.0 / 87178291200.0, 1.0 / 6227020800.0, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
                1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2};
        private static final double[] ATANH_SERIES = {
                2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13, 2.0 / 11, 2.0 / 9, 2.0 / 7, 2.0 / 5, 2.0 / 3};
        private static final double LN2_HI = 0x1.62e42fefa39efp-1;
        private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
        private static final double LOG_LN2_HI = 0x1.62e42feep-1;
        private static final double LOG_LN2_LO = (LN2_HI - LOG_LN2_HI) + LN2_LO;
        private static final double SHIFT = 0x1.8p52;

        static double exp(double x) {
            double clamped = Math.max(Math.min(x, 710.0), -746.0);
            double shifted = Math.fma(clamped, 0x1.71547652b82fep0, SHIFT);
            double k = shifted - SHIFT;
            double r = Math.fma(-k, LN2_HI, clamped);
            r = Math.fma(-k, LN2_LO, r);
            double q = EXP_SERIES[0];
            for (int i = 1; i < EXP_SERIES.length; i++) {
                q = Math.fma(q, r, EXP_SERIES[i]);
            }
            double expR = Math.fma(r * r, q, r) + 1.0;
            long kBits = Double.doubleToRawLongBits(shifted) - Double.doubleToRawLongBits(SHIFT);
            long half = kBits >> 1;
            double a = Double.longBitsToDouble((half + 1023) << 52);
            double b = Double.longBitsToDouble((kBits - half + 1023) << 52);
            return expR * a * b;
        }

        static double log(double x) {
            if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
                return x;
            }
            if (x < 0) {
                return Double.NaN;
            }
            if (x == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            boolean subnormal = x < Double.MIN_NORMAL;
            long bits = Double.doubleToRawLongBits(subnormal ? x * 0x1p54 : x);
            double exponent = Double.longBitsToDouble((bits >>> 52) | Double.doubleToRawLongBits(0x1p52))
                    - (0x1p52 + 1023) - (subnormal ? 54.0 : 0.0);
            double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | Double.doubleToRawLongBits(1.0));
            if (m > 0x1.6a09e667f3bcdp0) {
                m *= 0.5;
                exponent += 1.0;
            }
            double f = m - 1.0;
            double s = f / (f + 2.0);
            double z = s * s;
            double poly = ATANH_SERIES[0];
            for (int i = 1; i < ATANH_SERIES.length; i++) {
                poly = Math.fma(poly, z, ATANH_SERIES[i]);
            }
            double rest = poly * z;
            double halfFSquared = f * f * 0.5;
            double small = s * (halfFSquared + rest) + exponent * LOG_LN2_LO;
            return exponent * LOG_LN2_HI - ((halfFSquared - small) - f);
        }

        static double log1p(double x) {
            if (x == -1.0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (x == 0.0 || x == Double.POSITIVE_INFINITY) {
                return x;
            }
            double u = x + 1.0;
            return log(u) - ((u - 1.0) - x) / u;
        }
    }

    /**
     * Hundreds of thousands of calls: the first run in the interpreter, later ones in C1 and finally C2 code (where
     * the Vector API's own EXP/LOG switch to a different vector library). Every one must match the scalar twin's
     * bits; NaNs are compared as NaN, their payload being unspecified.
     */
    /**
     * Calls of each function in the bit-for-bit test. A probe with {@code lanewise(VectorOperators.EXP)} against
     * {@code Math.exp} in the same kind of loop first disagreed at call ~50,000 (once C2 had compiled it), so
     * this is well past the switch to compiled code.
     */
    private static final int CALLS = 150_000;

    @Test
    void vectorResultsEqualTheScalarTwinBitForBitInEveryExecutionMode() {
        RandomGenerator rng = new SplittableRandom(4);
        int lanes = S.length();
        double[] x = new double[lanes];
        double[] out = new double[lanes];
        long checked = 0;
        for (int call = 0; call < CALLS; call++) {
            for (int l = 0; l < lanes; l++) {
                x[l] = switch ((call + l) % 4) {
                    case 0 -> rng.nextDouble(-750, 710);
                    case 1 -> rng.nextDouble(-2, 2);
                    case 2 -> (1 + rng.nextDouble()) * Math.scalb(1.0, rng.nextInt(-1074, 1024));
                    default -> SPECIALS[rng.nextInt(SPECIALS.length)];
                };
            }
            DoubleVector v = DoubleVector.fromArray(S, x, 0);
            VectorMath.exp(v).intoArray(out, 0);
            checked += compare("exp", x, out, ScalarTwin::exp, call);
            VectorMath.log(v).intoArray(out, 0);
            checked += compare("log", x, out, ScalarTwin::log, call);
            VectorMath.log1p(v).intoArray(out, 0);
            checked += compare("log1p", x, out, ScalarTwin::log1p, call);
        }
        assertEquals((long) CALLS * lanes * 3, checked);
    }

    private static int compare(String name, double[] x, double[] out, DoubleUnaryOperator twin, int call) {
        for (int l = 0; l < x.length; l++) {
            double expected = twin.applyAsDouble(x[l]);
            if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(out[l])) {
                fail(name + "(" + Double.toHexString(x[l]) + ") on call " + call + ": vector " + Double.toHexString(out[l])
                        + ", scalar twin " + Double.toHexString(expected));
            }
        }
        return x.length;
    }

    @Test
    void inPlaceFormsEqualTheVectorFormsAndTouchOnlyTheirRange() {
        RandomGenerator rng = new SplittableRandom(6);
        int n = 5 * S.length() + 3;
        double[] x = uniform(n, -3, 40, rng);
        int from = 2;
        int to = n - 1;
        for (String name : new String[] {"exp", "log", "log1p"}) {
            double[] values = x.clone();
            UnaryOperator<DoubleVector> vector = switch (name) {
                case "exp" -> VectorMath::exp;
                case "log" -> VectorMath::log;
                default -> VectorMath::log1p;
            };
            switch (name) {
                case "exp" -> VectorMath.expInPlace(values, from, to);
                case "log" -> VectorMath.logInPlace(values, from, to);
                default -> VectorMath.log1pInPlace(values, from, to);
            }
            double[] expected = lanewise(vector, x);
            for (int i = 0; i < n; i++) {
                double want = i >= from && i < to ? expected[i] : x[i];
                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(values[i]), name + " at " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> VectorMath.expInPlace(x, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.logInPlace(x, 0, n + 1));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.log1pInPlace(null, 0, 0));
    }

    @Test
    void theTwinIsAsAccurateAsTheVectorCode() {
        // Guards the twin itself: a twin that drifted from the algorithm would still be compared bit for bit above.
        RandomGenerator rng = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            double a = rng.nextDouble(-745, 709);
            double b = (1 + rng.nextDouble()) * Math.scalb(1.0, rng.nextInt(-1074, 1024));
            assertTrue(ulps(Math.exp(a), ScalarTwin.exp(a)) <= MAX_ULPS, "exp " + a);
            assertTrue(ulps(Math.log(b), ScalarTwin.log(b)) <= MAX_ULPS, "log " + b);
            assertTrue(ulps(Math.log1p(b), ScalarTwin.log1p(b)) <= MAX_ULPS, "log1p " + b);
        }
    }
}
