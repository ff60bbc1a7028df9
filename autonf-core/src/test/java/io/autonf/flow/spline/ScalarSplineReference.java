package io.autonf.flow.spline;

/**
 * The element-at-a-time spline, kept as the reference that the lane-parallel {@link RationalQuadraticSpline} is
 * checked against: it is the straightforward transcription of the maths (one element, one bin search, scalar
 * {@code Math.exp}), so that the vectorised code, whose bin selection and masking are less obvious, must agree
 * with it to rounding on every kind of input.
 */
final class ScalarSplineReference {

    private ScalarSplineReference() {
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

    // ------------------------------------------------------------------ the maths

    /** Scratch layout: [widths' softmax K | heights' softmax K | width knots K+1 | height knots K+1]. */
    private static double[] scratch(int bins) {
        return new double[4 * bins + 2];
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
     * Softmax of {@code scale * u[at .. at+bins)} into {@code work[probsAt ..]} and the K+1 knots into
     * {@code work[knotsAt ..]}, with the ends pinned to -B and B.
     */
    private static void knots(double[] u, int at, double scale, int bins, double minSize, double bound,
                              double[] work, int probsAt, int knotsAt) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, scale * u[at + i]);
        }
        double sum = 0;
        for (int i = 0; i < bins; i++) {
            double e = Math.exp(scale * u[at + i] - max);
            work[probsAt + i] = e;
            sum += e;
        }
        double spread = 1 - minSize * bins;
        double range = 2 * bound;
        double cumulative = 0;
        work[knotsAt] = -bound;
        for (int i = 0; i < bins; i++) {
            double p = work[probsAt + i] / sum;
            work[probsAt + i] = p;
            cumulative += minSize + spread * p;
            if (i + 1 < bins) {
                work[knotsAt + i + 1] = range * cumulative - bound;
            }
        }
        work[knotsAt + bins] = bound;
    }

    /**
     * The bin of v among knots {@code work[knotsAt .. knotsAt+bins]}: how many interior knots are at or below v.
     * nflows counts every knot with the last one raised by 1e-6 and subtracts one; for v in [-B, B] the first knot
     * always counts and the raised last never does, so only the interior knots matter (and v = B lands in the
     * last bin either way).
     */
    private static int bin(double v, double[] work, int knotsAt, int bins) {
        int b = 0;
        for (int j = 1; j < bins; j++) {
            if (v >= work[knotsAt + j]) {
                b++;
            }
        }
        return b;
    }

    private static double derivativeAt(int knot, int bins, double[] d, int dAt, double minDerivative,
                                       double boundary) {
        return knot == 0 || knot == bins ? boundary : minDerivative + StableMath.softplus(d[dAt + knot - 1]);
    }

    private static void run(SplineSettings s, boolean inverse, int rows, int cols, double[] in, Layout p,
                            double[] out, double[] logDetRows) {
        int k = s.bins();
        double bound = s.tailBound();
        double minD = s.minDerivative();
        double boundaryD = boundaryDerivative(minD);
        double[] work = scratch(k);
        int probsW = 0;
        int probsH = k;
        int knotsW = 2 * k;
        int knotsH = 3 * k + 1;
        for (int r = 0; r < rows; r++) {
            double rowSum = 0;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double v = in[i];
                if (!(v >= -bound && v <= bound)) {
                    // Linear tails (and NaN, which must not be mistaken for an inside point).
                    out[i] = v;
                    continue;
                }
                knots(p.widths, p.widthsAt + i * p.widthsStride, p.scale, k, s.minBinWidth(), bound, work, probsW, knotsW);
                knots(p.heights, p.heightsAt + i * p.heightsStride, p.scale, k, s.minBinHeight(), bound, work, probsH, knotsH);
                int b = inverse ? bin(v, work, knotsH, k) : bin(v, work, knotsW, k);
                int dAt = p.derivativesAt + i * p.derivativesStride;
                double d0 = derivativeAt(b, k, p.derivatives, dAt, minD, boundaryD);
                double d1 = derivativeAt(b + 1, k, p.derivatives, dAt, minD, boundaryD);
                double leftX = work[knotsW + b];
                double width = work[knotsW + b + 1] - leftX;
                double leftY = work[knotsH + b];
                double height = work[knotsH + b + 1] - leftY;
                double delta = height / width;
                double slopeSum = d0 + d1 - 2 * delta;
                double theta;
                if (inverse) {
                    // theta solves a quadratic; 2c / (-b - sqrt(disc)) is the root in [0, 1] without the
                    // cancellation of the textbook formula.
                    double dy = v - leftY;
                    double qa = dy * slopeSum + height * (delta - d0);
                    double qb = height * d0 - dy * slopeSum;
                    double qc = -delta * dy;
                    double discriminant = Math.max(qb * qb - 4 * qa * qc, 0.0);
                    theta = (2 * qc) / (-qb - Math.sqrt(discriminant));
                    out[i] = theta * width + leftX;
                } else {
                    theta = (v - leftX) / width;
                }
                double thetaOneMinus = theta * (1 - theta);
                double denominator = delta + slopeSum * thetaOneMinus;
                if (!inverse) {
                    double numerator = height * (delta * theta * theta + d0 * thetaOneMinus);
                    out[i] = leftY + numerator / denominator;
                }
                double oneMinus = 1 - theta;
                double derivativeNumerator = delta * delta
                        * (d1 * theta * theta + 2 * delta * thetaOneMinus + d0 * oneMinus * oneMinus);
                double logDet = Math.log(derivativeNumerator) - 2 * Math.log(denominator);
                rowSum += inverse ? -logDet : logDet;
            }
            logDetRows[r] = rowSum;
        }
    }

    private static void backwardRun(SplineSettings s, int rows, int cols, double[] x, Layout p, double[] gradY,
                                    double[] gradLogDetRows, double[] outGradX, Layout g) {
        int k = s.bins();
        double bound = s.tailBound();
        double minD = s.minDerivative();
        double boundaryD = boundaryDerivative(minD);
        double range = 2 * bound;
        double spreadW = 1 - s.minBinWidth() * k;
        double spreadH = 1 - s.minBinHeight() * k;
        double[] work = scratch(k);
        int probsW = 0;
        int probsH = k;
        int knotsW = 2 * k;
        int knotsH = 3 * k + 1;
        for (int r = 0; r < rows; r++) {
            double gl = gradLogDetRows[r];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                int wAt = p.widthsAt + i * p.widthsStride;
                int hAt = p.heightsAt + i * p.heightsStride;
                int dAt = p.derivativesAt + i * p.derivativesStride;
                int gwAt = g.widthsAt + i * g.widthsStride;
                int ghAt = g.heightsAt + i * g.heightsStride;
                int gdAt = g.derivativesAt + i * g.derivativesStride;
                for (int j = 0; j < k; j++) {
                    g.widths[gwAt + j] = 0;
                    g.heights[ghAt + j] = 0;
                }
                for (int j = 0; j < k - 1; j++) {
                    g.derivatives[gdAt + j] = 0;
                }
                double v = x[i];
                double gy = gradY[i];
                if (!(v >= -bound && v <= bound)) {
                    outGradX[i] = gy;
                    continue;
                }
                knots(p.widths, wAt, p.scale, k, s.minBinWidth(), bound, work, probsW, knotsW);
                knots(p.heights, hAt, p.scale, k, s.minBinHeight(), bound, work, probsH, knotsH);
                int b = bin(v, work, knotsW, k);
                double d0 = derivativeAt(b, k, p.derivatives, dAt, minD, boundaryD);
                double d1 = derivativeAt(b + 1, k, p.derivatives, dAt, minD, boundaryD);
                double leftX = work[knotsW + b];
                double width = work[knotsW + b + 1] - leftX;
                double leftY = work[knotsH + b];
                double height = work[knotsH + b + 1] - leftY;
                double delta = height / width;
                double slopeSum = d0 + d1 - 2 * delta;
                double theta = (v - leftX) / width;
                double oneMinus = 1 - theta;
                double t1t = theta * oneMinus;
                double dT = 1 - 2 * theta;
                double invDen = 1 / (delta + slopeSum * t1t);
                double rise = height * (delta * theta * theta + d0 * t1t) * invDen;
                double poly = d1 * theta * theta + 2 * delta * t1t + d0 * oneMinus * oneMinus;
                double invPoly = 1 / poly;

                // Partial derivatives of y and of log|dy/dx| in (theta, delta, d0, d1), height held apart.
                double yTheta = (height * (2 * delta * theta + d0 * dT) - rise * slopeSum * dT) * invDen;
                double yDelta = (height * theta * theta - rise * (1 - 2 * t1t)) * invDen;
                double yD0 = (height - rise) * t1t * invDen;
                double yD1 = -rise * t1t * invDen;
                double yHeight = rise / height;
                double lTheta = 2 * (d1 * theta + delta * dT - d0 * oneMinus) * invPoly - 2 * slopeSum * dT * invDen;
                double lDelta = 2 / delta + 2 * t1t * invPoly - 2 * (1 - 2 * t1t) * invDen;
                double lD0 = oneMinus * oneMinus * invPoly - 2 * t1t * invDen;
                double lD1 = theta * theta * invPoly - 2 * t1t * invDen;

                double gTheta = gy * yTheta + gl * lTheta;
                double gDelta = gy * yDelta + gl * lDelta;
                double gD0 = gy * yD0 + gl * lD0;
                double gD1 = gy * yD1 + gl * lD1;
                // theta = (x - leftX) / width, delta = height / width.
                double gHeight = gy * yHeight + gDelta / width;
                double gWidth = -(gTheta * theta + gDelta * delta) / width;
                double gLeftX = -gTheta / width;
                outGradX[i] = gTheta / width;
                // width = knot[b+1] - knot[b], height likewise; leftY enters y with weight one.
                double gKnotW0 = gLeftX - gWidth;
                double gKnotW1 = gWidth;
                double gKnotH0 = gy - gHeight;
                double gKnotH1 = gHeight;
                softmaxBackward(b, k, gKnotW0, gKnotW1, range * spreadW, work, probsW, g.scale, g.widths, gwAt);
                softmaxBackward(b, k, gKnotH0, gKnotH1, range * spreadH, work, probsH, g.scale, g.heights, ghAt);
                if (b >= 1) {
                    g.derivatives[gdAt + b - 1] = gD0 * StableMath.sigmoid(p.derivatives[dAt + b - 1]);
                }
                if (b + 1 <= k - 1) {
                    g.derivatives[gdAt + b] = gD1 * StableMath.sigmoid(p.derivatives[dAt + b]);
                }
            }
        }
    }

    /**
     * Gradient of the unnormalised sizes from the gradients of knots b and b+1. Interior knot j is
     * 2B * sum_{i<j} size_i - B, size_i = min + spread * softmax_i; the pinned end knots carry no gradient.
     */
    private static void softmaxBackward(int b, int bins, double gKnot0, double gKnot1, double knotPerProb,
                                        double[] work, int probsAt, double scale, double[] out, int outAt) {
        double g0 = b >= 1 ? gKnot0 * knotPerProb : 0;
        double g1 = b + 1 <= bins - 1 ? gKnot1 * knotPerProb : 0;
        // dL/dprob_i = g0 [i < b] + g1 [i <= b]
        double dot = 0;
        for (int i = 0; i <= b; i++) {
            double gp = (i < b ? g0 : 0) + g1;
            dot += work[probsAt + i] * gp;
        }
        for (int i = 0; i < bins; i++) {
            double gp = i < b ? g0 + g1 : i == b ? g1 : 0;
            out[outAt + i] = scale * work[probsAt + i] * (gp - dot);
        }
    }
}
