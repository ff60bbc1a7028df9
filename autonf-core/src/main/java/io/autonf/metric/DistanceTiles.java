package io.autonf.metric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner product kernel of the distance passes: the dot products of {@link #ROWS} points of one set with
 * {@link #COLUMNS} points of another, written to a small tile.
 *
 * <p>Each dot product is accumulated with one fused multiply-add per coordinate, in coordinate order, from zero:
 * the order of OpenBLAS's matrix-product kernels, which scikit-learn (and so prdc) gets its dot products from.
 * Vectorising across points instead of coordinates keeps that order while filling the vector lanes.
 *
 * <p>Block shape: 4 rows x 4 vectors keeps 16 accumulators in registers and, per coordinate, loads 4 vectors and
 * broadcasts 4 scalars; it is the shape {@code io.autonf.nn.DoubleKernels} measured best on AVX-512. The tile is
 * handed to the caller's epilogue through memory, because vectors must not cross a method call (C2 would box
 * them).
 */
final class DistanceTiles {

    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    static final int ROWS = 4;
    static final int COLUMNS = 4 * LANES;
    /**
     * Columns a task's row groups pass over before moving on: 256 points of 43 coordinates are 88 KB, which stay
     * in a 1 MB L2 cache while the row groups reuse them.
     */
    static final int CHUNK = Math.max(COLUMNS, 256 / COLUMNS * COLUMNS);

    private DistanceTiles() {
    }

    /**
     * {@code tile[r * COLUMNS + c] = rows(firstRow + r) . columns(firstColumn + c)} for {@code r < ROWS} and
     * {@code c < COLUMNS}.
     */
    static void dots(PointSet rowSet, int firstRow, PointSet columnSet, int firstColumn, double[] tile) {
        int d = rowSet.dimension;
        double[] a = rowSet.rows;
        double[] b = columnSet.columns;
        int stride = columnSet.padded;
        DoubleVector c00 = DoubleVector.zero(SPECIES);
        DoubleVector c01 = c00; DoubleVector c02 = c00; DoubleVector c03 = c00;
        DoubleVector c10 = c00; DoubleVector c11 = c00; DoubleVector c12 = c00; DoubleVector c13 = c00;
        DoubleVector c20 = c00; DoubleVector c21 = c00; DoubleVector c22 = c00; DoubleVector c23 = c00;
        DoubleVector c30 = c00; DoubleVector c31 = c00; DoubleVector c32 = c00; DoubleVector c33 = c00;
        int a0 = firstRow * d;
        int a1 = a0 + d;
        int a2 = a1 + d;
        int a3 = a2 + d;
        int bk = firstColumn;
        for (int k = 0; k < d; k++, bk += stride) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bk + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bk + 2 * LANES);
            DoubleVector b3 = DoubleVector.fromArray(SPECIES, b, bk + 3 * LANES);
            DoubleVector x0 = DoubleVector.broadcast(SPECIES, a[a0 + k]);
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            DoubleVector x1 = DoubleVector.broadcast(SPECIES, a[a1 + k]);
            c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
            DoubleVector x2 = DoubleVector.broadcast(SPECIES, a[a2 + k]);
            c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21); c22 = x2.fma(b2, c22); c23 = x2.fma(b3, c23);
            DoubleVector x3 = DoubleVector.broadcast(SPECIES, a[a3 + k]);
            c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31); c32 = x3.fma(b2, c32); c33 = x3.fma(b3, c33);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c02.intoArray(tile, 2 * LANES);
        c03.intoArray(tile, 3 * LANES);
        c10.intoArray(tile, COLUMNS);
        c11.intoArray(tile, COLUMNS + LANES);
        c12.intoArray(tile, COLUMNS + 2 * LANES);
        c13.intoArray(tile, COLUMNS + 3 * LANES);
        c20.intoArray(tile, 2 * COLUMNS);
        c21.intoArray(tile, 2 * COLUMNS + LANES);
        c22.intoArray(tile, 2 * COLUMNS + 2 * LANES);
        c23.intoArray(tile, 2 * COLUMNS + 3 * LANES);
        c30.intoArray(tile, 3 * COLUMNS);
        c31.intoArray(tile, 3 * COLUMNS + LANES);
        c32.intoArray(tile, 3 * COLUMNS + 2 * LANES);
        c33.intoArray(tile, 3 * COLUMNS + 3 * LANES);
    }
}
