package io.autonf.search;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;

/**
 * What one forward pass of a candidate layer keeps alive until its backward pass, per row of the batch: the
 * arrays the engine's passes hold (outputs and log-determinants of {@code reverse}, {@code lu} and the
 * non-linear part, and the conditioner network's activations in its precision). Object headers and the
 * short-lived temporaries of a pass are left out; the counts follow the engine's passes, padding the networks'
 * rows to whole vectors as its kernels do.
 */
final class PassMemory {

    /** Network rows are padded to whole vectors; 16 lanes covers the widest species the kernels pick. */
    private static final int LANES = 16;

    private PassMemory() {
    }

    static long bytesPerRow(LayerKind kind, int dimension, LayerSettings settings) {
        if (kind == LayerKind.IDENTITY) {
            return Double.BYTES; // its zero log-determinant row
        }
        int d = dimension;
        // reverse and lu: outputs + log|det|; the composite's running log|det|.
        long doubles = 2L * (d + 1) + 1;
        long networkBytes = 0;
        switch (kind) {
            case PLANAR -> doubles += d + 4;   // outputs, tanh, sech², det, log|det|
            case RADIAL -> doubles += d + 2;   // outputs, radius, log|det|
            case MAF, RQ_AR -> {
                int perFeature = parametersPerFeature(kind, settings);
                networkBytes = networkBytesPerRow(d, d * perFeature, settings);
                doubles += d + 1;
            }
            case AFFINE_C, RQ_C -> {
                int transformed = (d + 1) / 2; // the larger of the two mask halves
                int perFeature = parametersPerFeature(kind, settings);
                networkBytes = networkBytesPerRow(d - transformed, transformed * perFeature, settings);
                doubles += transformed + d + 1; // the transformed part, the assembled outputs, log|det|
            }
            default -> throw new IllegalArgumentException("no memory model for layer kind " + kind);
        }
        return doubles * Double.BYTES + networkBytes;
    }

    /** Input copy and every hidden activation in the network's precision, outputs as doubles. */
    private static long networkBytesPerRow(int inputs, int outputs, LayerSettings settings) {
        int element = settings.precision() == Precision.FP32 ? Float.BYTES : Double.BYTES;
        long hidden = roundUp(settings.hiddenFeatures());
        long activations = roundUp(Math.max(inputs, 1)) + (2L * settings.blocks() + 1) * hidden;
        return activations * element + (long) outputs * Double.BYTES;
    }

    private static int parametersPerFeature(LayerKind kind, LayerSettings settings) {
        return switch (kind) {
            case MAF, AFFINE_C -> 2;
            case RQ_AR, RQ_C -> 3 * settings.bins() - 1;
            default -> 0;
        };
    }

    private static long roundUp(int n) {
        return (long) (n + LANES - 1) / LANES * LANES;
    }
}
