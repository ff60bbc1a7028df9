package io.autonf.flow.transforms;

import io.autonf.flow.spline.RationalQuadraticSpline;
import io.autonf.flow.spline.SplineSettings;
import io.autonf.flow.spline.StableMath;

/** The element-wise maps of the four conditioned transforms, each with the parameter layout nflows gives it. */
final class ElementwiseMaps {

    /** nflows' lower bound on affine scales, keeping log(scale) finite. */
    static final double SCALE_EPSILON = 1e-3;

    private ElementwiseMaps() {
    }

    /**
     * nflows' MaskedAffineAutoregressiveTransform: per feature the pair [unconstrained scale u, shift] (the MADE
     * output viewed as (B, D, 2)); scale = softplus(u) + 1e-3, y = scale x + shift.
     */
    static ElementwiseMap softplusAffineInterleaved() {
        return new SoftplusAffineInterleaved();
    }

    /**
     * nflows' AffineCouplingTransform: per row [T shifts | T unconstrained scales u] (not interleaved);
     * scale = sigmoid(u + 2) + 1e-3, y = scale x + shift.
     */
    static ElementwiseMap sigmoidAffineSplit() {
        return new SigmoidAffineSplit();
    }

    /**
     * A rational-quadratic spline per feature with parameters [K widths | K heights | K-1 derivatives], widths
     * and heights multiplied by {@code widthHeightScale} before use.
     */
    static ElementwiseMap rationalQuadratic(SplineSettings settings, double widthHeightScale) {
        return new RationalQuadratic(settings, widthHeightScale);
    }

    private static final class SoftplusAffineInterleaved implements ElementwiseMap {

        @Override
        public int parametersPerFeature() {
            return 2;
        }

        @Override
        public void forward(int rows, int cols, double[] x, double[] params, double[] outY, double[] outLogDetRows) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double scale = StableMath.softplus(params[2 * i]) + SCALE_EPSILON;
                    outY[i] = scale * x[i] + params[2 * i + 1];
                    sum += Math.log(scale);
                }
                outLogDetRows[r] = sum;
            }
        }

        @Override
        public void inverse(int rows, int cols, double[] y, double[] params, double[] outX, double[] outLogDetRows) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double scale = StableMath.softplus(params[2 * i]) + SCALE_EPSILON;
                    outX[i] = (y[i] - params[2 * i + 1]) / scale;
                    sum -= Math.log(scale);
                }
                outLogDetRows[r] = sum;
            }
        }

        @Override
        public void backward(int rows, int cols, double[] x, double[] params, double[] gradY, double[] gradLogDetRows,
                             double[] outGradX, double[] outGradParams) {
            for (int r = 0; r < rows; r++) {
                double gl = gradLogDetRows[r];
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double u = params[2 * i];
                    double scale = StableMath.softplus(u) + SCALE_EPSILON;
                    double gy = gradY[i];
                    outGradX[i] = gy * scale;
                    outGradParams[2 * i] = (gy * x[i] + gl / scale) * StableMath.sigmoid(u);
                    outGradParams[2 * i + 1] = gy;
                }
            }
        }
    }

    private static final class SigmoidAffineSplit implements ElementwiseMap {

        /** nflows shifts the unconstrained scale by 2 so that a zero network output gives scale ~ 0.88. */
        private static final double SCALE_OFFSET = 2.0;

        @Override
        public int parametersPerFeature() {
            return 2;
        }

        @Override
        public void forward(int rows, int cols, double[] x, double[] params, double[] outY, double[] outLogDetRows) {
            for (int r = 0; r < rows; r++) {
                int at = 2 * cols * r;
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double scale = StableMath.sigmoid(params[at + cols + c] + SCALE_OFFSET) + SCALE_EPSILON;
                    outY[i] = scale * x[i] + params[at + c];
                    sum += Math.log(scale);
                }
                outLogDetRows[r] = sum;
            }
        }

        @Override
        public void inverse(int rows, int cols, double[] y, double[] params, double[] outX, double[] outLogDetRows) {
            for (int r = 0; r < rows; r++) {
                int at = 2 * cols * r;
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double scale = StableMath.sigmoid(params[at + cols + c] + SCALE_OFFSET) + SCALE_EPSILON;
                    outX[i] = (y[i] - params[at + c]) / scale;
                    sum -= Math.log(scale);
                }
                outLogDetRows[r] = sum;
            }
        }

        @Override
        public void backward(int rows, int cols, double[] x, double[] params, double[] gradY, double[] gradLogDetRows,
                             double[] outGradX, double[] outGradParams) {
            for (int r = 0; r < rows; r++) {
                int at = 2 * cols * r;
                double gl = gradLogDetRows[r];
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    double v = params[at + cols + c] + SCALE_OFFSET;
                    double s = StableMath.sigmoid(v);
                    double scale = s + SCALE_EPSILON;
                    double gy = gradY[i];
                    outGradX[i] = gy * scale;
                    outGradParams[at + c] = gy;
                    // d sigmoid(v)/dv = sigmoid(v) sigmoid(-v), without the cancellation of 1 - sigmoid(v).
                    outGradParams[at + cols + c] = (gy * x[i] + gl / scale) * s * StableMath.sigmoid(-v);
                }
            }
        }
    }

    private static final class RationalQuadratic implements ElementwiseMap {

        private final SplineSettings settings;
        private final double widthHeightScale;

        RationalQuadratic(SplineSettings settings, double widthHeightScale) {
            this.settings = settings;
            this.widthHeightScale = widthHeightScale;
        }

        @Override
        public int parametersPerFeature() {
            return settings.parametersPerElement();
        }

        @Override
        public void forward(int rows, int cols, double[] x, double[] params, double[] outY, double[] outLogDetRows) {
            RationalQuadraticSpline.forwardPacked(settings, rows, cols, x, params, widthHeightScale, outY, outLogDetRows);
        }

        @Override
        public void inverse(int rows, int cols, double[] y, double[] params, double[] outX, double[] outLogDetRows) {
            RationalQuadraticSpline.inversePacked(settings, rows, cols, y, params, widthHeightScale, outX, outLogDetRows);
        }

        @Override
        public void backward(int rows, int cols, double[] x, double[] params, double[] gradY, double[] gradLogDetRows,
                             double[] outGradX, double[] outGradParams) {
            RationalQuadraticSpline.backwardPacked(settings, rows, cols, x, params, widthHeightScale, gradY,
                    gradLogDetRows, outGradX, outGradParams);
        }
    }
}
