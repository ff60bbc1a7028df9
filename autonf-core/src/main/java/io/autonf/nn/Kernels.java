package io.autonf.nn;

/**
 * Single-threaded dense-layer kernels in fp32 and fp64 on the Vector API.
 *
 * <p>Layout: every matrix is row-major with a <em>padded</em> row stride, {@link #floatStride(int)} or
 * {@link #doubleStride(int)} of its column count, and zeros in the padding columns. Padding lets every inner loop
 * run on whole vectors with no lane masks, and the zeros keep the padding columns of every result zero as well, so
 * results can be fed straight into the next kernel. {@link #pad(float[], int, int)} and
 * {@link #unpad(float[], int, int)} convert from and to dense rows.
 *
 * <p>A layer with weight W[out][in] and bias b uses two packed copies of W: {@link #packTransposed} (W<sup>T</sup>,
 * [in][stride(out)]) for the forward product, so that its inner loop reads contiguous output columns, and
 * {@link #packRows} (W, [out][stride(in)]) for the input gradient.
 *
 * <p>All methods are stateless and allocate nothing, so any number of threads may call them at once on
 * different outputs. Parallelism belongs to the caller (one pass per core), not to the kernels.
 */
public final class Kernels {

    private Kernels() {
    }

    /** Lanes of one fp32 vector on this machine. */
    public static int floatLanes() {
        return FloatKernels.L;
    }

    /** Lanes of one fp64 vector on this machine. */
    public static int doubleLanes() {
        return DoubleKernels.L;
    }

    /** Padded row stride of an fp32 matrix with {@code cols} columns. */
    public static int floatStride(int cols) {
        requirePositive(cols, "column count");
        return FloatKernels.stride(cols);
    }

    /** Padded row stride of an fp64 matrix with {@code cols} columns. */
    public static int doubleStride(int cols) {
        requirePositive(cols, "column count");
        return DoubleKernels.stride(cols);
    }

    // ---------------------------------------------------------------------------------------------- fp32

    /** Dense [rows][cols] to padded [rows][floatStride(cols)]. */
    public static float[] pad(float[] dense, int rows, int cols) {
        int stride = floatStride(cols);
        requireLength(dense, (long) rows * cols, "dense matrix");
        float[] padded = new float[Math.multiplyExact(rows, stride)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dense, r * cols, padded, r * stride, cols);
        }
        return padded;
    }

    /** Padded [rows][floatStride(cols)] to dense [rows][cols]. */
    public static float[] unpad(float[] padded, int rows, int cols) {
        int stride = floatStride(cols);
        requireLength(padded, (long) rows * stride, "padded matrix");
        float[] dense = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(padded, r * stride, dense, r * cols, cols);
        }
        return dense;
    }

    /** W[out][in] (dense) to the padded transpose [in][floatStride(out)] that {@link #forward} reads. */
    public static float[] packTransposed(float[] weight, int out, int in) {
        int stride = floatStride(out);
        requirePositive(in, "input count");
        requireLength(weight, (long) out * in, "weight");
        float[] packed = new float[Math.multiplyExact(in, stride)];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                packed[i * stride + o] = weight[o * in + i];
            }
        }
        return packed;
    }

    /** W[out][in] (dense) to padded rows [out][floatStride(in)] that {@link #inputGrad} reads. */
    public static float[] packRows(float[] weight, int out, int in) {
        requirePositive(out, "output count");
        return pad(weight, out, in);
    }

    /**
     * {@code y = x W^T + b}: x [n][stride(in)], packed W<sup>T</sup> [in][stride(out)], bias [stride(out)] or null,
     * y [n][stride(out)]. {@code reluY}, if not null, receives max(0, y) as well; {@code y} may be null when only
     * the rectified output is wanted.
     */
    public static void forward(int n, int in, int out, float[] x, float[] transposedWeight, float[] bias,
                               float[] y, float[] reluY) {
        int si = floatStride(in);
        int so = floatStride(out);
        requireRows(n);
        requireLength(x, (long) n * si, "x");
        requireLength(transposedWeight, (long) in * so, "transposed weight");
        requireOptionalLength(bias, so, "bias");
        requireOutputs(y, reluY, (long) n * so);
        FloatKernels.product(n, in, so / FloatKernels.L, x, si, 1, transposedWeight, so,
                null, null, null, null, bias, null, null, y, reluY, so);
    }

    /**
     * {@code dx (+)= [gate > 0] * (dy W)}: dy [n][stride(out)], W rows [out][stride(in)] from {@link #packRows},
     * gate (the activation whose ReLU derivative applies, or null) and dx [n][stride(in)].
     */
    public static void inputGrad(int n, int out, int in, float[] dy, float[] weightRows, float[] gate,
                                 float[] dx, boolean accumulate) {
        int si = floatStride(in);
        int so = floatStride(out);
        requireRows(n);
        requireLength(dy, (long) n * so, "dy");
        requireLength(weightRows, (long) out * si, "weight rows");
        requireOptionalLength(gate, (long) n * si, "gate");
        requireLength(dx, (long) n * si, "dx");
        FloatKernels.product(n, out, si / FloatKernels.L, dy, so, 1, weightRows, si,
                null, null, null, null, null, gate, accumulate ? dx : null, dx, null, si);
    }

    /** {@code dW (+)= dy^T x}: dy [n][stride(out)], x [n][stride(in)], dW [out][stride(in)]. */
    public static void weightGrad(int n, int out, int in, float[] dy, float[] x, float[] dw, boolean accumulate) {
        int si = floatStride(in);
        int so = floatStride(out);
        requireRows(n);
        requireLength(dy, (long) n * so, "dy");
        requireLength(x, (long) n * si, "x");
        requireLength(dw, (long) out * si, "dW");
        FloatKernels.product(out, n, si / FloatKernels.L, dy, 1, so, x, si,
                null, null, null, null, null, null, accumulate ? dw : null, dw, null, si);
    }

    /** {@code db += column sums of dy}: dy [n][stride(out)], db [stride(out)]. */
    public static void biasGrad(int n, int out, float[] dy, float[] db) {
        int so = floatStride(out);
        requireRows(n);
        requireLength(dy, (long) n * so, "dy");
        requireLength(db, so, "db");
        float[] sums = new float[so];
        FloatKernels.columnSums(n, so / FloatKernels.L, dy, so, sums);
        for (int j = 0; j < so; j++) {
            db[j] += sums[j];
        }
    }

    // ---------------------------------------------------------------------------------------------- fp64

    /** Dense [rows][cols] to padded [rows][doubleStride(cols)]. */
    public static double[] pad(double[] dense, int rows, int cols) {
        int stride = doubleStride(cols);
        requireLength(dense, (long) rows * cols, "dense matrix");
        double[] padded = new double[Math.multiplyExact(rows, stride)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dense, r * cols, padded, r * stride, cols);
        }
        return padded;
    }

    /** Padded [rows][doubleStride(cols)] to dense [rows][cols]. */
    public static double[] unpad(double[] padded, int rows, int cols) {
        int stride = doubleStride(cols);
        requireLength(padded, (long) rows * stride, "padded matrix");
        double[] dense = new double[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(padded, r * stride, dense, r * cols, cols);
        }
        return dense;
    }

    /** W[out][in] (dense) to the padded transpose [in][doubleStride(out)] that {@link #forward} reads. */
    public static double[] packTransposed(double[] weight, int out, int in) {
        int stride = doubleStride(out);
        requirePositive(in, "input count");
        requireLength(weight, (long) out * in, "weight");
        double[] packed = new double[Math.multiplyExact(in, stride)];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                packed[i * stride + o] = weight[o * in + i];
            }
        }
        return packed;
    }

    /** W[out][in] (dense) to padded rows [out][doubleStride(in)] that {@link #inputGrad} reads. */
    public static double[] packRows(double[] weight, int out, int in) {
        requirePositive(out, "output count");
        return pad(weight, out, in);
    }

    /** The fp64 twin of {@link #forward(int, int, int, float[], float[], float[], float[], float[])}. */
    public static void forward(int n, int in, int out, double[] x, double[] transposedWeight, double[] bias,
                               double[] y, double[] reluY) {
        int si = doubleStride(in);
        int so = doubleStride(out);
        requireRows(n);
        requireLength(x, (long) n * si, "x");
        requireLength(transposedWeight, (long) in * so, "transposed weight");
        requireOptionalLength(bias, so, "bias");
        requireOutputs(y, reluY, (long) n * so);
        DoubleKernels.product(n, in, so / DoubleKernels.L, x, si, 1, transposedWeight, so,
                null, null, null, null, bias, null, null, y, reluY, so);
    }

    /** The fp64 twin of {@link #inputGrad(int, int, int, float[], float[], float[], float[], boolean)}. */
    public static void inputGrad(int n, int out, int in, double[] dy, double[] weightRows, double[] gate,
                                 double[] dx, boolean accumulate) {
        int si = doubleStride(in);
        int so = doubleStride(out);
        requireRows(n);
        requireLength(dy, (long) n * so, "dy");
        requireLength(weightRows, (long) out * si, "weight rows");
        requireOptionalLength(gate, (long) n * si, "gate");
        requireLength(dx, (long) n * si, "dx");
        DoubleKernels.product(n, out, si / DoubleKernels.L, dy, so, 1, weightRows, si,
                null, null, null, null, null, gate, accumulate ? dx : null, dx, null, si);
    }

    /** The fp64 twin of {@link #weightGrad(int, int, int, float[], float[], float[], boolean)}. */
    public static void weightGrad(int n, int out, int in, double[] dy, double[] x, double[] dw, boolean accumulate) {
        int si = doubleStride(in);
        int so = doubleStride(out);
        requireRows(n);
        requireLength(dy, (long) n * so, "dy");
        requireLength(x, (long) n * si, "x");
        requireLength(dw, (long) out * si, "dW");
        DoubleKernels.product(out, n, si / DoubleKernels.L, dy, 1, so, x, si,
                null, null, null, null, null, null, accumulate ? dw : null, dw, null, si);
    }

    /** The fp64 twin of {@link #biasGrad(int, int, float[], float[])}. */
    public static void biasGrad(int n, int out, double[] dy, double[] db) {
        int so = doubleStride(out);
        requireRows(n);
        requireLength(dy, (long) n * so, "dy");
        requireLength(db, so, "db");
        double[] sums = new double[so];
        DoubleKernels.columnSums(n, so / DoubleKernels.L, dy, so, sums);
        for (int j = 0; j < so; j++) {
            db[j] += sums[j];
        }
    }

    // ---------------------------------------------------------------------------------------------- checks

    private static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static void requireRows(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("row count must not be negative, got " + n);
        }
    }

    private static void requireLength(float[] array, long needed, String what) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        requireLength(array.length, needed, what);
    }

    private static void requireLength(double[] array, long needed, String what) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        requireLength(array.length, needed, what);
    }

    private static void requireLength(int length, long needed, String what) {
        if (length < needed) {
            throw new IllegalArgumentException(what + " needs " + needed + " values, has " + length);
        }
    }

    private static void requireOptionalLength(float[] array, long needed, String what) {
        if (array != null) {
            requireLength(array.length, needed, what);
        }
    }

    private static void requireOptionalLength(double[] array, long needed, String what) {
        if (array != null) {
            requireLength(array.length, needed, what);
        }
    }

    private static void requireOutputs(float[] y, float[] reluY, long needed) {
        if (y == null && reluY == null) {
            throw new IllegalArgumentException("forward needs y or reluY to write to");
        }
        requireOptionalLength(y, needed, "y");
        requireOptionalLength(reluY, needed, "reluY");
    }

    private static void requireOutputs(double[] y, double[] reluY, long needed) {
        if (y == null && reluY == null) {
            throw new IllegalArgumentException("forward needs y or reluY to write to");
        }
        requireOptionalLength(y, needed, "y");
        requireOptionalLength(reluY, needed, "reluY");
    }
}
