package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {

    private static Map<String, Parameter> one(String name, double... values) {
        Parameter p = new Parameter(values.length);
        p.set(values);
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put(name, p);
        return m;
    }

    @Test
    void twoStepsMatchTheHandComputedUpdate() {
        Map<String, Parameter> params = one("w", 1.0, -2.0);
        Parameter w = params.get("w");
        Adam adam = new Adam(params, 0.9, 0.999, 1e-8, 0.0);
        long version = w.version();

        Gradients g1 = new Gradients();
        g1.of(w)[0] = 0.5;
        g1.of(w)[1] = -0.1;
        adam.step(g1, 0.1);
        // Step 1: the bias-corrected moments are g and g^2, so each weight moves by lr * g / (|g| + eps).
        assertArrayEquals(new double[] {1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 0.1 / (0.1 + 1e-8)}, w.values(), 1e-15);
        assertArrayEquals(new double[] {0.05, -0.01}, adam.firstMoment("w"), 1e-16);
        assertArrayEquals(new double[] {0.00025, 0.00001}, adam.secondMoment("w"), 1e-18);
        assertTrue(w.version() > version, "Adam must mark the parameter updated");

        Gradients g2 = new Gradients();
        g2.of(w)[0] = 0.2;
        g2.of(w)[1] = 0.3;
        adam.step(g2, 0.1);
        // Step 2: m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2, corrections 1 - 0.9^2 = 0.19 and 1 - 0.999^2 = 0.001999.
        double m0 = 0.9 * 0.05 + 0.1 * 0.2;             // 0.065
        double v0 = 0.999 * 0.00025 + 0.001 * 0.04;      // 0.00028975
        double m1 = 0.9 * -0.01 + 0.1 * 0.3;             // 0.021
        double v1 = 0.999 * 0.00001 + 0.001 * 0.09;      // 0.00009999
        double w0 = 0.900000002 - 0.1 * (m0 / 0.19) / (Math.sqrt(v0 / 0.001999) + 1e-8);
        double w1 = -1.90000001 - 0.1 * (m1 / 0.19) / (Math.sqrt(v1 / 0.001999) + 1e-8);
        assertArrayEquals(new double[] {w0, w1}, w.values(), 1e-12);
        assertEquals(0.8101424839029282, w.values()[0], 1e-12, "independent reference value");
        assertEquals(2, adam.steps("w"));
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        Map<String, Parameter> params = one("w", 1.0);
        Adam adam = new Adam(params, 0.5);
        Gradients g = new Gradients();
        g.of(params.get("w"))[0] = 0.5;
        adam.step(g, 0.1);
        // effective gradient 0.5 + 0.5 * 1.0 = 1.0
        assertEquals(1.0 - 0.1 * 1.0 / (1.0 + 1e-8), params.get("w").values()[0], 1e-15);
        assertArrayEquals(new double[] {0.1}, adam.firstMoment("w"), 1e-16);
    }

    @Test
    void parametersWithoutAGradientAreLeftAlone() {
        Map<String, Parameter> params = one("a", 1.0);
        Parameter b = new Parameter(1);
        b.set(new double[] {2.0});
        params.put("b", b);
        Adam adam = new Adam(params, 0.1);
        Gradients g = new Gradients();
        g.of(params.get("a"))[0] = 1.0;
        long versionB = b.version();
        adam.step(g, 0.1);
        assertEquals(2.0, b.values()[0], 0.0, "weight decay must not touch a parameter that got no gradient");
        assertEquals(versionB, b.version());
        assertEquals(0, adam.steps("b"));
        assertEquals(1, adam.steps("a"));
    }

    @Test
    void rejectsBadSettingsAndSharedParameters() {
        Map<String, Parameter> params = one("w", 1.0);
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, 0.9, -0.1, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, 0.9, 0.999, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, -1));
        Map<String, Parameter> shared = new LinkedHashMap<>(params);
        shared.put("alias", params.get("w"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(shared, 0));
        assertTrue(e.getMessage().contains("alias"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, 0).step(new Gradients(), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params, 0).firstMoment("nope"));
    }
}
