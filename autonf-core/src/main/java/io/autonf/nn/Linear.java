package io.autonf.nn;

import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import jdk.incubator.vector.FloatVector;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One affine layer {@code y = x (W * M)^T + b} of a network, with an optional 0/1 mask M (MADE) and the packed
 * copies the kernels read.
 *
 * <p>The {@link Parameter}s hold W and b exactly as PyTorch's state_dict does (W raw, all entries, shape
 * [out][in]). Inside a pass the layer's inputs and outputs may be stored in a different order than the
 * parameters ("internal" order, given by {@code inOrder}/{@code outOrder}, internal position to original index):
 * MADE sorts its hidden units by degree, which turns every mask into a staircase so that the kernels can skip
 * the all-zero parts. The packed copies are built in that internal order, masked, and in the precision of the
 * network; gradients are mapped back to the original layout and exactly 0 where the mask is 0.
 *
 * <p>Packed copies are rebuilt lazily when a parameter's version changes; a pass captures one immutable snapshot
 * so that concurrent passes never see a half-built copy, and concurrent passes share the rebuilding of a
 * network's layers ({@link #packIfIdle}).
 */
final class Linear {

    /** The packed, masked weights of one parameter version, in internal order. {@code A} is float[] or double[]. */
    record Packed<A>(long weightVersion, long biasVersion, A transposed, A rows, A bias) {
    }

    /** fp64 lanes of a preferred vector, and the fp32 species of the same lane count (half its width). */
    private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> NARROW =
            VectorSpecies.of(float.class, VectorShape.forBitSize(WIDE.vectorBitSize() / 2));

    final int in;
    final int out;
    final Parameter weight;
    final Parameter bias;
    private final boolean[] mask;
    private final int[] inOrder;
    private final int[] outOrder;
    /** Padded strides of this layer's input and output in the network's precision. */
    final int inStride;
    final int outStride;
    /** Per output column vector: the k range of the forward product (null: all inputs). */
    final int[] forwardFrom;
    final int[] forwardTo;
    /** Per input column vector: the k range of the input-gradient product (null: all outputs). */
    final int[] inputGradFrom;
    final int[] inputGradTo;
    /** Per output row: how many column vectors of the weight gradient it needs (null: all). */
    final int[] weightGradRowEnd;
    /**
     * Block widths (in vectors) of the three products, chosen so that blocks start where the k range or the row
     * ends change: a MADE staircase then costs little more than its nonzeros (null: fixed blocks).
     */
    final int[] forwardTiles;
    final int[] inputGradTiles;
    final int[] weightGradTiles;
    /**
     * For every entry of the parameter (original layout): where its gradient sits in the padded internal
     * gradient, or {@link #zeroSlot} for masked entries, so that the fp32 accumulation is one gather per vector.
     */
    private final int[] sourceOfOriginal;
    /** An index just past the internal gradient that the caller keeps at zero: masked entries read it. */
    final int zeroSlot;

    private volatile Packed<float[]> floatCache;
    private volatile Packed<double[]> doubleCache;
    /** Held while a packed copy is rebuilt. */
    private final ReentrantLock packing = new ReentrantLock();

    Linear(int in, int out, Precision precision, boolean[] mask, int[] inOrder, int[] outOrder) {
        this.in = in;
        this.out = out;
        this.weight = new Parameter(out, in);
        this.bias = new Parameter(out);
        this.mask = mask;
        this.inOrder = inOrder;
        this.outOrder = outOrder;
        int lanes = precision == Precision.FP32 ? FloatKernels.L : DoubleKernels.L;
        this.inStride = roundUp(in, lanes);
        this.outStride = roundUp(out, lanes);
        if (mask == null && inOrder == null && outOrder == null) {
            forwardFrom = forwardTo = inputGradFrom = inputGradTo = weightGradRowEnd = null;
            forwardTiles = inputGradTiles = weightGradTiles = null;
            sourceOfOriginal = null;
            zeroSlot = out * inStride;
            return;
        }
        int outVectors = outStride / lanes;
        int inVectors = inStride / lanes;
        forwardFrom = filled(outVectors, Integer.MAX_VALUE);
        forwardTo = new int[outVectors];
        inputGradFrom = filled(inVectors, Integer.MAX_VALUE);
        inputGradTo = new int[inVectors];
        weightGradRowEnd = new int[out];
        zeroSlot = out * inStride;
        sourceOfOriginal = new int[out * in];
        java.util.Arrays.fill(sourceOfOriginal, zeroSlot);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                if (!isActive(o, i)) {
                    continue;
                }
                int ov = o / lanes;
                int iv = i / lanes;
                forwardFrom[ov] = Math.min(forwardFrom[ov], i);
                forwardTo[ov] = Math.max(forwardTo[ov], i + 1);
                inputGradFrom[iv] = Math.min(inputGradFrom[iv], o);
                inputGradTo[iv] = Math.max(inputGradTo[iv], o + 1);
                weightGradRowEnd[o] = Math.max(weightGradRowEnd[o], iv + 1);
                sourceOfOriginal[original(outOrder, o) * in + original(inOrder, i)] = o * inStride + i;
            }
        }
        emptyRangesToZero(forwardFrom, forwardTo);
        emptyRangesToZero(inputGradFrom, inputGradTo);
        forwardTiles = tiles(outVectors, v -> forwardFrom[v] != forwardFrom[v - 1] || forwardTo[v] != forwardTo[v - 1]);
        inputGradTiles = tiles(inVectors,
                v -> inputGradFrom[v] != inputGradFrom[v - 1] || inputGradTo[v] != inputGradTo[v - 1]);
        boolean[] rowEnds = new boolean[inVectors + 1];
        for (int end : weightGradRowEnd) {
            rowEnds[end] = true;
        }
        weightGradTiles = tiles(inVectors, v -> rowEnds[v]);
    }

    /**
     * Splits {@code vectors} column vectors into blocks of at most 4 that never straddle a vector where
     * {@code startsGroup} holds (the kernels have blocks 1 to 4 vectors wide).
     */
    private static int[] tiles(int vectors, java.util.function.IntPredicate startsGroup) {
        int[] widths = new int[vectors];
        int count = 0;
        int start = 0;
        for (int v = 1; v <= vectors; v++) {
            if (v == vectors || startsGroup.test(v)) {
                int group = v - start;
                while (group > 0) {
                    // 5 = 3 + 2 rather than 4 + 1: a one-vector block is the least efficient.
                    int width = group == 5 ? 3 : Math.min(4, group);
                    widths[count++] = width;
                    group -= width;
                }
                start = v;
            }
        }
        return java.util.Arrays.copyOf(widths, count);
    }

    private static int roundUp(int n, int lanes) {
        return (n + lanes - 1) / lanes * lanes;
    }

    private static int[] filled(int length, int value) {
        int[] a = new int[length];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static void emptyRangesToZero(int[] from, int[] to) {
        for (int v = 0; v < from.length; v++) {
            if (from[v] >= to[v]) {
                from[v] = 0;
                to[v] = 0;
            }
        }
    }

    private static int original(int[] order, int internal) {
        return order == null ? internal : order[internal];
    }

    /** Whether internal entry (o, i) of the effective weight can be nonzero. */
    private boolean isActive(int o, int i) {
        return mask == null || mask[original(outOrder, o) * in + original(inOrder, i)];
    }

    /** The mask in the parameter's layout [out][in], or null for a dense layer (a copy). */
    boolean[] mask() {
        return mask == null ? null : mask.clone();
    }

    /** The fp32 packed copy of the current parameter versions, packing it first if they changed. */
    Packed<float[]> floatWeights() {
        Packed<float[]> p = floatCache;
        if (isCurrent(p)) {
            return p;
        }
        packing.lock();
        try {
            return packFloat();
        } finally {
            packing.unlock();
        }
    }

    /** The fp64 twin of {@link #floatWeights()}. */
    Packed<double[]> doubleWeights() {
        Packed<double[]> p = doubleCache;
        if (isCurrent(p)) {
            return p;
        }
        packing.lock();
        try {
            return packDouble();
        } finally {
            packing.unlock();
        }
    }

    /**
     * Packs the copy of {@code precision} now if it is out of date and no other thread is packing this layer;
     * never waits. Concurrent passes call it on all their layers first, so that after an optimiser step they
     * pack different layers side by side instead of queueing behind one another.
     */
    void packIfIdle(Precision precision) {
        boolean current = precision == Precision.FP32 ? isCurrent(floatCache) : isCurrent(doubleCache);
        if (current || !packing.tryLock()) {
            return;
        }
        try {
            if (precision == Precision.FP32) {
                packFloat();
            } else {
                packDouble();
            }
        } finally {
            packing.unlock();
        }
    }

    private boolean isCurrent(Packed<?> p) {
        return p != null && p.weightVersion() == weight.version() && p.biasVersion() == bias.version();
    }

    /** Rebuilds the fp32 copy unless another thread just did; call with {@link #packing} held. */
    private Packed<float[]> packFloat() {
        Packed<float[]> p = floatCache;
        long wv = weight.version();
        long bv = bias.version();
        if (p != null && p.weightVersion() == wv && p.biasVersion() == bv) {
            return p;
        }
        double[] w = weight.values();
        float[] transposed = new float[in * outStride];
        float[] rows = new float[out * inStride];
        if (mask == null && inOrder == null && outOrder == null) {
            // Dense and in parameter order: rows is W with padded rows, transposed its transpose.
            for (int o = 0; o < out; o++) {
                int from = o * in;
                int to = o * inStride;
                for (int i = 0; i < in; i++) {
                    rows[to + i] = (float) w[from + i];
                }
            }
            transpose(rows, transposed);
        } else {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    if (isActive(o, i)) {
                        float value = (float) w[original(outOrder, o) * in + original(inOrder, i)];
                        transposed[i * outStride + o] = value;
                        rows[o * inStride + i] = value;
                    }
                }
            }
        }
        float[] b = new float[outStride];
        for (int o = 0; o < out; o++) {
            b[o] = (float) bias.values()[original(outOrder, o)];
        }
        p = new Packed<>(wv, bv, transposed, rows, b);
        floatCache = p;
        return p;
    }

    /** The fp64 twin of {@link #packFloat()}. */
    private Packed<double[]> packDouble() {
        Packed<double[]> p = doubleCache;
        long wv = weight.version();
        long bv = bias.version();
        if (p != null && p.weightVersion() == wv && p.biasVersion() == bv) {
            return p;
        }
        double[] w = weight.values();
        double[] transposed = new double[in * outStride];
        double[] rows = new double[out * inStride];
        if (mask == null && inOrder == null && outOrder == null) {
            for (int o = 0; o < out; o++) {
                System.arraycopy(w, o * in, rows, o * inStride, in);
            }
            transpose(rows, transposed);
        } else {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    if (isActive(o, i)) {
                        double value = w[original(outOrder, o) * in + original(inOrder, i)];
                        transposed[i * outStride + o] = value;
                        rows[o * inStride + i] = value;
                    }
                }
            }
        }
        double[] b = new double[outStride];
        for (int o = 0; o < out; o++) {
            b[o] = bias.values()[original(outOrder, o)];
        }
        p = new Packed<>(wv, bv, transposed, rows, b);
        doubleCache = p;
        return p;
    }

    /** Tile edge of the blocked transposes: a tile of both arrays stays in L1 while it is copied. */
    private static final int TILE = 32;

    /**
     * {@code transposed[i][o] = rows[o][i]} for the layer's out x in entries: whole vectors of a transposed row
     * are gathered down a column of {@code rows}, the remaining columns copied one by one.
     */
    private void transpose(float[] rows, float[] transposed) {
        int lanes = FloatKernels.L;
        int whole = out - out % lanes;
        if (whole > 0) {
            int[] down = new int[lanes];
            for (int l = 0; l < lanes; l++) {
                down[l] = l * inStride;
            }
            for (int o0 = 0; o0 < whole; o0 += lanes) {
                for (int i = 0; i < in; i++) {
                    FloatVector.fromArray(FloatKernels.S, rows, o0 * inStride + i, down, 0)
                            .intoArray(transposed, i * outStride + o0);
                }
            }
        }
        for (int i = 0; i < in; i++) {
            for (int o = whole; o < out; o++) {
                transposed[i * outStride + o] = rows[o * inStride + i];
            }
        }
    }

    /** The fp64 twin of {@link #transpose(float[], float[])}, copied tile by tile. */
    private void transpose(double[] rows, double[] transposed) {
        for (int o0 = 0; o0 < out; o0 += TILE) {
            int o1 = Math.min(out, o0 + TILE);
            for (int i0 = 0; i0 < in; i0 += TILE) {
                int i1 = Math.min(in, i0 + TILE);
                for (int i = i0; i < i1; i++) {
                    for (int o = o0; o < o1; o++) {
                        transposed[i * outStride + o] = rows[o * inStride + i];
                    }
                }
            }
        }
    }

    /**
     * Adds the padded internal weight gradient [out][inStride] into the parameter-layout gradient. For a masked or
     * reordered layer {@code internal} must be longer than {@link #zeroSlot}; that entry is zeroed here.
     */
    void addWeightGradient(float[] internal, double[] gradient) {
        if (sourceOfOriginal == null) {
            for (int o = 0; o < out; o++) {
                int from = o * inStride;
                int to = o * in;
                for (int i = 0; i < in; i++) {
                    gradient[to + i] += internal[from + i];
                }
            }
            return;
        }
        internal[zeroSlot] = 0f;
        int t = 0;
        int lanes = WIDE.length();
        for (; t + lanes <= gradient.length; t += lanes) {
            DoubleVector g = (DoubleVector) FloatVector.fromArray(NARROW, internal, 0, sourceOfOriginal, t)
                    .convertShape(VectorOperators.F2D, WIDE, 0);
            DoubleVector.fromArray(WIDE, gradient, t).add(g).intoArray(gradient, t);
        }
        for (; t < gradient.length; t++) {
            gradient[t] += internal[sourceOfOriginal[t]];
        }
    }

    /** The fp64 twin of {@link #addWeightGradient(float[], double[])}. */
    void addWeightGradient(double[] internal, double[] gradient) {
        if (sourceOfOriginal == null) {
            for (int o = 0; o < out; o++) {
                int from = o * inStride;
                int to = o * in;
                for (int i = 0; i < in; i++) {
                    gradient[to + i] += internal[from + i];
                }
            }
            return;
        }
        internal[zeroSlot] = 0;
        for (int t = 0; t < gradient.length; t++) {
            gradient[t] += internal[sourceOfOriginal[t]];
        }
    }

    /** Adds the internal-order column sums into the parameter-layout bias gradient. */
    void addBiasGradient(float[] sums, double[] gradient) {
        for (int o = 0; o < out; o++) {
            gradient[original(outOrder, o)] += sums[o];
        }
    }

    /** The fp64 twin of {@link #addBiasGradient(float[], double[])}. */
    void addBiasGradient(double[] sums, double[] gradient) {
        for (int o = 0; o < out; o++) {
            gradient[original(outOrder, o)] += sums[o];
        }
    }
}
