package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientClippingTest {

    private final Parameter a = new Parameter(2);
    private final Parameter b = new Parameter(1);
    private final List<Parameter> order = List.of(a, b);

    private Gradients gradients(double a0, double a1, double b0) {
        Gradients g = new Gradients();
        g.of(a)[0] = a0;
        g.of(a)[1] = a1;
        g.of(b)[0] = b0;
        return g;
    }

    @Test
    void normIsTheEuclideanNormOverAllParameters() {
        assertEquals(13.0, GradientClipping.norm(gradients(3, 4, 12), order), 1e-15);
        assertEquals(0.0, GradientClipping.norm(new Gradients(), order), 0.0);
    }

    @Test
    void aLargeGradientIsScaledToTheBoundKeepingItsDirection() {
        Gradients g = gradients(3, 4, 12);
        double before = GradientClipping.clipGlobalNorm(g, order, 1.3);
        assertEquals(13.0, before, 1e-15, "returns the norm before clipping");
        assertEquals(1.3, GradientClipping.norm(g, order), 1e-15);
        assertArrayEquals(new double[] {0.3, 0.4}, g.of(a), 1e-15);
        assertArrayEquals(new double[] {1.2}, g.of(b), 1e-15);
    }

    @Test
    void aSmallGradientOrAnInfiniteBoundChangesNothing() {
        Gradients g = gradients(3, 4, 12);
        GradientClipping.clipGlobalNorm(g, order, 20);
        assertArrayEquals(new double[] {3, 4}, g.of(a), 0.0);
        GradientClipping.clipGlobalNorm(g, order, Double.POSITIVE_INFINITY);
        assertArrayEquals(new double[] {12}, g.of(b), 0.0);
    }

    @Test
    void aNonFiniteGradientIsReportedNotScaled() {
        Gradients g = gradients(Double.NaN, 4, 12);
        assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(g, order, 1)));
        assertEquals(4, g.of(a)[1], 0.0);
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(g, order, 0));
    }

    @Test
    void clippingBoundsWhatAGradientSpikeDoesToAdam() {
        // Without clipping a single spike inflates Adam's second moment by the spike squared and then stalls
        // training for thousands of steps; clipped, both moments stay within the bound.
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        Adam adam = new Adam(params, 0);
        double clip = 5;
        for (int step = 0; step < 20; step++) {
            double scale = step == 10 ? 1e6 : 1;
            Gradients g = gradients(0.3 * scale, -0.4 * scale, 1.2 * scale);
            assertTrue(GradientClipping.clipGlobalNorm(g, order, clip) > 0);
            assertTrue(GradientClipping.norm(g, order) <= clip * (1 + 1e-15));
            adam.step(g, 1e-3);
        }
        for (String name : params.keySet()) {
            for (double m : adam.firstMoment(name)) {
                assertTrue(Math.abs(m) <= clip, "first moment " + m);
            }
            for (double v : adam.secondMoment(name)) {
                assertTrue(v <= clip * clip, "second moment " + v);
            }
        }
    }
}
