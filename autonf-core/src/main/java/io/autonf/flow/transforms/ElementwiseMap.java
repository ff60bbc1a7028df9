package io.autonf.flow.transforms;

/**
 * A per-feature bijection whose parameters a conditioner network computes, applied to a rows x cols block.
 *
 * <p>{@code params} is the network output for the block, {@code rows x (cols * parametersPerFeature())} row-major,
 * in whatever per-row layout the map documents. Implementations are stateless and allocate nothing per element;
 * every output array is overwritten, never added into.
 */
interface ElementwiseMap {

    /** Network outputs per transformed feature. */
    int parametersPerFeature();

    /** y = f(x); {@code outLogDetRows[r]} = sum over the row of log|dy/dx|. */
    void forward(int rows, int cols, double[] x, double[] params, double[] outY, double[] outLogDetRows);

    /** x = f^-1(y); {@code outLogDetRows[r]} = sum over the row of log|dx/dy|. */
    void inverse(int rows, int cols, double[] y, double[] params, double[] outX, double[] outLogDetRows);

    /** dL/dx and dL/dparams of {@link #forward}, given dL/dy and dL/d(row log|det|). */
    void backward(int rows, int cols, double[] x, double[] params, double[] gradY, double[] gradLogDetRows,
                  double[] outGradX, double[] outGradParams);
}
