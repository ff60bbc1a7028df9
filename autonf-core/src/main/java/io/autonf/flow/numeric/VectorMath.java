package io.autonf.flow.numeric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise exp, log and log1p that give the same bits whether the code runs interpreted or compiled.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API evaluates its transcendental operators with
 * scalar {@code Math} per lane until C2 compiles the caller, then with a vector math library of its own, and the
 * two differ in the last bit. One and the same pass then changes its result after a few thousand calls, and
 * training stops being reproducible for a seed. These functions use only operations that IEEE 754 defines
 * exactly (add, sub, mul, div, fma, min, max, compares, blends and integer operations on the bit patterns), which
 * every execution mode must round identically; no int/float conversions are used, so even their saturation
 * rules play no part.
 *
 * <p>Accuracy, measured against {@code Math} by {@code VectorMathTest}: within 2 ulp (typically 1) on exp over
 * [-750, 710], log over (0, +inf) including subnormals, log1p over [-1, +inf). Special values follow
 * {@code Math}: exp(NaN) = NaN, exp(+inf) = +inf, exp(-inf) = +0, overflow above ln(MAX_VALUE) ~ 709.78 to +inf,
 * gradual underflow into the subnormals (correctly rounded from the reduced result) and +0 below ~ -745.13;
 * log(±0) = -inf, log(x < 0) = NaN, log(+inf) = +inf; log1p(-1) = -inf, log1p(x < -1) = NaN, log1p(±0) = ±0.
 *
 * <p>The vector forms are meant to be inlined into vectorised code (a vector passed to a call that is not inlined
 * is boxed, which costs more than the maths). They are kept under C2's size limit for hot methods, but each one
 * expands into thousands of compiler nodes, and C2 stops inlining once a compilation reaches its node budget:
 * in a method that is already large, or that calls several of them, the later calls are not inlined. Such
 * callers should use the in-place array forms ({@link #expInPlace} etc.), which loop over a lane-major scratch
 * array in a compilation of their own and pass no vectors across the call. The polynomials are plain
 * Taylor/atanh series, long enough that their truncation error stays below a quarter ulp on the reduced ranges.
 */
public final class VectorMath {

    /** log2(e), the nearest double. */
    private static final double LOG2_E = 0x1.71547652b82fep0;
    /** ln 2 split for exp: the nearest double, and the rest. With fma, x - k * LN2 is exact for |k| <= 1076. */
    private static final double EXP_LN2_HI = 0x1.62e42fefa39efp-1;
    private static final double EXP_LN2_LO = 0x1.abc9e3b39803fp-56;
    /**
     * 1.5 * 2^52: adding it to |y| < 2^51 leaves a double whose ulp is 1, so the sum is y rounded to the nearest
     * integer and its low bits hold that integer (offset by the bits of the constant). No conversion needed.
     */
    private static final double ROUNDING_SHIFT = 0x1.8p52;
    private static final long ROUNDING_SHIFT_BITS = Double.doubleToRawLongBits(ROUNDING_SHIFT);
    /**
     * exp's input is clamped to this range before the reduction: above 710 the result overflows to +inf anyway,
     * below -746 it rounds to +0, and the clamp keeps k within what the two-factor scaling represents.
     */
    private static final double EXP_HIGHEST = 710.0;
    private static final double EXP_LOWEST = -746.0;

    /**
     * Taylor coefficients 1/n!, n = 14 down to 2, Horner order; the first omitted term is below 2^-58 for
     * |r| <= ln2/2 + rounding. Loops over arrays rather than unrolled constants keep the methods under C2's
     * inlining size limit (325 bytecodes), which matters more: a call that is not inlined boxes its vectors.
     */
    private static final double[] EXP_SERIES = {
            1.0 / 87178291200.0, 1.0 / 6227020800.0, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
            1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2};

    /** ln 2 split for log: a head with 21 trailing zero bits, so e * LOG_LN2_HI is exact for any exponent e. */
    private static final double LOG_LN2_HI = 0x1.62e42feep-1;
    /** ln 2 - LOG_LN2_HI, rounded once: (nearest double to ln 2) - head is exact, then the tail of ln 2 is added. */
    private static final double LOG_LN2_LO = (EXP_LN2_HI - LOG_LN2_HI) + EXP_LN2_LO;
    private static final double SQRT_2 = 0x1.6a09e667f3bcdp0;
    /** Scales subnormal inputs into the normal range before their exponent is read. */
    private static final double TWO_54 = 0x1p54;
    private static final long MANTISSA_MASK = 0x000F_FFFF_FFFF_FFFFL;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    /** 2^52 as bits: OR-ing a biased exponent (< 2^11) into it gives the double 2^52 + exponent, exactly. */
    private static final long TWO_52_BITS = Double.doubleToRawLongBits(0x1p52);
    private static final double TWO_52_PLUS_BIAS = 0x1p52 + 1023;

    /**
     * 2 atanh(s) = 2s + s R(s^2) with R(z) = sum_{n>=1} 2 z^n / (2n+1); with |s| <= (sqrt2 - 1)/(sqrt2 + 1),
     * z <= 0.0295 and terms up to z^10 leave a truncation error below 2^-60 relative. Coefficients of R(z)/z,
     * 2/21 down to 2/3, Horner order.
     */
    private static final double[] ATANH_SERIES = {
            2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13, 2.0 / 11, 2.0 / 9, 2.0 / 7, 2.0 / 5, 2.0 / 3};

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** {@code values[from, to)} replaced by their {@link #exp}, bit for bit what the vector form gives. */
    public static void expInPlace(double[] values, int from, int to) {
        checkRange(values, from, to);
        for (int i = from; i < to; i += SPECIES.length()) {
            VectorMask<Double> m = SPECIES.indexInRange(i, to);
            exp(DoubleVector.fromArray(SPECIES, values, i, m)).intoArray(values, i, m);
        }
    }

    /** {@code values[from, to)} replaced by their {@link #log}. */
    public static void logInPlace(double[] values, int from, int to) {
        checkRange(values, from, to);
        for (int i = from; i < to; i += SPECIES.length()) {
            VectorMask<Double> m = SPECIES.indexInRange(i, to);
            log(DoubleVector.fromArray(SPECIES, values, i, m)).intoArray(values, i, m);
        }
    }

    /** {@code values[from, to)} replaced by their {@link #log1p}. */
    public static void log1pInPlace(double[] values, int from, int to) {
        checkRange(values, from, to);
        for (int i = from; i < to; i += SPECIES.length()) {
            VectorMask<Double> m = SPECIES.indexInRange(i, to);
            log1p(DoubleVector.fromArray(SPECIES, values, i, m)).intoArray(values, i, m);
        }
    }

    private static void checkRange(double[] values, int from, int to) {
        if (values == null) {
            throw new IllegalArgumentException("values are null");
        }
        if (from < 0 || from > to || to > values.length) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") is not within an array of "
                    + values.length + " values");
        }
    }

    /**
     * e^x per lane. x = k ln2 + r with k = round(x / ln2), |r| <= ln2/2 (+ rounding), e^r by a degree-14 Taylor
     * polynomial, and e^x = e^r * 2^(k - k/2) * 2^(k/2): two factors so that both stay normal doubles, which
     * makes overflow and gradual underflow come out of the last multiplication with its single rounding.
     */
    public static DoubleVector exp(DoubleVector x) {
        // Math.min/max semantics: NaN stays NaN, and so does the result.
        DoubleVector clamped = x.min(EXP_HIGHEST).max(EXP_LOWEST);
        DoubleVector shifted = clamped.fma(LOG2_E, ROUNDING_SHIFT);
        DoubleVector k = shifted.sub(ROUNDING_SHIFT);
        DoubleVector minusK = k.neg();
        DoubleVector r = minusK.fma(k.broadcast(EXP_LN2_HI), clamped);
        r = minusK.fma(k.broadcast(EXP_LN2_LO), r);
        DoubleVector q = r.broadcast(EXP_SERIES[0]);
        for (int i = 1; i < EXP_SERIES.length; i++) {
            q = q.fma(r, r.broadcast(EXP_SERIES[i]));
        }
        // e^r = 1 + (r + r^2 q): the small part is summed first, so the result carries one final rounding.
        DoubleVector expR = r.mul(r).fma(q, r).add(1.0);
        LongVector kBits = shifted.reinterpretAsLongs().sub(ROUNDING_SHIFT_BITS);
        LongVector half = kBits.lanewise(VectorOperators.ASHR, 1);
        DoubleVector scaleA = half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector scaleB = kBits.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return expR.mul(scaleA).mul(scaleB);
    }

    /**
     * ln x per lane. x = 2^e m with m in [sqrt(1/2), sqrt 2) read from the bits (subnormals first scaled by 2^54);
     * with f = m - 1 (exact) and s = f / (2 + f), ln m = 2 atanh s = f - (f^2/2 - s (f^2/2 + R(s^2))), a form whose
     * leading term f is exact, and e ln2 is added in two parts.
     */
    public static DoubleVector log(DoubleVector x) {
        return logOfPositiveFinite(x)
                .blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0))
                .blend(Double.NaN, x.compare(VectorOperators.LT, 0.0))
                .blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)));
    }

    /** {@link #log} without its special cases, which give meaningless values here; a separate method only to stay inlinable. */
    private static DoubleVector logOfPositiveFinite(DoubleVector x) {
        VectorMask<Double> subnormal = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector scaled = x.blend(x.mul(TWO_54), subnormal);
        LongVector bits = scaled.reinterpretAsLongs();
        DoubleVector exponent = bits.lanewise(VectorOperators.LSHR, 52).or(TWO_52_BITS).reinterpretAsDoubles()
                .sub(TWO_52_PLUS_BIAS).sub(54.0, subnormal);
        DoubleVector m = bits.and(MANTISSA_MASK).or(ONE_BITS).reinterpretAsDoubles();
        VectorMask<Double> high = m.compare(VectorOperators.GT, SQRT_2);
        m = m.blend(m.mul(0.5), high);
        exponent = exponent.add(1.0, high);
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector poly = z.broadcast(ATANH_SERIES[0]);
        for (int i = 1; i < ATANH_SERIES.length; i++) {
            poly = poly.fma(z, z.broadcast(ATANH_SERIES[i]));
        }
        DoubleVector rest = poly.mul(z);
        DoubleVector halfFSquared = f.mul(f).mul(0.5);
        DoubleVector small = s.mul(halfFSquared.add(rest)).add(exponent.mul(LOG_LN2_LO));
        return exponent.mul(LOG_LN2_HI).sub(halfFSquared.sub(small).sub(f));
    }

    /**
     * ln(1 + x) per lane. u = 1 + x rounds, but its rounding error c = (u - 1) - x is computed exactly (for
     * u < 2^53; beyond, it no longer matters), and ln(1 + x) = ln(u - c) ~ ln u - c/u to well below an ulp. When u
     * rounds to 1 this returns exactly x.
     */
    public static DoubleVector log1p(DoubleVector x) {
        DoubleVector u = x.add(1.0);
        DoubleVector roundingError = u.sub(1.0).sub(x);
        DoubleVector result = log(u).sub(roundingError.div(u));
        // -1 gives 0/0 in the correction, +inf gives inf - inf; ±0 keeps its sign as in Math.log1p.
        return result
                .blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, -1.0))
                .blend(x, x.compare(VectorOperators.EQ, 0.0)
                        .or(x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)));
    }
}
