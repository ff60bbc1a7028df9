package io.autonf.cost;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FlopsTest {

    /** D = 4, hidden 8, one residual block, 4 bins: small enough to count by hand. */
    private static final LayerSettings S = new LayerSettings(8, 1, 4, 3.0, Precision.FP32);

    @Test
    void aResidualNetworkCountsTwoOperationsPerWeight() {
        // initial 3x8, two 8x8 in the block, final 8x5: 24 + 128 + 40 = 192 weights.
        assertEquals(2 * 192, Flops.network(3, 5, 8, 1));
        assertEquals(2 * (3 * 8 + 8 * 5), Flops.network(3, 5, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> Flops.network(0, 5, 8, 1));
    }

    @Test
    void layerCountsMatchHandComputationsAtDimensionFour() {
        // lu: forward 2*16 + 4 = 36, inverse 2*16 = 32. Spline (K = 4): forward 12*4 + 40 = 88, inverse 98.
        // maf: MADE 4 -> 8 counts 2(4*8 + 2*64 + 8*8) = 448, plus 4 features * 8.
        assertEquals(36 + 448 + 32, Flops.forward(LayerKind.MAF, 4, S));
        assertEquals(32 + 4 * (448 + 4 * 8), Flops.inverse(LayerKind.MAF, 4, S));
        // rq-ar: MADE 4 -> 4*11 counts 2(32 + 128 + 352) = 1024.
        assertEquals(36 + 1024 + 4 * 88, Flops.forward(LayerKind.RQ_AR, 4, S));
        assertEquals(32 + 4 * (1024 + 4 * 98), Flops.inverse(LayerKind.RQ_AR, 4, S));
        // affine-c: 2 features condition 2; net 2 -> 4 counts 2(16 + 128 + 32) = 352.
        assertEquals(36 + 352 + 2 * 8, Flops.forward(LayerKind.AFFINE_C, 4, S));
        assertEquals(32 + 352 + 2 * 8, Flops.inverse(LayerKind.AFFINE_C, 4, S));
        // rq-c: net 2 -> 2*11 counts 2(16 + 128 + 176) = 640.
        assertEquals(36 + 640 + 2 * 88, Flops.forward(LayerKind.RQ_C, 4, S));
        assertEquals(32 + 640 + 2 * 98, Flops.inverse(LayerKind.RQ_C, 4, S));
        assertEquals(36 + 16 + 10, Flops.forward(LayerKind.PLANAR, 4, S));
        assertEquals(32 + 16 + 58, Flops.inverse(LayerKind.PLANAR, 4, S));
        assertEquals(36 + 20 + 16, Flops.forward(LayerKind.RADIAL, 4, S));
        assertEquals(32 + 20 + 21, Flops.inverse(LayerKind.RADIAL, 4, S));
        assertEquals(0, Flops.forward(LayerKind.IDENTITY, 4, S));
        assertEquals(0, Flops.inverse(LayerKind.IDENTITY, 4, S));
    }

    @Test
    void anOddDimensionCouplingTransformsTheLargerHalf() {
        // D = 5: 3 features transformed, conditioned on 2; net 2 -> 6 counts 2(16 + 128 + 48) = 384.
        assertEquals(2 * 25 + 5 + 384 + 3 * 8, Flops.forward(LayerKind.AFFINE_C, 5, S));
    }

    /** The network term equals twice the weight count of the network the layer really builds (bias excluded). */
    @Test
    void networkCountsAgreeWithTheWeightsOfTheBuiltLayers() {
        LayerSettings s = new LayerSettings(16, 2, 5, 3.0, Precision.FP64);
        for (int d : new int[] {2, 5, 8}) {
            for (LayerKind kind : new LayerKind[] {LayerKind.MAF, LayerKind.RQ_AR, LayerKind.AFFINE_C, LayerKind.RQ_C}) {
                Map<String, Parameter> p = Layers.nonLinear(kind, 0, d, s, new SplittableRandom(1)).parameters();
                long weights = p.entrySet().stream().filter(e -> e.getKey().endsWith(".weight"))
                        .mapToLong(e -> e.getValue().size()).sum();
                boolean autoregressive = kind == LayerKind.MAF || kind == LayerKind.RQ_AR;
                int transformed = autoregressive ? d : Flops.transformedFeatures(d);
                double elementwise = switch (kind) {
                    case MAF, AFFINE_C -> Flops.AFFINE_PER_ELEMENT;
                    default -> Flops.splineForward(s);
                };
                double network = Flops.forward(kind, d, s) - Flops.luForward(d) - transformed * elementwise;
                assertEquals(2.0 * weights, network, kind + " at D=" + d);
            }
        }
    }

    @Test
    void autoregressiveInversesCostDimensionTimesTheirNetwork() {
        LayerSettings s = LayerSettings.DEFAULT;
        for (LayerKind k : new LayerKind[] {LayerKind.MAF, LayerKind.RQ_AR}) {
            double ratio = Flops.inverse(k, 43, s) / Flops.forward(k, 43, s);
            assertEquals(43, ratio, 2, k + ": inverse / forward");
        }
        for (LayerKind k : new LayerKind[] {LayerKind.AFFINE_C, LayerKind.RQ_C}) {
            assertEquals(1, Flops.inverse(k, 43, s) / Flops.forward(k, 43, s), 0.02, k + ": inverse / forward");
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Flops.forward(LayerKind.RQ_C, 1, S));
        assertThrows(IllegalArgumentException.class, () -> Flops.forward(LayerKind.MAF, 0, S));
        assertThrows(IllegalArgumentException.class, () -> Flops.inverse(null, 3, S));
    }
}
