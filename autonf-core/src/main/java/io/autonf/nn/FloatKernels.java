package io.autonf.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fp32 implementation behind {@link Kernels}: register-blocked matrix products on padded row-major arrays.
 *
 * <p>Every matrix handed to these methods has a row stride that is a multiple of the vector length and zeros in
 * the padding columns, so the inner loops never need a lane mask.
 *
 * <p>Blocks: a block of R rows x W vectors keeps R*W accumulators in registers and, per step of k, loads W
 * vectors of B and broadcasts R scalars of A. Measured on AVX-512 (Zen 4): 4x4 is the main block (4x3 and
 * 8x2 were slower; one 6x4 build compiled into code that boxed its accumulators). Masked products use
 * blocks as wide as the steps of their mask (1 to 4 vectors, 3 and narrower as 8-row blocks). Vectors must
 * never cross a call or merge in a phi (C2 would box them), hence epilogues through a small scratch tile and
 * row skipping decided outside the blocks.
 *
 * <p>{@code FloatKernels} and {@code DoubleKernels} are line-for-line twins that differ only in the element
 * type; change them together.
 */
final class FloatKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Stands in for a missing bias, so that accumulators start from one load and never from a phi. */
    private static final float[] ZEROS = new float[4096];
    /** Per-thread scratch for the raw sums of one block before its epilogue (no allocation per call). */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[24 * L]);

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
     * others may be left unwritten. {@code tileWidths} (null: blocks of 4) splits the column vectors into blocks, so
     * that a masked product can align its blocks with the steps of its mask (see {@code Linear}).
     * Null {@code bias}, {@code gate}, {@code addend} drop that term; {@code c},
     * {@code reluOut} (receives max(0, value)) name the outputs, either may be null. {@code addend} may be {@code c}.
     */
    static void product(int n, int depth, int vectors, float[] a, int aRow, int aCol, float[] b, int bRow,
                        int[] kFrom, int[] kTo, int[] rowVectorEnd, int[] tileWidths,
                        float[] bias, float[] gate, float[] addend, float[] c, float[] reluOut, int cRow) {
        int mode = mode(gate, addend, c, reluOut);
        if (bias == null) {
            bias = vectors * L <= ZEROS.length ? ZEROS : new float[vectors * L];
        }
        float[] tile = mode == STORE ? null : TILE.get();
        int[] runs = rowVectorEnd == null ? null : new int[n + 2];
        int v = 0;
        int tileIndex = 0;
        while (v < vectors) {
            int width = tileWidths == null ? Math.min(4, vectors - v) : tileWidths[tileIndex++];
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
                case 4 -> {
                    int blocked = n - n % 4;
                    if (runs == null) {
                        block4x4(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        block1x4(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                    } else {
                        int count = rowRuns(rowVectorEnd, v, 0, blocked, 4, runs);
                        for (int r = 0; r < count; r += 2) {
                            block4x4(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                        count = rowRuns(rowVectorEnd, v, blocked, n, 1, runs);
                        for (int r = 0; r < count; r += 2) {
                            block1x4(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                    }
                }
                case 3 -> {
                    int blocked = n - n % 8;
                    if (runs == null) {
                        block8x3(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        block1x3(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                    } else {
                        int count = rowRuns(rowVectorEnd, v, 0, blocked, 8, runs);
                        for (int r = 0; r < count; r += 2) {
                            block8x3(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                        count = rowRuns(rowVectorEnd, v, blocked, n, 1, runs);
                        for (int r = 0; r < count; r += 2) {
                            block1x3(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                    }
                }
                case 2 -> {
                    int blocked = n - n % 8;
                    if (runs == null) {
                        block8x2(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        block1x2(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                    } else {
                        int count = rowRuns(rowVectorEnd, v, 0, blocked, 8, runs);
                        for (int r = 0; r < count; r += 2) {
                            block8x2(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                        count = rowRuns(rowVectorEnd, v, blocked, n, 1, runs);
                        for (int r = 0; r < count; r += 2) {
                            block1x2(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                    }
                }
                case 1 -> {
                    int blocked = n - n % 8;
                    if (runs == null) {
                        block8x1(0, blocked, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        block1x1(blocked, n, v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                    } else {
                        int count = rowRuns(rowVectorEnd, v, 0, blocked, 8, runs);
                        for (int r = 0; r < count; r += 2) {
                            block8x1(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                        count = rowRuns(rowVectorEnd, v, blocked, n, 1, runs);
                        for (int r = 0; r < count; r += 2) {
                            block1x1(runs[r], runs[r + 1], v, k0, k1, a, aRow, aCol, b, bRow, bias, mode, tile, gate, addend, c, reluOut, cRow);
                        }
                    }
                }
                default -> throw new IllegalStateException("no block for " + width + " vectors");
            }
            v += width;
        }
    }

    /**
     * Splits rows [from, to) in steps of {@code step} into runs of blocks that need column vector v (some row of
     * the block has {@code rowVectorEnd > v}); writes start/end pairs into {@code runs} and returns their count.
     * Keeping this choice out of the blocks keeps their loops free of data-dependent exits.
     */
    private static int rowRuns(int[] rowVectorEnd, int v, int from, int to, int step, int[] runs) {
        if (from >= to) {
            return 0;
        }
        int count = 0;
        int start = -1;
        for (int i = from; i < to; i += step) {
            boolean needed = false;
            for (int r = i; r < i + step; r++) {
                needed |= rowVectorEnd[r] > v;
            }
            if (needed && start < 0) {
                start = i;
            } else if (!needed && start >= 0) {
                runs[count++] = start;
                runs[count++] = i;
                start = -1;
            }
        }
        if (start >= 0) {
            runs[count++] = start;
            runs[count++] = to;
        }
        return count;
    }

    private static final int STORE = 0;
    private static final int RELU = 1;
    private static final int STORE_RELU = 2;
    private static final int ADD = 3;
    private static final int ADD_RELU = 4;
    private static final int ADD_STORE_RELU = 5;
    private static final int GATE = 6;
    private static final int GATE_ADD = 7;

    private static int mode(float[] gate, float[] addend, float[] c, float[] reluOut) {
        if (gate != null) {
            if (c == null || reluOut != null) {
                throw new IllegalArgumentException("a gated product writes c and no rectified output");
            }
            return addend == null ? GATE : GATE_ADD;
        }
        if (c == null && reluOut == null) {
            throw new IllegalArgumentException("a product needs an output");
        }
        int base = addend == null ? STORE : ADD;
        return base + (reluOut == null ? 0 : c == null ? 1 : 2);
    }

    /**
     * Epilogue of a block whose raw sums sit in {@code tile} (rows x width vectors). It is a separate loop over
     * memory rather than code applied to the accumulators because C2 boxes vectors that cross a call or merge
     * in a phi, and an epilogue with every mode inlined into each block would be too big to inline.
     */
    private static void finish(float[] tile, int rows, int width, int at, int cRow, int mode, float[] gate, float[] addend,
                               float[] c, float[] reluOut) {
        for (int r = 0; r < rows; r++) {
            for (int x = 0; x < width; x++) {
                FloatVector acc = FloatVector.fromArray(S, tile, (r * width + x) * L);
                int o = at + r * cRow + x * L;
                switch (mode) {
                    case RELU -> acc.max(0).intoArray(reluOut, o);
                    case STORE_RELU -> {
                        acc.intoArray(c, o);
                        acc.max(0).intoArray(reluOut, o);
                    }
                    case ADD -> acc.add(FloatVector.fromArray(S, addend, o)).intoArray(c, o);
                    case ADD_RELU -> acc.add(FloatVector.fromArray(S, addend, o)).max(0).intoArray(reluOut, o);
                    case ADD_STORE_RELU -> {
                        FloatVector sum = acc.add(FloatVector.fromArray(S, addend, o));
                        sum.intoArray(c, o);
                        sum.max(0).intoArray(reluOut, o);
                    }
                    case GATE -> FloatVector.zero(S).blend(acc, FloatVector.fromArray(S, gate, o).compare(VectorOperators.GT, 0))
                            .intoArray(c, o);
                    case GATE_ADD -> FloatVector.zero(S).blend(acc, FloatVector.fromArray(S, gate, o).compare(VectorOperators.GT, 0))
                            .add(FloatVector.fromArray(S, addend, o)).intoArray(c, o);
                    default -> throw new IllegalStateException("epilogue mode " + mode);
                }
            }
        }
    }

    private static void block1x1(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        for (int i = iFrom; i < iTo; i += 1) {
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
            if (mode == STORE) {
                c00.intoArray(c, at);
            } else {
                c00.intoArray(tile, 0);
                finish(tile, 1, 1, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block1x2(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        FloatVector init1 = FloatVector.fromArray(S, bias, j + L);
        for (int i = iFrom; i < iTo; i += 1) {
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
            if (mode == STORE) {
                c00.intoArray(c, at);
                c01.intoArray(c, at + L);
            } else {
                c00.intoArray(tile, 0);
                c01.intoArray(tile, 0 + L);
                finish(tile, 1, 2, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block1x3(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        FloatVector init1 = FloatVector.fromArray(S, bias, j + L);
        FloatVector init2 = FloatVector.fromArray(S, bias, j + 2 * L);
        for (int i = iFrom; i < iTo; i += 1) {
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
            if (mode == STORE) {
                c00.intoArray(c, at);
                c01.intoArray(c, at + L);
                c02.intoArray(c, at + 2 * L);
            } else {
                c00.intoArray(tile, 0);
                c01.intoArray(tile, 0 + L);
                c02.intoArray(tile, 0 + 2 * L);
                finish(tile, 1, 3, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block1x4(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        FloatVector init1 = FloatVector.fromArray(S, bias, j + L);
        FloatVector init2 = FloatVector.fromArray(S, bias, j + 2 * L);
        FloatVector init3 = FloatVector.fromArray(S, bias, j + 3 * L);
        for (int i = iFrom; i < iTo; i += 1) {
            FloatVector c00 = init0; FloatVector c01 = init1; FloatVector c02 = init2; FloatVector c03 = init3;
            int a0 = i * aRow;
            int bk = k0 * bRow + j;
            int ak = k0 * aCol;
            for (int k = k0; k < k1; k++, bk += bRow, ak += aCol) {
                FloatVector b0 = FloatVector.fromArray(S, b, bk);
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bk + 3 * L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            }
            int at = i * cRow + j;
            if (mode == STORE) {
                c00.intoArray(c, at);
                c01.intoArray(c, at + L);
                c02.intoArray(c, at + 2 * L);
                c03.intoArray(c, at + 3 * L);
            } else {
                c00.intoArray(tile, 0);
                c01.intoArray(tile, 0 + L);
                c02.intoArray(tile, 0 + 2 * L);
                c03.intoArray(tile, 0 + 3 * L);
                finish(tile, 1, 4, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block4x4(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        FloatVector init1 = FloatVector.fromArray(S, bias, j + L);
        FloatVector init2 = FloatVector.fromArray(S, bias, j + 2 * L);
        FloatVector init3 = FloatVector.fromArray(S, bias, j + 3 * L);
        for (int i = iFrom; i < iTo; i += 4) {
            FloatVector c00 = init0; FloatVector c01 = init1; FloatVector c02 = init2; FloatVector c03 = init3;
            FloatVector c10 = init0; FloatVector c11 = init1; FloatVector c12 = init2; FloatVector c13 = init3;
            FloatVector c20 = init0; FloatVector c21 = init1; FloatVector c22 = init2; FloatVector c23 = init3;
            FloatVector c30 = init0; FloatVector c31 = init1; FloatVector c32 = init2; FloatVector c33 = init3;
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
                FloatVector b3 = FloatVector.fromArray(S, b, bk + 3 * L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + ak]);
                c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + ak]);
                c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21); c22 = x2.fma(b2, c22); c23 = x2.fma(b3, c23);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + ak]);
                c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31); c32 = x3.fma(b2, c32); c33 = x3.fma(b3, c33);
            }
            int at = i * cRow + j;
            if (mode == STORE) {
                c00.intoArray(c, at);
                c01.intoArray(c, at + L);
                c02.intoArray(c, at + 2 * L);
                c03.intoArray(c, at + 3 * L);
                c10.intoArray(c, at + cRow);
                c11.intoArray(c, at + cRow + L);
                c12.intoArray(c, at + cRow + 2 * L);
                c13.intoArray(c, at + cRow + 3 * L);
                c20.intoArray(c, at + 2 * cRow);
                c21.intoArray(c, at + 2 * cRow + L);
                c22.intoArray(c, at + 2 * cRow + 2 * L);
                c23.intoArray(c, at + 2 * cRow + 3 * L);
                c30.intoArray(c, at + 3 * cRow);
                c31.intoArray(c, at + 3 * cRow + L);
                c32.intoArray(c, at + 3 * cRow + 2 * L);
                c33.intoArray(c, at + 3 * cRow + 3 * L);
            } else {
                c00.intoArray(tile, 0);
                c01.intoArray(tile, 0 + L);
                c02.intoArray(tile, 0 + 2 * L);
                c03.intoArray(tile, 0 + 3 * L);
                c10.intoArray(tile, 0 + 4 * L);
                c11.intoArray(tile, 0 + 5 * L);
                c12.intoArray(tile, 0 + 6 * L);
                c13.intoArray(tile, 0 + 7 * L);
                c20.intoArray(tile, 0 + 8 * L);
                c21.intoArray(tile, 0 + 9 * L);
                c22.intoArray(tile, 0 + 10 * L);
                c23.intoArray(tile, 0 + 11 * L);
                c30.intoArray(tile, 0 + 12 * L);
                c31.intoArray(tile, 0 + 13 * L);
                c32.intoArray(tile, 0 + 14 * L);
                c33.intoArray(tile, 0 + 15 * L);
                finish(tile, 4, 4, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block8x1(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        for (int i = iFrom; i < iTo; i += 8) {
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
            if (mode == STORE) {
                c00.intoArray(c, at);
                c10.intoArray(c, at + cRow);
                c20.intoArray(c, at + 2 * cRow);
                c30.intoArray(c, at + 3 * cRow);
                c40.intoArray(c, at + 4 * cRow);
                c50.intoArray(c, at + 5 * cRow);
                c60.intoArray(c, at + 6 * cRow);
                c70.intoArray(c, at + 7 * cRow);
            } else {
                c00.intoArray(tile, 0);
                c10.intoArray(tile, 0 + L);
                c20.intoArray(tile, 0 + 2 * L);
                c30.intoArray(tile, 0 + 3 * L);
                c40.intoArray(tile, 0 + 4 * L);
                c50.intoArray(tile, 0 + 5 * L);
                c60.intoArray(tile, 0 + 6 * L);
                c70.intoArray(tile, 0 + 7 * L);
                finish(tile, 8, 1, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block8x2(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        FloatVector init1 = FloatVector.fromArray(S, bias, j + L);
        for (int i = iFrom; i < iTo; i += 8) {
            FloatVector c00 = init0; FloatVector c01 = init1;
            FloatVector c10 = init0; FloatVector c11 = init1;
            FloatVector c20 = init0; FloatVector c21 = init1;
            FloatVector c30 = init0; FloatVector c31 = init1;
            FloatVector c40 = init0; FloatVector c41 = init1;
            FloatVector c50 = init0; FloatVector c51 = init1;
            FloatVector c60 = init0; FloatVector c61 = init1;
            FloatVector c70 = init0; FloatVector c71 = init1;
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
                FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
                FloatVector x0 = FloatVector.broadcast(S, a[a0 + ak]);
                c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01);
                FloatVector x1 = FloatVector.broadcast(S, a[a1 + ak]);
                c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11);
                FloatVector x2 = FloatVector.broadcast(S, a[a2 + ak]);
                c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21);
                FloatVector x3 = FloatVector.broadcast(S, a[a3 + ak]);
                c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31);
                FloatVector x4 = FloatVector.broadcast(S, a[a4 + ak]);
                c40 = x4.fma(b0, c40); c41 = x4.fma(b1, c41);
                FloatVector x5 = FloatVector.broadcast(S, a[a5 + ak]);
                c50 = x5.fma(b0, c50); c51 = x5.fma(b1, c51);
                FloatVector x6 = FloatVector.broadcast(S, a[a6 + ak]);
                c60 = x6.fma(b0, c60); c61 = x6.fma(b1, c61);
                FloatVector x7 = FloatVector.broadcast(S, a[a7 + ak]);
                c70 = x7.fma(b0, c70); c71 = x7.fma(b1, c71);
            }
            int at = i * cRow + j;
            if (mode == STORE) {
                c00.intoArray(c, at);
                c01.intoArray(c, at + L);
                c10.intoArray(c, at + cRow);
                c11.intoArray(c, at + cRow + L);
                c20.intoArray(c, at + 2 * cRow);
                c21.intoArray(c, at + 2 * cRow + L);
                c30.intoArray(c, at + 3 * cRow);
                c31.intoArray(c, at + 3 * cRow + L);
                c40.intoArray(c, at + 4 * cRow);
                c41.intoArray(c, at + 4 * cRow + L);
                c50.intoArray(c, at + 5 * cRow);
                c51.intoArray(c, at + 5 * cRow + L);
                c60.intoArray(c, at + 6 * cRow);
                c61.intoArray(c, at + 6 * cRow + L);
                c70.intoArray(c, at + 7 * cRow);
                c71.intoArray(c, at + 7 * cRow + L);
            } else {
                c00.intoArray(tile, 0);
                c01.intoArray(tile, 0 + L);
                c10.intoArray(tile, 0 + 2 * L);
                c11.intoArray(tile, 0 + 3 * L);
                c20.intoArray(tile, 0 + 4 * L);
                c21.intoArray(tile, 0 + 5 * L);
                c30.intoArray(tile, 0 + 6 * L);
                c31.intoArray(tile, 0 + 7 * L);
                c40.intoArray(tile, 0 + 8 * L);
                c41.intoArray(tile, 0 + 9 * L);
                c50.intoArray(tile, 0 + 10 * L);
                c51.intoArray(tile, 0 + 11 * L);
                c60.intoArray(tile, 0 + 12 * L);
                c61.intoArray(tile, 0 + 13 * L);
                c70.intoArray(tile, 0 + 14 * L);
                c71.intoArray(tile, 0 + 15 * L);
                finish(tile, 8, 2, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    private static void block8x3(int iFrom, int iTo, int v, int k0, int k1, float[] a, int aRow, int aCol, float[] b, int bRow,
                                float[] bias, int mode, float[] tile, float[] gate, float[] addend, float[] c,
                                float[] reluOut, int cRow) {
        int j = v * L;
        FloatVector init0 = FloatVector.fromArray(S, bias, j);
        FloatVector init1 = FloatVector.fromArray(S, bias, j + L);
        FloatVector init2 = FloatVector.fromArray(S, bias, j + 2 * L);
        for (int i = iFrom; i < iTo; i += 8) {
            FloatVector c00 = init0; FloatVector c01 = init1; FloatVector c02 = init2;
            FloatVector c10 = init0; FloatVector c11 = init1; FloatVector c12 = init2;
            FloatVector c20 = init0; FloatVector c21 = init1; FloatVector c22 = init2;
            FloatVector c30 = init0; FloatVector c31 = init1; FloatVector c32 = init2;
            FloatVector c40 = init0; FloatVector c41 = init1; FloatVector c42 = init2;
            FloatVector c50 = init0; FloatVector c51 = init1; FloatVector c52 = init2;
            FloatVector c60 = init0; FloatVector c61 = init1; FloatVector c62 = init2;
            FloatVector c70 = init0; FloatVector c71 = init1; FloatVector c72 = init2;
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
                FloatVector x4 = FloatVector.broadcast(S, a[a4 + ak]);
                c40 = x4.fma(b0, c40); c41 = x4.fma(b1, c41); c42 = x4.fma(b2, c42);
                FloatVector x5 = FloatVector.broadcast(S, a[a5 + ak]);
                c50 = x5.fma(b0, c50); c51 = x5.fma(b1, c51); c52 = x5.fma(b2, c52);
                FloatVector x6 = FloatVector.broadcast(S, a[a6 + ak]);
                c60 = x6.fma(b0, c60); c61 = x6.fma(b1, c61); c62 = x6.fma(b2, c62);
                FloatVector x7 = FloatVector.broadcast(S, a[a7 + ak]);
                c70 = x7.fma(b0, c70); c71 = x7.fma(b1, c71); c72 = x7.fma(b2, c72);
            }
            int at = i * cRow + j;
            if (mode == STORE) {
                c00.intoArray(c, at);
                c01.intoArray(c, at + L);
                c02.intoArray(c, at + 2 * L);
                c10.intoArray(c, at + cRow);
                c11.intoArray(c, at + cRow + L);
                c12.intoArray(c, at + cRow + 2 * L);
                c20.intoArray(c, at + 2 * cRow);
                c21.intoArray(c, at + 2 * cRow + L);
                c22.intoArray(c, at + 2 * cRow + 2 * L);
                c30.intoArray(c, at + 3 * cRow);
                c31.intoArray(c, at + 3 * cRow + L);
                c32.intoArray(c, at + 3 * cRow + 2 * L);
                c40.intoArray(c, at + 4 * cRow);
                c41.intoArray(c, at + 4 * cRow + L);
                c42.intoArray(c, at + 4 * cRow + 2 * L);
                c50.intoArray(c, at + 5 * cRow);
                c51.intoArray(c, at + 5 * cRow + L);
                c52.intoArray(c, at + 5 * cRow + 2 * L);
                c60.intoArray(c, at + 6 * cRow);
                c61.intoArray(c, at + 6 * cRow + L);
                c62.intoArray(c, at + 6 * cRow + 2 * L);
                c70.intoArray(c, at + 7 * cRow);
                c71.intoArray(c, at + 7 * cRow + L);
                c72.intoArray(c, at + 7 * cRow + 2 * L);
            } else {
                c00.intoArray(tile, 0);
                c01.intoArray(tile, 0 + L);
                c02.intoArray(tile, 0 + 2 * L);
                c10.intoArray(tile, 0 + 3 * L);
                c11.intoArray(tile, 0 + 4 * L);
                c12.intoArray(tile, 0 + 5 * L);
                c20.intoArray(tile, 0 + 6 * L);
                c21.intoArray(tile, 0 + 7 * L);
                c22.intoArray(tile, 0 + 8 * L);
                c30.intoArray(tile, 0 + 9 * L);
                c31.intoArray(tile, 0 + 10 * L);
                c32.intoArray(tile, 0 + 11 * L);
                c40.intoArray(tile, 0 + 12 * L);
                c41.intoArray(tile, 0 + 13 * L);
                c42.intoArray(tile, 0 + 14 * L);
                c50.intoArray(tile, 0 + 15 * L);
                c51.intoArray(tile, 0 + 16 * L);
                c52.intoArray(tile, 0 + 17 * L);
                c60.intoArray(tile, 0 + 18 * L);
                c61.intoArray(tile, 0 + 19 * L);
                c62.intoArray(tile, 0 + 20 * L);
                c70.intoArray(tile, 0 + 21 * L);
                c71.intoArray(tile, 0 + 22 * L);
                c72.intoArray(tile, 0 + 23 * L);
                finish(tile, 8, 3, at, cRow, mode, gate, addend, c, reluOut);
            }
        }
    }

    /** {@code sums[j] = sum over rows of y[i * yRow + j]} for the first {@code vectors} column vectors. */
    static void columnSums(int n, int vectors, float[] y, int yRow, float[] sums) {
        for (int v = 0; v < vectors; v++) {
            int j = v * L;
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
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
