package io.autonf.parity;

import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The nflows fixtures load, are internally consistent, and exercise what the parity tests are meant to test. */
class NflowsFixtureTest {

    static List<String> names() {
        return NflowsFixture.names();
    }

    @Test
    void everyExpectedFixtureIsCommitted() {
        assertEquals(List.of(
                "affine_coupling_f6_even_h16_b2",
                "lu_linear_f6",
                "maf_affine_f6_h16_b2",
                "reverse_permutation_f6",
                "rq_autoregressive_f5_h16_b2_k8",
                "rq_coupling_f6_even_h16_b2_k8",
                "spline_rq_k5_b1.5",
                "spline_rq_k8_b3"), NflowsFixture.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void loadsWithConsistentShapes(String name) {
        NflowsFixture f = NflowsFixture.load(name);
        assertEquals("0.14", f.versions().get("nflows"), "nflows version");
        assertTrue(f.versions().containsKey("torch"), "torch version recorded");
        assertFalse(f.notes().isEmpty(), "fixture explains its layout");
        if (f.isSpline()) {
            checkSpline(f);
            return;
        }
        int d = f.features();
        assertArrayEquals(new int[] {20, d}, f.forwardInputs().shape());
        assertArrayEquals(new int[] {20, d}, f.inverseInputs().shape());
        assertEquals(20, f.forwardBatch().rows());
        assertEquals(d, f.inverseBatch().cols());
        switch (f.simpleClassName()) {
            case "MaskedAffineAutoregressiveTransform" -> checkMade(f, 2);
            case "MaskedPiecewiseRationalQuadraticAutoregressiveTransform" -> checkMade(f, 3 * f.intArg("num_bins") - 1);
            case "AffineCouplingTransform" -> checkCoupling(f, 2);
            case "PiecewiseRationalQuadraticCouplingTransform" -> checkCoupling(f, 3 * f.intArg("num_bins") - 1);
            case "LULinear" -> {
                int tri = d * (d - 1) / 2;
                assertArrayEquals(new int[] {d}, f.parameter("bias").shape());
                assertArrayEquals(new int[] {tri}, f.parameter("lower_entries").shape());
                assertArrayEquals(new int[] {tri}, f.parameter("upper_entries").shape());
                assertArrayEquals(new int[] {d}, f.parameter("unconstrained_upper_diag").shape());
                assertTrue(maxAbs(f.parameter("lower_entries").values()) > 0.1, "LU moved away from the identity");
            }
            case "ReversePermutation" -> {
                assertTrue(f.parameters().isEmpty());
                double[] perm = buffer(f, "_permutation").values();
                for (int i = 0; i < d; i++) {
                    assertEquals(d - 1 - i, perm[i]);
                }
            }
            default -> fail("no shape check for " + f.nflowsClass());
        }
    }

    private static void checkSpline(NflowsFixture f) {
        int k = f.intArg("num_bins");
        double bound = f.doubleArg("tail_bound");
        int n = f.forwardInputs().size();
        assertArrayEquals(new int[] {n}, f.forwardInputs().shape());
        assertArrayEquals(new int[] {n}, f.inverseInputs().shape());
        assertArrayEquals(new int[] {n, k}, f.parameter("unnormalized_widths").shape());
        assertArrayEquals(new int[] {n, k}, f.parameter("unnormalized_heights").shape());
        assertArrayEquals(new int[] {n, k - 1}, f.parameter("unnormalized_derivatives").shape());
        assertEquals(1e-3, f.doubleArg("min_bin_width"));
        assertEquals(1e-3, f.doubleArg("min_bin_height"));
        assertEquals(1e-3, f.doubleArg("min_derivative"));
        double[] x = f.forwardInputs().values();
        assertTrue(Arrays.stream(x).anyMatch(v -> v == bound), "exact upper tail bound is tested");
        assertTrue(Arrays.stream(x).anyMatch(v -> v == -bound), "exact lower tail bound is tested");
        checkOutsideIsIdentity(f, bound);
    }

    /** Outside [-B, B] every rational-quadratic map is the identity: the fixture must contain such points. */
    private static void checkOutsideIsIdentity(NflowsFixture f, double bound) {
        for (NflowsFixture.Reference ref : List.of(f.results().float32(), f.results().float64())) {
            int outside = 0;
            double[] x = f.forwardInputs().values();
            double[] y = ref.forward().outputs().values();
            for (int i = 0; i < x.length; i++) {
                if (Math.abs(x[i]) > bound) {
                    outside++;
                    assertEquals(x[i], y[i], 0.0, "input " + i + " outside the tail bound passes unchanged");
                }
            }
            assertTrue(outside >= 2, "some inputs lie outside the tail bound");
        }
    }

    /** The MADE weight shapes, and masks that follow the degree rule the fixture notes describe. */
    private static void checkMade(NflowsFixture f, int multiplier) {
        int d = f.features();
        int h = f.intArg("hidden_features");
        int blocks = f.intArg("num_blocks");
        assertFalse(f.booleanArg("random_mask"));
        assertTrue(f.booleanArg("use_residual_blocks"));
        String p = "autoregressive_net.";
        assertArrayEquals(new int[] {h, d}, f.parameter(p + "initial_layer.weight").shape());
        assertArrayEquals(new int[] {d * multiplier, h}, f.parameter(p + "final_layer.weight").shape());
        assertArrayEquals(new int[] {d * multiplier}, f.parameter(p + "final_layer.bias").shape());
        assertEquals(2 + 4 * blocks + 2, f.parameters().size());

        int[] inputDegrees = new int[d];
        for (int i = 0; i < d; i++) {
            inputDegrees[i] = i + 1;
        }
        int[] hiddenDegrees = new int[h];
        for (int j = 0; j < h; j++) {
            hiddenDegrees[j] = j % Math.max(1, d - 1) + Math.min(1, d - 1);
        }
        int[] outputDegrees = new int[d * multiplier];
        for (int j = 0; j < outputDegrees.length; j++) {
            outputDegrees[j] = j / multiplier + 1;
        }
        assertMask(buffer(f, p + "initial_layer.mask").values(), hiddenDegrees, inputDegrees, false);
        for (int b = 0; b < blocks; b++) {
            for (int l = 0; l < 2; l++) {
                String layer = p + "blocks." + b + ".linear_layers." + l;
                assertArrayEquals(new int[] {h, h}, f.parameter(layer + ".weight").shape());
                assertArrayEquals(new int[] {h}, f.parameter(layer + ".bias").shape());
                assertMask(buffer(f, layer + ".mask").values(), hiddenDegrees, hiddenDegrees, false);
            }
            // nflows initialises the second layer of a block to +-1e-3: the fixture must have moved it.
            assertTrue(maxAbs(f.parameter(p + "blocks." + b + ".linear_layers.1.weight").values()) > 0.05,
                    "block " + b + " output layer was randomised");
        }
        assertMask(buffer(f, p + "final_layer.mask").values(), outputDegrees, hiddenDegrees, true);
        assertArrayEquals(Arrays.stream(hiddenDegrees).asDoubleStream().toArray(),
                buffer(f, p + "initial_layer.degrees").values());
        // Masked-out weights hold noise, so an implementation that ignores the mask cannot pass.
        double[] mask = buffer(f, p + "final_layer.mask").values();
        double[] weight = f.parameter(p + "final_layer.weight").values();
        double maskedOut = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 0) {
                maskedOut = Math.max(maskedOut, Math.abs(weight[i]));
            }
        }
        assertTrue(maskedOut > 0.01, "masked-out weights are non-zero");
    }

    private static void assertMask(double[] mask, int[] outDegrees, int[] inDegrees, boolean strict) {
        assertEquals(outDegrees.length * inDegrees.length, mask.length);
        for (int o = 0; o < outDegrees.length; o++) {
            for (int i = 0; i < inDegrees.length; i++) {
                boolean connected = strict ? outDegrees[o] > inDegrees[i] : outDegrees[o] >= inDegrees[i];
                assertEquals(connected ? 1.0 : 0.0, mask[o * inDegrees.length + i], "mask[" + o + ", " + i + "]");
            }
        }
    }

    private static void checkCoupling(NflowsFixture f, int multiplier) {
        int d = f.features();
        assertTrue(f.booleanArg("mask_even"));
        int transformed = (d + 1) / 2;
        int identity = d / 2;
        double[] mask = new double[d];
        double[] transformIdx = new double[transformed];
        double[] identityIdx = new double[identity];
        for (int i = 0; i < d; i++) {
            mask[i] = i % 2 == 0 ? 1 : 0;
            if (i % 2 == 0) {
                transformIdx[i / 2] = i;
            } else {
                identityIdx[i / 2] = i;
            }
        }
        for (int i = 0; i < d; i++) {
            assertEquals(mask[i], f.arg("mask").get(i).doubleValue(), "mask[" + i + "]");
        }
        assertArrayEquals(transformIdx, buffer(f, "transform_features").values());
        assertArrayEquals(identityIdx, buffer(f, "identity_features").values());
        var net = f.arg("transform_net");
        int h = net.get("hidden_features").intValue();
        int blocks = net.get("num_blocks").intValue();
        String p = "transform_net.";
        assertArrayEquals(new int[] {h, identity}, f.parameter(p + "initial_layer.weight").shape());
        assertArrayEquals(new int[] {transformed * multiplier, h}, f.parameter(p + "final_layer.weight").shape());
        assertEquals(2 + 4 * blocks + 2, f.parameters().size());
        for (int b = 0; b < blocks; b++) {
            assertArrayEquals(new int[] {h, h}, f.parameter(p + "blocks." + b + ".linear_layers.0.weight").shape());
            assertTrue(maxAbs(f.parameter(p + "blocks." + b + ".linear_layers.1.weight").values()) > 0.05,
                    "block " + b + " output layer was randomised");
        }
        if (f.simpleClassName().startsWith("PiecewiseRationalQuadratic")) {
            assertTrue(f.booleanArg("widths_heights_divided_by_sqrt_hidden"));
            checkOutsideIsIdentityOnTransformedFeatures(f);
        }
    }

    private static void checkOutsideIsIdentityOnTransformedFeatures(NflowsFixture f) {
        double bound = f.doubleArg("tail_bound");
        int d = f.features();
        double[] x = f.forwardInputs().values();
        double[] y = f.results().float64().forward().outputs().values();
        int outside = 0;
        for (int i = 0; i < x.length; i++) {
            boolean transformedFeature = (i % d) % 2 == 0;
            if (transformedFeature && Math.abs(x[i]) > bound) {
                outside++;
                assertEquals(x[i], y[i], 0.0, "transformed input " + i + " outside the tail bound is unchanged");
            }
        }
        assertTrue(outside >= 1, "a transformed feature lies outside the tail bound");
    }

    @Test
    void rqAutoregressiveDoesNotScaleTheSoftmaxInputs() {
        // nflows 0.14's MADE has no hidden_features attribute, so only the coupling layer divides by sqrt(H).
        NflowsFixture f = NflowsFixture.load("rq_autoregressive_f5_h16_b2_k8");
        assertFalse(f.booleanArg("widths_heights_divided_by_sqrt_hidden"));
        checkOutsideIsIdentity(f, f.doubleArg("tail_bound"));
    }

    @Test
    void copiesEveryParameterByName() {
        NflowsFixture f = NflowsFixture.load("lu_linear_f6");
        Map<String, Parameter> ours = parametersShapedLike(f);
        long before = ours.get("bias").version();
        f.copyParametersInto(ours);
        assertArrayEquals(f.parameter("upper_entries").values(), ours.get("upper_entries").values());
        assertArrayEquals(f.parameter("bias").values(), ours.get("bias").values());
        assertTrue(ours.get("bias").version() > before, "copy marks the parameter updated");
    }

    @Test
    void copyFailsLoudlyOnAMissingParameter() {
        NflowsFixture f = NflowsFixture.load("lu_linear_f6");
        Map<String, Parameter> ours = parametersShapedLike(f);
        ours.remove("lower_entries");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.copyParametersInto(ours));
        assertTrue(e.getMessage().contains("lower_entries[15] has no parameter"), e.getMessage());
    }

    @Test
    void copyFailsLoudlyOnAShapeMismatch() {
        NflowsFixture f = NflowsFixture.load("maf_affine_f6_h16_b2");
        Map<String, Parameter> ours = parametersShapedLike(f);
        ours.put("autoregressive_net.initial_layer.weight", new Parameter(6, 16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.copyParametersInto(ours));
        assertTrue(e.getMessage().contains("fixture shape [16, 6], our parameter's [6, 16]"), e.getMessage());
        assertEquals(0.0, ours.get("autoregressive_net.final_layer.bias").values()[0], "nothing copied on failure");
    }

    @Test
    void copyFailsLoudlyOnAParameterTheFixtureLacks() {
        NflowsFixture f = NflowsFixture.load("reverse_permutation_f6");
        Map<String, Parameter> ours = new LinkedHashMap<>();
        ours.put("weight", new Parameter(6, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.copyParametersInto(ours));
        assertTrue(e.getMessage().contains("our parameter weight[6, 6] is not in the fixture"), e.getMessage());
    }

    @Test
    void tensorsRejectAShapeThatDoesNotMatchTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tensor(new int[] {2, 3}, new double[5]));
        assertTrue(e.getMessage().contains("[2, 3] needs 6 values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tensor(new int[] {1}, new double[] {Double.NaN}));
    }

    @Test
    void aMissingConstructorArgumentIsNamed() {
        NflowsFixture f = NflowsFixture.load("lu_linear_f6");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.intArg("num_bins"));
        assertTrue(e.getMessage().contains("'num_bins'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void referencesPassTheirOwnParityCheck(String name) {
        NflowsFixture f = NflowsFixture.load(name);
        for (String direction : List.of("forward", "inverse")) {
            NflowsFixture.Direction r64 = direction.equals("forward") ? f.results().float64().forward() : f.results().float64().inverse();
            NflowsFixture.Direction r32 = direction.equals("forward") ? f.results().float32().forward() : f.results().float32().inverse();
            ParityAssertions.assertMatches(f, direction, Precision.FP64, r64.outputs().values(), r64.logabsdet().values());
            // The exact (float64) numbers are always acceptable for an FP32 computation, and so are nflows' own.
            ParityAssertions.assertMatches(f, direction, Precision.FP32, r64.outputs().values(), r64.logabsdet().values());
            ParityAssertions.assertMatches(f, direction, Precision.FP32, r32.outputs().values(), r32.logabsdet().values());
        }
    }

    @Test
    void parityCheckReportsTheWorstEntry() {
        NflowsFixture f = NflowsFixture.load("maf_affine_f6_h16_b2");
        double[] out = f.results().float64().forward().outputs().values().clone();
        double[] ld = f.results().float64().forward().logabsdet().values();
        out[2 * 6 + 4] += 1e-6;
        AssertionError e = assertThrows(AssertionError.class,
                () -> ParityAssertions.assertMatches(f, "forward", Precision.FP64, out, ld));
        assertTrue(e.getMessage().contains("1 of 120 entries off; worst at [2, 4]"), e.getMessage());
        assertDoesNotThrow(() -> ParityAssertions.assertMatches(f, "forward", Precision.FP32, out, ld),
                "1e-6 is within the fp32 tolerance");
        out[0] += 1e-3;
        assertThrows(AssertionError.class, () -> ParityAssertions.assertMatches(f, "forward", Precision.FP32, out, ld));
    }

    private static Map<String, Parameter> parametersShapedLike(NflowsFixture f) {
        Map<String, Parameter> ours = new LinkedHashMap<>();
        for (NamedTensor t : f.parameters()) {
            ours.put(t.name(), new Parameter(t.shape()));
        }
        return ours;
    }

    private static NamedTensor buffer(NflowsFixture f, String name) {
        return f.buffers().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("fixture " + f.name() + " has no buffer " + name));
    }

    private static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
