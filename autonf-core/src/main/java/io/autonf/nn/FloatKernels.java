package io.autonf.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fp32 implementation behind {@link Kernels}: register-blocked matrix products on padded row-major arrays.
 *
 * <p>Every matrix handed to these methods has a row stride that is a multiple of the vector length and zeros in
 * the padding columns, so the inner loops never need a lane mask. The fp32 and fp64 classes are written from one
 * template and differ only in the element type.
 */
final class FloatKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);

    private FloatKernels() {
    }

    /** Row stride for {@code cols} columns: rounded up to whole vectors. */
    static int stride(int cols) {
        return (cols + L - 1) / L * L;
    }

    /**
     * {@code c = addend + [gate > 0] * (bias + A B)} on rows {@code [0, n)} and column vectors {@code [0, vectors)}.
     *
     * <p>{@code A(i, k) = a[i * aRow + k * aCol]} (any strides, so A may be a transpose), row k of B starts at
     * {@code k * bRow}. Column vector v sums k over {@code [kFrom[v], kTo[v])} (all of {@code [0, depth)} when
     * {@code kFrom} is null); the caller guarantees that the products it leaves out are zero. When
     * {@code rowVectorEnd} is given, row i needs only its first {@code rowVectorEnd[i]} column vectors and the
     * others may be left unwritten. Null {@code bias}, {@code gate}, {@code addend} drop that term; {@code c},
     * {@code reluOut} (receives max(0, value)) name the outputs, either may be null. {@code addend} may be {@code c}.
     */
    static void product(int n, int depth, int vectors, float[] a, int aRow, int aCol, float[] b, int bRow,
                        int[] kFrom, int[] kTo, int[] rowVectorEnd,
                        float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int v = 0;
        while (v < vectors) {
            int width = Math.min(3, vectors - v);
            int k0 = 0;
            int k1 = depth;
            if (kFrom != null) {
                k0 = kFrom[v];
                k1 = kTo[v];
                for (int u = v + 1; u < v + width; u++) {
                    k0 = Math.min(k0, kFrom[u]);
                    k1 = Math.max(k1, kTo[u]);
                }
            }
            switch (width) {
                case 3 -> {
                    int blocked = n - n % 4;
                    block4x3(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, rowVectorEnd, bias, gate, addend, c, reluOut, cRow);
                    block1x3(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, rowVectorEnd, bias, gate, addend, c, reluOut, cRow);
                }
                case 2 -> {
                    int blocked = n - n % 4;
                    block4x2(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, rowVectorEnd, bias, gate, addend, c, reluOut, cRow);
                    block1x2(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, rowVectorEnd, bias, gate, addend, c, reluOut, cRow);
                }
                case 1 -> {
                    int blocked = n - n % 8;
                    block8x1(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, rowVectorEnd, bias, gate, addend, c, reluOut, cRow);
                    block1x1(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, rowVectorEnd, bias, gate, addend, c, reluOut, cRow);
                }
                default -> throw new IllegalStateException("no block for " + width + " vectors");
            }
            v += width;
        }
    }

    private static int maxOf(int[] values, int from, int count) {
        int m = values[from];
        for (int i = from + 1; i < from + count; i++) {
            m = Math.max(m, values[i]);
        }
        return m;
    }

    private static void finish(FloatVector acc, int at, float[] gate, float[] addend, float[] c, float[] reluOut) {
        FloatVector r = acc;
        if (gate != null) {
            r = ZERO.blend(r, FloatVector.fromArray(S, gate, at).compare(VectorOperators.GT, 0));
        }
        if (addend != null) {
            r = r.add(FloatVector.fromArray(S, addend, at));
        }
        if (c != null) {
            r.intoArray(c, at);
        }
        if (reluOut != null) {
            r.max(ZERO).intoArray(reluOut, at);
        }
    }

    private static void block1x1(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                int[] rowVectorEnd, float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j);
        for (int i = iFrom; i < iTo; i += 1) {
            if (rowVectorEnd != null && v >= maxOf(rowVectorEnd, i, 1)) {
                continue;
            }
            FloatVector c00 = init0;
            int a0 = i * aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00);
            }
            int at = i * cRow + j;
            finish(c00, at, gate, addend, c, reluOut);
        }
    }

    private static void block1x2(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                int[] rowVectorEnd, float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j);
        FloatVector init1 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j + L);
        for (int i = iFrom; i < iTo; i += 1) {
            if (rowVectorEnd != null && v >= maxOf(rowVectorEnd, i, 1)) {
                continue;
            }
            FloatVector c00 = init0; FloatVector c01 = init1;
            int a0 = i * aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01);
            }
            int at = i * cRow + j;
            finish(c00, at, gate, addend, c, reluOut);
            finish(c01, at + L, gate, addend, c, reluOut);
        }
    }

    private static void block1x3(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                int[] rowVectorEnd, float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j);
        FloatVector init1 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j + L);
        FloatVector init2 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j + 2 * L);
        for (int i = iFrom; i < iTo; i += 1) {
            if (rowVectorEnd != null && v >= maxOf(rowVectorEnd, i, 1)) {
                continue;
            }
            FloatVector c00 = init0; FloatVector c01 = init1; FloatVector c02 = init2;
            int a0 = i * aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02);
            }
            int at = i * cRow + j;
            finish(c00, at, gate, addend, c, reluOut);
            finish(c01, at + L, gate, addend, c, reluOut);
            finish(c02, at + 2 * L, gate, addend, c, reluOut);
        }
    }

    private static void block4x2(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                int[] rowVectorEnd, float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j);
        FloatVector init1 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j + L);
        for (int i = iFrom; i < iTo; i += 4) {
            if (rowVectorEnd != null && v >= maxOf(rowVectorEnd, i, 4)) {
                continue;
            }
            FloatVector c00 = init0; FloatVector c01 = init1;
            FloatVector c10 = init0; FloatVector c11 = init1;
            FloatVector c20 = init0; FloatVector c21 = init1;
            FloatVector c30 = init0; FloatVector c31 = init1;
            int a0 = i * aRow;
            int a1 = a0 + aRow;
            int a2 = a1 + aRow;
            int a3 = a2 + aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + ak]);
                c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + ak]);
                c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + ak]);
                c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31);
            }
            int at = i * cRow + j;
            finish(c00, at, gate, addend, c, reluOut);
            finish(c01, at + L, gate, addend, c, reluOut);
            finish(c10, at + cRow, gate, addend, c, reluOut);
            finish(c11, at + cRow + L, gate, addend, c, reluOut);
            finish(c20, at + 2 * cRow, gate, addend, c, reluOut);
            finish(c21, at + 2 * cRow + L, gate, addend, c, reluOut);
            finish(c30, at + 3 * cRow, gate, addend, c, reluOut);
            finish(c31, at + 3 * cRow + L, gate, addend, c, reluOut);
        }
    }

    private static void block4x3(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                int[] rowVectorEnd, float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j);
        FloatVector init1 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j + L);
        FloatVector init2 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j + 2 * L);
        for (int i = iFrom; i < iTo; i += 4) {
            if (rowVectorEnd != null && v >= maxOf(rowVectorEnd, i, 4)) {
                continue;
            }
            FloatVector c00 = init0; FloatVector c01 = init1; FloatVector c02 = init2;
            FloatVector c10 = init0; FloatVector c11 = init1; FloatVector c12 = init2;
            FloatVector c20 = init0; FloatVector c21 = init1; FloatVector c22 = init2;
            FloatVector c30 = init0; FloatVector c31 = init1; FloatVector c32 = init2;
            int a0 = i * aRow;
            int a1 = a0 + aRow;
            int a2 = a1 + aRow;
            int a3 = a2 + aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + ak]);
                c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + ak]);
                c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21); c22 = x2.fma(b2, c22);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + ak]);
                c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31); c32 = x3.fma(b2, c32);
            }
            int at = i * cRow + j;
            finish(c00, at, gate, addend, c, reluOut);
            finish(c01, at + L, gate, addend, c, reluOut);
            finish(c02, at + 2 * L, gate, addend, c, reluOut);
            finish(c10, at + cRow, gate, addend, c, reluOut);
            finish(c11, at + cRow + L, gate, addend, c, reluOut);
            finish(c12, at + cRow + 2 * L, gate, addend, c, reluOut);
            finish(c20, at + 2 * cRow, gate, addend, c, reluOut);
            finish(c21, at + 2 * cRow + L, gate, addend, c, reluOut);
            finish(c22, at + 2 * cRow + 2 * L, gate, addend, c, reluOut);
            finish(c30, at + 3 * cRow, gate, addend, c, reluOut);
            finish(c31, at + 3 * cRow + L, gate, addend, c, reluOut);
            finish(c32, at + 3 * cRow + 2 * L, gate, addend, c, reluOut);
        }
    }

    private static void block8x1(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                int[] rowVectorEnd, float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = bias == null ? ZERO : FloatVector.fromArray(S, bias, j);
        for (int i = iFrom; i < iTo; i += 8) {
            if (rowVectorEnd != null && v >= maxOf(rowVectorEnd, i, 8)) {
                continue;
            }
            FloatVector c00 = init0;
            FloatVector c10 = init0;
            FloatVector c20 = init0;
            FloatVector c30 = init0;
            FloatVector c40 = init0;
            FloatVector c50 = init0;
            FloatVector c60 = init0;
            FloatVector c70 = init0;
            int a0 = i * aRow;
            int a1 = a0 + aRow;
            int a2 = a1 + aRow;
            int a3 = a2 + aRow;
            int a4 = a3 + aRow;
            int a5 = a4 + aRow;
            int a6 = a5 + aRow;
            int a7 = a6 + aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + ak]);
                c10 = x1.fma(b0, c10);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + ak]);
                c20 = x2.fma(b0, c20);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + ak]);
                c30 = x3.fma(b0, c30);
                FloatVector x4 = FloatVector.broadcast(S, a[a4 + ak]);
                c40 = x4.fma(b0, c40);
                FloatVector x5 = FloatVector.broadcast(S, a[a5 + ak]);
                c50 = x5.fma(b0, c50);
                FloatVector x6 = FloatVector.broadcast(S, a[a6 + ak]);
                c60 = x6.fma(b0, c60);
                FloatVector x7 = FloatVector.broadcast(S, a[a7 + ak]);
                c70 = x7.fma(b0, c70);
            }
            int at = i * cRow + j;
            finish(c00, at, gate, addend, c, reluOut);
            finish(c10, at + cRow, gate, addend, c, reluOut);
            finish(c20, at + 2 * cRow, gate, addend, c, reluOut);
            finish(c30, at + 3 * cRow, gate, addend, c, reluOut);
            finish(c40, at + 4 * cRow, gate, addend, c, reluOut);
            finish(c50, at + 5 * cRow, gate, addend, c, reluOut);
            finish(c60, at + 6 * cRow, gate, addend, c, reluOut);
            finish(c70, at + 7 * cRow, gate, addend, c, reluOut);
        }
    }

    /** {@code sums[j] = sum over rows of y[i * yRow + j]} for the first {@code vectors} column vectors. */
    static void columnSums(int n, int vectors, float[] y, int yRow, float[] sums) {
        for (int v = 0; v < vectors; v++) {
            int j = v * L;
            FloatVector s0 = ZERO;
            FloatVector s1 = ZERO;
            int i = 0;
            for (; i + 2 <= n; i += 2) {
                s0 = s0.add(FloatVector.fromArray(S, y, i * yRow + j));
                s1 = s1.add(FloatVector.fromArray(S, y, (i + 1) * yRow + j));
            }
            if (i < n) {
                s0 = s0.add(FloatVector.fromArray(S, y, i * yRow + j));
            }
            s0.add(s1).intoArray(sums, j);
        }
    }
}
