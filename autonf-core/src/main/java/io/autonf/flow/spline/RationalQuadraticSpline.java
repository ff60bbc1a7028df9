package io.autonf.flow.spline;

import io.autonf.flow.numeric.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The monotonic rational-quadratic spline with linear tails of Durkan et al. (2019), computed exactly as nflows 0.14
 * computes {@code unconstrained_rational_quadratic_spline(..., tails="linear")}, in fp64, with a hand-derived
 * backward pass.
 *
 * <p>Each element has its own spline, given by K unnormalised widths, K unnormalised heights and K-1 unnormalised
 * interior derivatives:
 * <ul>
 *   <li>widths (and heights) = min + (1 - min K) softmax(unnormalised); their running sums, scaled to [-B, B], are
 *       the knots, with the first and last knot set to exactly -B and B; bin sizes are then re-derived as knot
 *       differences, so the bins tile [-B, B] exactly even after rounding;</li>
 *   <li>interior derivatives = minDerivative + softplus(unnormalised); both boundary derivatives are 1 (nflows pads
 *       with log(e^(1 - minDerivative) - 1), whose softplus plus the minimum is 1), so the spline joins the identity
 *       tails with a continuous first derivative;</li>
 *   <li>inputs outside [-B, B] pass unchanged with log|det| 0; inputs exactly at -B or B are inside.</li>
 * </ul>
 *
 * <p>Two layouts are offered. The element-wise one takes separate arrays: for n elements, widths and heights are
 * n*K values (element-major) and derivatives n*(K-1). The packed one reads a conditioner network's output as it
 * comes: element i of a rows x cols block owns {@code params[i*(3K-1) .. (i+1)*(3K-1))} laid out as
 * [K widths | K heights | K-1 derivatives] (the nflows view (B, D, 3K-1)), with widths and heights multiplied by
 * a scale before the softmax (nflows' 1/sqrt(hidden features) for coupling layers) and log-determinants summed per
 * row.
 *
 * <p>Elements are evaluated a vector's worth at a time (8 in fp64 with AVX-512), one element per lane, with the
 * lane-wise exponential and logarithms of {@link VectorMath}: those dominate the cost, and their vector forms
 * take a fraction of the time of K scalar {@code Math.exp} calls per softmax. Not the Vector API's own
 * {@code EXP}/{@code LOG}: those round differently once C2 compiles them, so a pass would change its last bits
 * after a few thousand calls and training would not be reproducible for a seed. Each lane finds its own bin with masks;
 * tail lanes are evaluated at 0 and their results replaced by the identity. All functions are pure, thread-safe
 * and allocate only a small scratch object per call, never per element. Backward passes recompute the spline of
 * each element instead of storing its knots: vectorised, that costs less than writing and re-reading a
 * B x D x 2(K+1) tensor.
 */
public final class RationalQuadraticSpline {

    private RationalQuadraticSpline() {
    }

    // ------------------------------------------------------------------ element-wise layout, nflows defaults

    /**
     * y = spline(x) element-wise, with the nflows default minima (1e-3).
     *
     * @param outLogDet log|dy/dx| per element
     */
    public static void forward(double[] x, double[] unnormalizedWidths, double[] unnormalizedHeights,
                               double[] unnormalizedDerivatives, int bins, double tailBound, double[] outY,
                               double[] outLogDet) {
        forward(SplineSettings.of(bins, tailBound), x, unnormalizedWidths, unnormalizedHeights,
                unnormalizedDerivatives, outY, outLogDet);
    }

    /**
     * x = spline^-1(y) element-wise, with the nflows default minima.
     *
     * @param outLogDet log|dx/dy| per element, the negative of the forward log-derivative at x
     */
    public static void inverse(double[] y, double[] unnormalizedWidths, double[] unnormalizedHeights,
                               double[] unnormalizedDerivatives, int bins, double tailBound, double[] outX,
                               double[] outLogDet) {
        inverse(SplineSettings.of(bins, tailBound), y, unnormalizedWidths, unnormalizedHeights,
                unnormalizedDerivatives, outX, outLogDet);
    }

    /** {@link #backward(SplineSettings, double[], double[], double[], double[], double[], double[], double[], double[], double[], double[])} with the nflows default minima. */
    public static void backward(double[] x, double[] unnormalizedWidths, double[] unnormalizedHeights,
                                double[] unnormalizedDerivatives, int bins, double tailBound, double[] gradY,
                                double[] gradLogDet, double[] outGradX, double[] outGradWidths,
                                double[] outGradHeights, double[] outGradDerivatives) {
        backward(SplineSettings.of(bins, tailBound), x, unnormalizedWidths, unnormalizedHeights,
                unnormalizedDerivatives, gradY, gradLogDet, outGradX, outGradWidths, outGradHeights,
                outGradDerivatives);
    }

    // ------------------------------------------------------------------ element-wise layout

    /** y = spline(x) element-wise; {@code outLogDet} receives log|dy/dx| per element. */
    public static void forward(SplineSettings s, double[] x, double[] unnormalizedWidths, double[] unnormalizedHeights,
                               double[] unnormalizedDerivatives, double[] outY, double[] outLogDet) {
        Layout in = separate(s, x.length, unnormalizedWidths, unnormalizedHeights, unnormalizedDerivatives);
        requireLength("outputs", outY, x.length);
        requireLength("log-determinants", outLogDet, x.length);
        run(s, false, x.length, 1, x, in, outY, outLogDet);
    }

    /** x = spline^-1(y) element-wise; {@code outLogDet} receives log|dx/dy| per element. */
    public static void inverse(SplineSettings s, double[] y, double[] unnormalizedWidths, double[] unnormalizedHeights,
                               double[] unnormalizedDerivatives, double[] outX, double[] outLogDet) {
        Layout in = separate(s, y.length, unnormalizedWidths, unnormalizedHeights, unnormalizedDerivatives);
        requireLength("outputs", outX, y.length);
        requireLength("log-determinants", outLogDet, y.length);
        run(s, true, y.length, 1, y, in, outX, outLogDet);
    }

    /**
     * Back-propagates through {@link #forward(SplineSettings, double[], double[], double[], double[], double[], double[])}.
     *
     * <p>Given dL/dy and dL/d(log|det|) per element, writes (overwrites, does not add) dL/dx and the gradients of
     * the three unnormalised parameter arrays, in their layouts. Elements in the tails get dL/dx = dL/dy and zero
     * parameter gradients.
     */
    public static void backward(SplineSettings s, double[] x, double[] unnormalizedWidths, double[] unnormalizedHeights,
                                double[] unnormalizedDerivatives, double[] gradY, double[] gradLogDet,
                                double[] outGradX, double[] outGradWidths, double[] outGradHeights,
                                double[] outGradDerivatives) {
        int n = x.length;
        Layout in = separate(s, n, unnormalizedWidths, unnormalizedHeights, unnormalizedDerivatives);
        Layout out = separate(s, n, outGradWidths, outGradHeights, outGradDerivatives);
        requireLength("output gradients", gradY, n);
        requireLength("log-determinant gradients", gradLogDet, n);
        requireLength("input gradients", outGradX, n);
        backwardRun(s, n, 1, x, in, gradY, gradLogDet, outGradX, out);
    }

    // ------------------------------------------------------------------ packed layout (network output)

    /**
     * Forward spline of a rows x cols block whose parameters come straight from a conditioner network.
     *
     * @param x                 rows*cols inputs, row-major
     * @param params            rows*cols*(3K-1) raw network outputs, element i owning [K widths | K heights | K-1 derivatives]
     * @param widthHeightScale  factor applied to widths and heights before the softmax (1 for none)
     * @param outY              rows*cols outputs
     * @param outLogDetRows     rows values, set to the sum over the row's elements of log|dy/dx|
     */
    public static void forwardPacked(SplineSettings s, int rows, int cols, double[] x, double[] params,
                                     double widthHeightScale, double[] outY, double[] outLogDetRows) {
        Layout in = packed(s, rows, cols, x, params, widthHeightScale, outLogDetRows);
        requireLength("outputs", outY, rows * cols);
        run(s, false, rows, cols, x, in, outY, outLogDetRows);
    }

    /** Inverse of {@link #forwardPacked}; {@code outLogDetRows} is set to the row sums of log|dx/dy|. */
    public static void inversePacked(SplineSettings s, int rows, int cols, double[] y, double[] params,
                                     double widthHeightScale, double[] outX, double[] outLogDetRows) {
        Layout in = packed(s, rows, cols, y, params, widthHeightScale, outLogDetRows);
        requireLength("outputs", outX, rows * cols);
        run(s, true, rows, cols, y, in, outX, outLogDetRows);
    }

    /**
     * Back-propagates through {@link #forwardPacked}.
     *
     * @param gradY          dL/dy, rows*cols
     * @param gradLogDetRows dL/d(row log|det|), rows values
     * @param outGradX       set to dL/dx, rows*cols
     * @param outGradParams  set to dL/d(raw params), rows*cols*(3K-1): the scale is already applied, so this is the
     *                       gradient to hand to the network's backward pass
     */
    public static void backwardPacked(SplineSettings s, int rows, int cols, double[] x, double[] params,
                                      double widthHeightScale, double[] gradY, double[] gradLogDetRows,
                                      double[] outGradX, double[] outGradParams) {
        Layout in = packed(s, rows, cols, x, params, widthHeightScale, gradLogDetRows);
        Layout out = packed(s, rows, cols, x, outGradParams, widthHeightScale, gradLogDetRows);
        requireLength("output gradients", gradY, rows * cols);
        requireLength("input gradients", outGradX, rows * cols);
        backwardRun(s, rows, cols, x, in, gradY, gradLogDetRows, outGradX, out);
    }

    // ------------------------------------------------------------------ layouts and validation

    /**
     * Where element i's parameters live: widths at {@code widths[widthsAt + i*widthsStride ..]}, and likewise for
     * heights and derivatives. {@code scale} multiplies widths and heights (values) or is the chain-rule factor
     * (gradients).
     */
    private record Layout(double[] widths, int widthsAt, int widthsStride, double[] heights, int heightsAt,
                          int heightsStride, double[] derivatives, int derivativesAt, int derivativesStride,
                          double scale) {

        /** Whether element i owns exactly {@code widths[widthsAt + i (3K-1) ..]} as [widths | heights | derivatives]. */
        boolean isPacked(int bins) {
            int perElement = 3 * bins - 1;
            return heights == widths && derivatives == widths && widthsStride == perElement
                    && heightsStride == perElement && derivativesStride == perElement
                    && heightsAt == widthsAt + bins && derivativesAt == widthsAt + 2 * bins;
        }
    }

    private static Layout separate(SplineSettings s, int n, double[] widths, double[] heights, double[] derivatives) {
        int k = s.bins();
        requireLength("unnormalized widths", widths, (long) n * k);
        requireLength("unnormalized heights", heights, (long) n * k);
        requireLength("unnormalized derivatives", derivatives, (long) n * (k - 1));
        return new Layout(widths, 0, k, heights, 0, k, derivatives, 0, k - 1, 1.0);
    }

    private static Layout packed(SplineSettings s, int rows, int cols, double[] x, double[] params, double scale,
                                 double[] perRow) {
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("spline block shape " + rows + "x" + cols + " is not valid");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("width/height scale must be finite, got " + scale);
        }
        int k = s.bins();
        int stride = s.parametersPerElement();
        requireLength("inputs", x, (long) rows * cols);
        requireLength("spline parameters", params, (long) rows * cols * stride);
        requireLength("per-row log-determinants", perRow, rows);
        return new Layout(params, 0, stride, params, k, stride, params, 2 * k, stride, scale);
    }

    private static void requireLength(String what, double[] array, long expected) {
        if (array == null) {
            throw new IllegalArgumentException(what + " are null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(what + ": expected " + expected + " values, got " + array.length);
        }
    }

    // ------------------------------------------------------------------ the maths, one element per vector lane

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Elements evaluated together, one per lane. */
    private static final int L = S.length();

    /**
     * One call's scratch, lane-major: value j of the group's lane l sits at {@code [j * L + l]}. A group of L
     * elements is copied in from its strided layout, evaluated with vector operations (the exponentials and
     * logarithms are the bulk of the work, and their vector forms cost a fraction of the scalar ones), and copied
     * out. Vectors never cross a method boundary: the steps hand each other their results through these arrays,
     * because a vector passed to or returned from a call that is not inlined is boxed.
     */
    private static final class Lanes {
        /** (3K-1) x L: the group's unnormalised widths, heights and interior derivatives. */
        final double[] raw;
        final double[] x = new double[L];
        final double[] gradY = new double[L];
        final double[] gradLogDet = new double[L];
        /** K x L softmaxes and (K+1) x L knots of widths and heights. */
        final double[] probsW;
        final double[] probsH;
        final double[] knotsW;
        final double[] knotsH;
        /** The input of each lane clamped to 0 when it lies in the tails (or is NaN). */
        final double[] at = new double[L];
        /** The bin of each lane (as a double) and that bin's geometry. */
        final double[] bin = new double[L];
        final double[] leftX = new double[L];
        final double[] width = new double[L];
        final double[] leftY = new double[L];
        final double[] height = new double[L];
        final double[] d0 = new double[L];
        final double[] d1 = new double[L];
        /** Unnormalised derivatives at the bin's two knots (0 where the knot is a boundary one). */
        final double[] d0Raw = new double[L];
        final double[] d1Raw = new double[L];
        /** exp(-|d0Raw|) then exp(-|d1Raw|), shared by the softplus and its slope (the sigmoid). */
        final double[] decays = new double[2 * L];
        /** Scratch for the two softplus logarithms, then for dy/dx's numerator and denominator and their logs. */
        final double[] logs = new double[2 * L];
        /** sigmoid(d0Raw) and sigmoid(d1Raw), the slopes of the softplus, for the backward pass. */
        final double[] d0Slope = new double[L];
        final double[] d1Slope = new double[L];
        final double[] out = new double[L];
        final double[] logDet = new double[L];
        final double[] gradX = new double[L];
        /** (3K-1) x L gradients of {@link #raw}. */
        final double[] gradRaw;

        Lanes(int bins) {
            raw = new double[(3 * bins - 1) * L];
            gradRaw = new double[(3 * bins - 1) * L];
            probsW = new double[bins * L];
            probsH = new double[bins * L];
            knotsW = new double[(bins + 1) * L];
            knotsH = new double[(bins + 1) * L];
        }
    }

    /**
     * Derivative at the two boundary knots, as nflows builds it: softplus of log(e^(1-m) - 1), plus m. Equal to 1
     * up to rounding; computed rather than written as 1 so that the maps agree with nflows bit for bit as far as
     * fp64 allows.
     */
    private static double boundaryDerivative(double minDerivative) {
        return minDerivative + StableMath.softplus(Math.log(Math.exp(1 - minDerivative) - 1));
    }

    /**
     * Copies elements {@code [first, first + count)} into the lanes; lanes past {@code count} get input 0 and
     * zero parameters, a valid spline whose results are never copied out.
     */
    private static void load(Lanes w, int bins, Layout p, double[] in, int first, int count) {
        int perElement = 3 * bins - 1;
        if (count == L && p.isPacked(bins)) {
            // The common case, a full group of a network's output: each element's values are contiguous.
            double[] params = p.widths;
            double[] raw = w.raw;
            for (int l = 0; l < L; l++) {
                int from = p.widthsAt + (first + l) * perElement;
                w.x[l] = in[first + l];
                for (int j = 0; j < perElement; j++) {
                    raw[j * L + l] = params[from + j];
                }
            }
            return;
        }
        for (int l = 0; l < L; l++) {
            if (l >= count) {
                w.x[l] = 0;
                for (int j = 0; j < perElement; j++) {
                    w.raw[j * L + l] = 0;
                }
                continue;
            }
            int i = first + l;
            w.x[l] = in[i];
            int wAt = p.widthsAt + i * p.widthsStride;
            int hAt = p.heightsAt + i * p.heightsStride;
            int dAt = p.derivativesAt + i * p.derivativesStride;
            for (int j = 0; j < bins; j++) {
                w.raw[j * L + l] = p.widths[wAt + j];
                w.raw[(bins + j) * L + l] = p.heights[hAt + j];
            }
            for (int j = 0; j < bins - 1; j++) {
                w.raw[(2 * bins + j) * L + l] = p.derivatives[dAt + j];
            }
        }
    }

    /**
     * Softmax of {@code scale * raw[rawAt ..]} (K rows of lanes) into {@code probs} and the K+1 knots into
     * {@code knots}, the ends pinned to -B and B.
     */
    private static void knots(double[] raw, int rawAt, double scale, int bins, double minSize, double bound,
                              double[] probs, double[] knots) {
        DoubleVector max = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < bins; j++) {
            max = max.max(DoubleVector.fromArray(S, raw, rawAt + j * L).mul(scale));
        }
        for (int j = 0; j < bins; j++) {
            DoubleVector.fromArray(S, raw, rawAt + j * L).mul(scale).sub(max).intoArray(probs, j * L);
        }
        VectorMath.expInPlace(probs, 0, bins * L);
        DoubleVector sum = DoubleVector.zero(S);
        for (int j = 0; j < bins; j++) {
            sum = sum.add(DoubleVector.fromArray(S, probs, j * L));
        }
        double spread = 1 - minSize * bins;
        double range = 2 * bound;
        DoubleVector cumulative = DoubleVector.zero(S);
        DoubleVector.broadcast(S, -bound).intoArray(knots, 0);
        for (int j = 0; j < bins; j++) {
            DoubleVector p = DoubleVector.fromArray(S, probs, j * L).div(sum);
            p.intoArray(probs, j * L);
            cumulative = cumulative.add(p.mul(spread).add(minSize));
            if (j + 1 < bins) {
                cumulative.mul(range).sub(bound).intoArray(knots, (j + 1) * L);
            }
        }
        DoubleVector.broadcast(S, bound).intoArray(knots, bins * L);
    }

    /**
     * Clamps tail inputs to 0, builds both knot sets and selects each lane's bin: the number of interior knots at
     * or below the input (among the width knots for the forward map, the height knots for the inverse). nflows
     * counts every knot with the last one raised by 1e-6 and subtracts one; for inputs in [-B, B] the first
     * knot always counts and the raised last never does, so only the interior knots matter (and B lands in the
     * last bin either way). Writes the bin, its left knots and sizes, and the derivatives at its two knots.
     */
    private static void locate(SplineSettings s, double scale, double boundaryD, boolean byHeight, Lanes w) {
        int k = s.bins();
        double bound = s.tailBound();
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector v = DoubleVector.fromArray(S, w.x, 0);
        // Outside [-B, B] (and NaN) the spline is evaluated at 0, a harmless point, and the result discarded.
        VectorMask<Double> inside = v.compare(VectorOperators.GE, -bound).and(v.compare(VectorOperators.LE, bound));
        DoubleVector at = zero.blend(v, inside);
        at.intoArray(w.at, 0);
        knots(w.raw, 0, scale, k, s.minBinWidth(), bound, w.probsW, w.knotsW);
        knots(w.raw, k * L, scale, k, s.minBinHeight(), bound, w.probsH, w.knotsH);

        double[] searched = byHeight ? w.knotsH : w.knotsW;
        DoubleVector bin = zero;
        for (int j = 1; j < k; j++) {
            bin = bin.add(1.0, at.compare(VectorOperators.GE, DoubleVector.fromArray(S, searched, j * L)));
        }
        int derivativesAt = 2 * k * L;
        DoubleVector leftX = DoubleVector.fromArray(S, w.knotsW, 0);
        DoubleVector rightX = DoubleVector.fromArray(S, w.knotsW, L);
        DoubleVector leftY = DoubleVector.fromArray(S, w.knotsH, 0);
        DoubleVector rightY = DoubleVector.fromArray(S, w.knotsH, L);
        DoubleVector d0Raw = zero;
        DoubleVector d1Raw = k > 1 ? DoubleVector.fromArray(S, w.raw, derivativesAt) : zero;
        for (int j = 1; j < k; j++) {
            VectorMask<Double> here = bin.compare(VectorOperators.EQ, j);
            leftX = leftX.blend(DoubleVector.fromArray(S, w.knotsW, j * L), here);
            rightX = rightX.blend(DoubleVector.fromArray(S, w.knotsW, (j + 1) * L), here);
            leftY = leftY.blend(DoubleVector.fromArray(S, w.knotsH, j * L), here);
            rightY = rightY.blend(DoubleVector.fromArray(S, w.knotsH, (j + 1) * L), here);
            d0Raw = d0Raw.blend(DoubleVector.fromArray(S, w.raw, derivativesAt + (j - 1) * L), here);
            if (j + 1 < k) {
                // In the last bin the right knot is a boundary one: d1 is pinned and d1Raw never used.
                d1Raw = d1Raw.blend(DoubleVector.fromArray(S, w.raw, derivativesAt + j * L), here);
            }
        }
        bin.intoArray(w.bin, 0);
        leftX.intoArray(w.leftX, 0);
        rightX.sub(leftX).intoArray(w.width, 0);
        leftY.intoArray(w.leftY, 0);
        rightY.sub(leftY).intoArray(w.height, 0);
        d0Raw.intoArray(w.d0Raw, 0);
        d1Raw.intoArray(w.d1Raw, 0);
        derivatives(k, s.minDerivative(), boundaryD, w);
    }

    /**
     * The bin's two knot derivatives from their unnormalised values (boundary knots pinned): min +
     * softplus(u), softplus(u) = max(u, 0) + log1p(exp(-|u|)) as {@link StableMath#softplus}. The exponentials and
     * logarithms go through {@link VectorMath}'s array forms: inlined here they would exhaust C2's node budget
     * for this compilation, and a vector call that is not inlined boxes its vectors.
     */
    private static void derivatives(int k, double minDerivative, double boundaryD, Lanes w) {
        DoubleVector d0Raw = DoubleVector.fromArray(S, w.d0Raw, 0);
        DoubleVector d1Raw = DoubleVector.fromArray(S, w.d1Raw, 0);
        d0Raw.abs().neg().intoArray(w.decays, 0);
        d1Raw.abs().neg().intoArray(w.decays, L);
        VectorMath.expInPlace(w.decays, 0, 2 * L);
        System.arraycopy(w.decays, 0, w.logs, 0, 2 * L);
        VectorMath.log1pInPlace(w.logs, 0, 2 * L);
        DoubleVector bin = DoubleVector.fromArray(S, w.bin, 0);
        DoubleVector boundary = DoubleVector.broadcast(S, boundaryD);
        d0Raw.max(0.0).add(DoubleVector.fromArray(S, w.logs, 0)).add(minDerivative)
                .blend(boundary, bin.compare(VectorOperators.EQ, 0)).intoArray(w.d0, 0);
        d1Raw.max(0.0).add(DoubleVector.fromArray(S, w.logs, L)).add(minDerivative)
                .blend(boundary, bin.compare(VectorOperators.EQ, k - 1)).intoArray(w.d1, 0);
    }

    /** The softplus slopes sigmoid(d0Raw), sigmoid(d1Raw) for {@link #gradients}, from the decays {@link #derivatives} left. */
    private static void derivativeSlopes(Lanes w) {
        sigmoid(DoubleVector.fromArray(S, w.d0Raw, 0), DoubleVector.fromArray(S, w.decays, 0)).intoArray(w.d0Slope, 0);
        sigmoid(DoubleVector.fromArray(S, w.d1Raw, 0), DoubleVector.fromArray(S, w.decays, L)).intoArray(w.d1Slope, 0);
    }

    /** {@link StableMath#sigmoid} lane-wise, through e = exp(-|u|) so that it never overflows. */
    private static DoubleVector sigmoid(DoubleVector u, DoubleVector e) {
        DoubleVector onePlus = e.add(1.0);
        DoubleVector positive = DoubleVector.broadcast(S, 1.0).div(onePlus);
        return e.div(onePlus).blend(positive, u.compare(VectorOperators.GE, 0.0));
    }

    /** Spline (or its inverse) of every lane after {@link #locate}: writes {@code out} and {@code logDet}. */
    private static void evaluate(boolean inverse, double bound, Lanes w) {
        DoubleVector v = DoubleVector.fromArray(S, w.x, 0);
        VectorMask<Double> inside = v.compare(VectorOperators.GE, -bound).and(v.compare(VectorOperators.LE, bound));
        DoubleVector at = DoubleVector.fromArray(S, w.at, 0);
        DoubleVector leftX = DoubleVector.fromArray(S, w.leftX, 0);
        DoubleVector width = DoubleVector.fromArray(S, w.width, 0);
        DoubleVector leftY = DoubleVector.fromArray(S, w.leftY, 0);
        DoubleVector height = DoubleVector.fromArray(S, w.height, 0);
        DoubleVector d0 = DoubleVector.fromArray(S, w.d0, 0);
        DoubleVector d1 = DoubleVector.fromArray(S, w.d1, 0);

        DoubleVector delta = height.div(width);
        DoubleVector slopeSum = d0.add(d1).sub(delta.mul(2.0));
        // theta solves a quadratic in the inverse; 2c / (-b - sqrt(disc)) is the root in [0, 1] without the
        // cancellation of the textbook formula.
        DoubleVector dy = at.sub(leftY);
        DoubleVector qa = dy.mul(slopeSum).add(height.mul(delta.sub(d0)));
        DoubleVector qb = height.mul(d0).sub(dy.mul(slopeSum));
        DoubleVector qc = delta.neg().mul(dy);
        DoubleVector discriminant = qb.mul(qb).sub(qa.mul(4.0).mul(qc)).max(0.0);
        DoubleVector theta = inverse
                ? qc.mul(2.0).div(qb.neg().sub(discriminant.sqrt()))
                : at.sub(leftX).div(width);
        DoubleVector oneMinus = DoubleVector.broadcast(S, 1.0).sub(theta);
        DoubleVector thetaOneMinus = theta.mul(oneMinus);
        DoubleVector denominator = delta.add(slopeSum.mul(thetaOneMinus));
        DoubleVector out = inverse
                ? theta.mul(width).add(leftX)
                : leftY.add(height.mul(delta.mul(theta).mul(theta).add(d0.mul(thetaOneMinus))).div(denominator));
        DoubleVector derivativeNumerator = delta.mul(delta).mul(d1.mul(theta).mul(theta)
                .add(delta.mul(2.0).mul(thetaOneMinus)).add(d0.mul(oneMinus).mul(oneMinus)));
        v.blend(out, inside).intoArray(w.out, 0);
        // Logarithms through the array form, for the reason given at derivatives().
        derivativeNumerator.intoArray(w.logs, 0);
        denominator.intoArray(w.logs, L);
        VectorMath.logInPlace(w.logs, 0, 2 * L);
        DoubleVector logDet = DoubleVector.fromArray(S, w.logs, 0).sub(DoubleVector.fromArray(S, w.logs, L).mul(2.0));
        DoubleVector.zero(S).blend(inverse ? logDet.neg() : logDet, inside).intoArray(w.logDet, 0);
    }

    private static void run(SplineSettings s, boolean inverse, int rows, int cols, double[] in, Layout p,
                            double[] out, double[] logDetRows) {
        int k = s.bins();
        double bound = s.tailBound();
        double boundaryD = boundaryDerivative(s.minDerivative());
        Lanes w = new Lanes(k);
        java.util.Arrays.fill(logDetRows, 0, rows, 0.0);
        int n = rows * cols;
        int row = 0;
        int col = 0;
        for (int first = 0; first < n; first += L) {
            int count = Math.min(L, n - first);
            load(w, k, p, in, first, count);
            locate(s, p.scale, boundaryD, inverse, w);
            evaluate(inverse, bound, w);
            for (int l = 0; l < count; l++) {
                double v = w.x[l];
                out[first + l] = w.out[l];
                // Tail elements (and NaN) add nothing, as their log|det| is exactly 0.
                if (v >= -bound && v <= bound) {
                    logDetRows[row] += w.logDet[l];
                }
                if (++col == cols) {
                    col = 0;
                    row++;
                }
            }
        }
    }

    private static void backwardRun(SplineSettings s, int rows, int cols, double[] x, Layout p, double[] gradY,
                                    double[] gradLogDetRows, double[] outGradX, Layout g) {
        int k = s.bins();
        double boundaryD = boundaryDerivative(s.minDerivative());
        Lanes w = new Lanes(k);
        int n = rows * cols;
        int row = 0;
        int col = 0;
        for (int first = 0; first < n; first += L) {
            int count = Math.min(L, n - first);
            load(w, k, p, x, first, count);
            for (int l = 0; l < L; l++) {
                if (l < count) {
                    w.gradY[l] = gradY[first + l];
                    w.gradLogDet[l] = gradLogDetRows[row];
                    if (++col == cols) {
                        col = 0;
                        row++;
                    }
                } else {
                    w.gradY[l] = 0;
                    w.gradLogDet[l] = 0;
                }
            }
            locate(s, p.scale, boundaryD, false, w);
            derivativeSlopes(w);
            gradients(s, g.scale, w);
            if (count == L && g.isPacked(k)) {
                int perElement = 3 * k - 1;
                double[] out = g.widths;
                double[] raw = w.gradRaw;
                for (int l = 0; l < L; l++) {
                    int to = g.widthsAt + (first + l) * perElement;
                    outGradX[first + l] = w.gradX[l];
                    for (int j = 0; j < perElement; j++) {
                        out[to + j] = raw[j * L + l];
                    }
                }
                continue;
            }
            for (int l = 0; l < count; l++) {
                int i = first + l;
                outGradX[i] = w.gradX[l];
                int gwAt = g.widthsAt + i * g.widthsStride;
                int ghAt = g.heightsAt + i * g.heightsStride;
                int gdAt = g.derivativesAt + i * g.derivativesStride;
                for (int j = 0; j < k; j++) {
                    g.widths[gwAt + j] = w.gradRaw[j * L + l];
                    g.heights[ghAt + j] = w.gradRaw[(k + j) * L + l];
                }
                for (int j = 0; j < k - 1; j++) {
                    g.derivatives[gdAt + j] = w.gradRaw[(2 * k + j) * L + l];
                }
            }
        }
    }

    /**
     * The backward pass of every lane after {@link #locate}: dL/dx into {@code gradX} and the gradients of the
     * unnormalised parameters into {@code gradRaw}; tail lanes get dL/dx = dL/dy and zero parameter gradients.
     */
    private static void gradients(SplineSettings s, double gradientScale, Lanes w) {
        int k = s.bins();
        double bound = s.tailBound();
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector v = DoubleVector.fromArray(S, w.x, 0);
        VectorMask<Double> inside = v.compare(VectorOperators.GE, -bound).and(v.compare(VectorOperators.LE, bound));
        DoubleVector at = DoubleVector.fromArray(S, w.at, 0);
        DoubleVector gy = DoubleVector.fromArray(S, w.gradY, 0);
        DoubleVector gl = DoubleVector.fromArray(S, w.gradLogDet, 0);
        DoubleVector leftX = DoubleVector.fromArray(S, w.leftX, 0);
        DoubleVector width = DoubleVector.fromArray(S, w.width, 0);
        DoubleVector height = DoubleVector.fromArray(S, w.height, 0);
        DoubleVector d0 = DoubleVector.fromArray(S, w.d0, 0);
        DoubleVector d1 = DoubleVector.fromArray(S, w.d1, 0);

        DoubleVector delta = height.div(width);
        DoubleVector slopeSum = d0.add(d1).sub(delta.mul(2.0));
        DoubleVector theta = at.sub(leftX).div(width);
        DoubleVector oneMinus = one.sub(theta);
        DoubleVector t1t = theta.mul(oneMinus);
        DoubleVector dT = one.sub(theta.mul(2.0));
        DoubleVector invDen = one.div(delta.add(slopeSum.mul(t1t)));
        DoubleVector rise = height.mul(delta.mul(theta).mul(theta).add(d0.mul(t1t))).mul(invDen);
        DoubleVector poly = d1.mul(theta).mul(theta).add(delta.mul(2.0).mul(t1t)).add(d0.mul(oneMinus).mul(oneMinus));
        DoubleVector invPoly = one.div(poly);
        DoubleVector oneMinus2t1t = one.sub(t1t.mul(2.0));
        DoubleVector twoT1tInvDen = t1t.mul(2.0).mul(invDen);

        // Partial derivatives of y and of log|dy/dx| in (theta, delta, d0, d1), height held apart.
        DoubleVector yTheta = height.mul(delta.mul(2.0).mul(theta).add(d0.mul(dT)))
                .sub(rise.mul(slopeSum).mul(dT)).mul(invDen);
        DoubleVector yDelta = height.mul(theta).mul(theta).sub(rise.mul(oneMinus2t1t)).mul(invDen);
        DoubleVector yD0 = height.sub(rise).mul(t1t).mul(invDen);
        DoubleVector yD1 = rise.neg().mul(t1t).mul(invDen);
        DoubleVector yHeight = rise.div(height);
        DoubleVector lTheta = d1.mul(theta).add(delta.mul(dT)).sub(d0.mul(oneMinus)).mul(2.0).mul(invPoly)
                .sub(slopeSum.mul(2.0).mul(dT).mul(invDen));
        DoubleVector lDelta = DoubleVector.broadcast(S, 2.0).div(delta).add(t1t.mul(2.0).mul(invPoly))
                .sub(oneMinus2t1t.mul(2.0).mul(invDen));
        DoubleVector lD0 = oneMinus.mul(oneMinus).mul(invPoly).sub(twoT1tInvDen);
        DoubleVector lD1 = theta.mul(theta).mul(invPoly).sub(twoT1tInvDen);

        DoubleVector gTheta = gy.mul(yTheta).add(gl.mul(lTheta));
        DoubleVector gDelta = gy.mul(yDelta).add(gl.mul(lDelta));
        DoubleVector gD0 = gy.mul(yD0).add(gl.mul(lD0));
        DoubleVector gD1 = gy.mul(yD1).add(gl.mul(lD1));
        // theta = (x - leftX) / width, delta = height / width.
        DoubleVector gHeight = gy.mul(yHeight).add(gDelta.div(width));
        DoubleVector gWidth = gTheta.mul(theta).add(gDelta.mul(delta)).neg().div(width);
        DoubleVector gLeftX = gTheta.neg().div(width);
        gy.blend(gTheta.div(width), inside).intoArray(w.gradX, 0);
        // width = knot[b+1] - knot[b], height likewise; leftY enters y with weight one.
        DoubleVector bin = DoubleVector.fromArray(S, w.bin, 0);
        double range = 2 * bound;
        softmaxBackward(bin, k, gLeftX.sub(gWidth), gWidth, range * (1 - s.minBinWidth() * k), w.probsW,
                gradientScale, inside, w.gradRaw, 0);
        softmaxBackward(bin, k, gy.sub(gHeight), gHeight, range * (1 - s.minBinHeight() * k), w.probsH,
                gradientScale, inside, w.gradRaw, k * L);
        // Only the derivatives at the bin's own knots, b-1 and b among the interior ones, receive a gradient.
        DoubleVector gradD0Raw = gD0.mul(DoubleVector.fromArray(S, w.d0Slope, 0));
        DoubleVector gradD1Raw = gD1.mul(DoubleVector.fromArray(S, w.d1Slope, 0));
        for (int j = 0; j < k - 1; j++) {
            zero.blend(gradD0Raw, bin.compare(VectorOperators.EQ, j + 1))
                    .blend(gradD1Raw, bin.compare(VectorOperators.EQ, j))
                    .blend(zero, inside.not())
                    .intoArray(w.gradRaw, (2 * k + j) * L);
        }
    }

    /**
     * Gradient of the unnormalised sizes from the gradients of each lane's knots b and b+1. Interior knot j is
     * 2B * sum_{i<j} size_i - B, size_i = min + spread * softmax_i; the pinned end knots carry no gradient.
     * Inlined into its caller (it takes vectors), so keep it small.
     */
    private static void softmaxBackward(DoubleVector bin, int bins, DoubleVector gKnot0, DoubleVector gKnot1,
                                        double knotPerProb, double[] probs, double scale, VectorMask<Double> inside,
                                        double[] out, int outAt) {
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector g0 = zero.blend(gKnot0.mul(knotPerProb), bin.compare(VectorOperators.GE, 1.0));
        DoubleVector g1 = zero.blend(gKnot1.mul(knotPerProb), bin.compare(VectorOperators.LE, bins - 2.0));
        DoubleVector both = g0.add(g1);
        // dL/dprob_i = g0 [i < b] + g1 [i <= b]
        DoubleVector dot = zero;
        for (int i = 0; i < bins; i++) {
            DoubleVector gp = zero.blend(g1, bin.compare(VectorOperators.GE, i)).blend(both, bin.compare(VectorOperators.GT, i));
            dot = dot.add(DoubleVector.fromArray(S, probs, i * L).mul(gp));
        }
        for (int i = 0; i < bins; i++) {
            DoubleVector gp = zero.blend(g1, bin.compare(VectorOperators.GE, i)).blend(both, bin.compare(VectorOperators.GT, i));
            DoubleVector p = DoubleVector.fromArray(S, probs, i * L);
            zero.blend(p.mul(scale).mul(gp.sub(dot)), inside).intoArray(out, outAt + i * L);
        }
    }
}
