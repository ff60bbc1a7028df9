package io.autonf.cost;

import io.autonf.flow.Architecture;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static io.autonf.cost.CostFixtures.INSTANT;
import static io.autonf.cost.CostFixtures.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostModelTest {

    @Test
    void everyKindGetsPositiveCostsAndItsAnalyticFlops() {
        List<String> progress = new ArrayList<>();
        CostTable t = CostModel.measure(3, TINY, List.of(LayerKind.values()), INSTANT, new SplittableRandom(1),
                progress::add);
        assertEquals(EnumSet.complementOf(EnumSet.of(LayerKind.IDENTITY)), t.kinds(), "identity is not measured");
        for (LayerCost c : t.layers().values()) {
            assertTrue(c.forwardSeconds() > 0 && c.inverseSeconds() > 0 && c.trainingSeconds() > 0, c.toString());
            assertEquals(Flops.forward(c.kind(), 3, TINY), c.forwardFlops());
            assertEquals(Flops.inverse(c.kind(), 3, TINY), c.inverseFlops());
        }
        assertEquals(7, progress.size(), "the warm-up and one line per measured kind: " + progress);
        assertTrue(progress.get(0).startsWith("warmed up"), progress.get(0));
        assertEquals(3, t.dimension());
        assertEquals(TINY, t.settings());
        assertEquals(16, t.batch());
        assertEquals(1, t.threads(), "measured single-threaded");
        assertEquals(Hardware.current(), t.hardware());
    }

    /**
     * The reason for the inverse emphasis: sampling an autoregressive layer takes D sequential network passes,
     * a coupling layer one. At D = 8 the autoregressive inverse is about 8 forward passes, so "more than 3x"
     * survives a busy machine; the coupling inverse does the same work as its forward pass.
     */
    @Test
    void autoregressiveInversesAreFarSlowerThanTheirForwardPassWhileCouplingInversesAreNot() {
        LayerSettings s = new LayerSettings(32, 1, 8, 3.0, Precision.FP32);
        // A fresh test JVM on a busy machine needs seconds of warm-up before the kernels run at compiled speed.
        MeasureOptions options = new MeasureOptions(64, 0.2, 4, 5, 0.01);
        CostTable t = CostModel.measure(8, s, List.of(LayerKind.MAF, LayerKind.RQ_AR, LayerKind.RQ_C,
                LayerKind.AFFINE_C), options, new SplittableRandom(2));
        for (LayerKind k : List.of(LayerKind.MAF, LayerKind.RQ_AR)) {
            LayerCost c = t.layerCost(k);
            assertTrue(c.inverseSeconds() > 3 * c.forwardSeconds(), k + ": " + c);
        }
        for (LayerKind k : List.of(LayerKind.RQ_C, LayerKind.AFFINE_C)) {
            LayerCost c = t.layerCost(k);
            assertTrue(c.inverseSeconds() < 3 * c.forwardSeconds(), k + ": " + c);
        }
    }

    @Test
    void aWholeFlowGetsPositiveFiniteMeasuredCosts() {
        Flow flow = Layers.flow(Architecture.parse("rq-c,maf"), 3, TINY, new SplittableRandom(6));
        MeasuredCost c = CostModel.measureFlow(flow, INSTANT, new SplittableRandom(7));
        assertTrue(c.forwardSeconds() > 0 && Double.isFinite(c.forwardSeconds()), c.toString());
        assertTrue(c.inverseSeconds() > 0 && Double.isFinite(c.inverseSeconds()), c.toString());
    }

    /**
     * The whole-flow counterpart of the layer test above: two autoregressive layers at D = 8 sample in 2 x 8
     * sequential network passes against 2 for density evaluation; two coupling layers take one pass either way.
     */
    @Test
    void aMeasuredAutoregressiveFlowSamplesFarSlowerThanItEvaluatesWhileACouplingFlowDoesNot() {
        LayerSettings s = new LayerSettings(32, 1, 8, 3.0, Precision.FP32);
        // Enough warm-up that neither direction is timed while still interpreted, short enough for a unit test.
        MeasureOptions options = new MeasureOptions(64, 0.1, 2, 3, 0.005);
        Flow autoregressive = Layers.flow(Architecture.parse("maf,maf"), 8, s, new SplittableRandom(8));
        MeasuredCost ar = CostModel.measureFlow(autoregressive, options, new SplittableRandom(9));
        assertTrue(ar.inverseSeconds() > 3 * ar.forwardSeconds(), "maf,maf: " + ar);
        Flow coupling = Layers.flow(Architecture.parse("affine-c,affine-c"), 8, s, new SplittableRandom(8));
        MeasuredCost c = CostModel.measureFlow(coupling, options, new SplittableRandom(9));
        assertTrue(c.inverseSeconds() < 3 * c.forwardSeconds(), "affine-c,affine-c: " + c);
    }

    @Test
    void measuringAFlowRejectsMissingArgumentsAndMeasuredCostsMustBePositiveAndFinite() {
        Flow flow = Layers.flow(Architecture.parse("maf"), 3, TINY, new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> CostModel.measureFlow(null, INSTANT, rng));
        assertThrows(IllegalArgumentException.class, () -> CostModel.measureFlow(flow, null, rng));
        assertThrows(IllegalArgumentException.class, () -> CostModel.measureFlow(flow, INSTANT, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MeasuredCost(0, 1e-6));
        assertTrue(e.getMessage().contains("forward") && e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MeasuredCost(1e-6, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new MeasuredCost(1e-6, Double.POSITIVE_INFINITY));
    }

    @Test
    void theSameSeedBuildsTheSameLayersWhateverTheOrderOfTheKinds() {
        // Timings differ run to run; what must not is which layers were measured and their FLOPs.
        CostTable a = CostModel.measure(4, TINY, List.of(LayerKind.RQ_C, LayerKind.MAF), INSTANT, new SplittableRandom(5));
        CostTable b = CostModel.measure(4, TINY, List.of(LayerKind.MAF, LayerKind.RQ_C), INSTANT, new SplittableRandom(5));
        assertEquals(a.kinds(), b.kinds());
        for (LayerKind k : a.kinds()) {
            assertEquals(a.layerCost(k).forwardFlops(), b.layerCost(k).forwardFlops());
        }
    }

    @Test
    void badRequestsFailBeforeAnyMeasurement() {
        SplittableRandom rng = new SplittableRandom(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostModel.measure(1, TINY, List.of(LayerKind.MAF, LayerKind.RQ_C), INSTANT, rng));
        assertTrue(e.getMessage().contains("rq-c") && e.getMessage().contains("2 features"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CostModel.measure(3, TINY, List.of(LayerKind.IDENTITY), INSTANT, rng));
        assertThrows(IllegalArgumentException.class, () -> CostModel.measure(3, TINY, List.of(), INSTANT, rng));
        assertThrows(IllegalArgumentException.class, () -> CostModel.measure(0, TINY, List.of(LayerKind.MAF), INSTANT, rng));
        assertThrows(IllegalArgumentException.class, () -> CostModel.measure(3, TINY, List.of(LayerKind.MAF), null, rng));
    }

    @Test
    void theMedianOfRunsIsTheMiddleValue() {
        assertEquals(2, CostModel.median(new double[] {5, 1, 2}));
        assertEquals(2.5, CostModel.median(new double[] {4, 1, 3, 2}));
    }
}
