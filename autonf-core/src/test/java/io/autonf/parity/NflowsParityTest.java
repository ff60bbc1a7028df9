package io.autonf.parity;

import io.autonf.flow.ForwardPass;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Mapping;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.spline.RationalQuadraticSpline;
import io.autonf.flow.transforms.AffineCoupling;
import io.autonf.flow.transforms.LuLinear;
import io.autonf.flow.transforms.MaskedAffineAutoregressive;
import io.autonf.flow.transforms.ReversePermutation;
import io.autonf.flow.transforms.RqAutoregressive;
import io.autonf.flow.transforms.RqCoupling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our transforms against nflows 0.14 on the committed fixtures: same constructor settings, every state_dict
 * parameter copied by name, forward and inverse outputs and log|det| compared (tolerances in
 * {@link ParityAssertions}).
 *
 * <p>Kept out of the Maven build (src/test/java-pending) until the transforms land in main; move it to
 * src/test/java/io/autonf/parity then.
 */
class NflowsParityTest {

    static Stream<Arguments> transformFixtures() {
        return NflowsFixture.names().stream()
                .map(NflowsFixture::load)
                .filter(f -> !f.isSpline())
                .flatMap(f -> Stream.of(Arguments.of(f, Precision.FP32), Arguments.of(f, Precision.FP64)));
    }

    static Stream<NflowsFixture> splineFixtures() {
        return NflowsFixture.names().stream().map(NflowsFixture::load).filter(NflowsFixture::isSpline);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transformFixtures")
    void transformMatchesNflows(NflowsFixture fixture, Precision precision) {
        Transform transform = build(fixture, precision);
        assertEquals(fixture.features(), transform.dimension());
        fixture.copyParametersInto(transform.parameters());

        ForwardPass forward = transform.forward(fixture.forwardBatch());
        ParityAssertions.assertMatches(fixture, "forward", precision, forward.outputs().values(), forward.logAbsDet());

        Mapping inverse = transform.inverse(fixture.inverseBatch());
        ParityAssertions.assertMatches(fixture, "inverse", precision, inverse.outputs().values(), inverse.logAbsDet());
    }

    /** The pure spline is fp64 maths whatever the networks' precision: it is held to the float64 reference. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("splineFixtures")
    void splineMatchesNflows(NflowsFixture fixture) {
        int bins = fixture.intArg("num_bins");
        double bound = fixture.doubleArg("tail_bound");
        assertEquals("linear", fixture.arg("tails").asText());
        assertEquals(1e-3, fixture.doubleArg("min_bin_width"), "our minimum bin width is fixed at 1e-3");
        assertEquals(1e-3, fixture.doubleArg("min_bin_height"), "our minimum bin height is fixed at 1e-3");
        assertEquals(1e-3, fixture.doubleArg("min_derivative"), "our minimum derivative is fixed at 1e-3");
        double[] widths = fixture.parameter("unnormalized_widths").values();
        double[] heights = fixture.parameter("unnormalized_heights").values();
        double[] derivatives = fixture.parameter("unnormalized_derivatives").values();

        double[] x = fixture.forwardInputs().values();
        double[] y = new double[x.length];
        double[] logDet = new double[x.length];
        RationalQuadraticSpline.forward(x, widths, heights, derivatives, bins, bound, y, logDet);
        ParityAssertions.assertMatches(fixture, "forward", Precision.FP64, y, logDet);

        double[] z = fixture.inverseInputs().values();
        double[] xz = new double[z.length];
        double[] logDetInverse = new double[z.length];
        RationalQuadraticSpline.inverse(z, widths, heights, derivatives, bins, bound, xz, logDetInverse);
        ParityAssertions.assertMatches(fixture, "inverse", Precision.FP64, xz, logDetInverse);
    }

    /** Builds our counterpart of the fixture's nflows module with the same settings. */
    static Transform build(NflowsFixture f, Precision precision) {
        int d = f.features();
        // Initial values are overwritten by the fixture's parameters; the seed only has to be fixed.
        SplittableRandom rng = new SplittableRandom(7);
        return switch (f.simpleClassName()) {
            case "ReversePermutation" -> new ReversePermutation(d);
            case "LULinear" -> {
                assertTrue(f.booleanArg("identity_init"));
                assertEquals(1e-3, f.doubleArg("eps"), "our LU diagonal floor is 1e-3");
                yield new LuLinear(d);
            }
            case "MaskedAffineAutoregressiveTransform" -> {
                checkMadeOptions(f);
                yield new MaskedAffineAutoregressive(d, madeSettings(f, precision), rng);
            }
            case "MaskedPiecewiseRationalQuadraticAutoregressiveTransform" -> {
                checkMadeOptions(f);
                assertEquals("linear", f.arg("tails").asText());
                LayerSettings s = madeSettings(f, precision)
                        .withBins(f.intArg("num_bins"))
                        .withTailBound(f.doubleArg("tail_bound"));
                yield new RqAutoregressive(d, s, rng);
            }
            case "AffineCouplingTransform" -> new AffineCoupling(d, f.booleanArg("mask_even"), couplingSettings(f, precision), rng);
            case "PiecewiseRationalQuadraticCouplingTransform" -> {
                assertEquals("linear", f.arg("tails").asText());
                LayerSettings s = couplingSettings(f, precision)
                        .withBins(f.intArg("num_bins"))
                        .withTailBound(f.doubleArg("tail_bound"));
                yield new RqCoupling(d, f.booleanArg("mask_even"), s, rng);
            }
            default -> throw new IllegalArgumentException("no counterpart for nflows class " + f.nflowsClass());
        };
    }

    private static void checkMadeOptions(NflowsFixture f) {
        assertTrue(f.booleanArg("use_residual_blocks"), "our MADE uses residual blocks");
        assertEquals(false, f.booleanArg("random_mask"));
        assertEquals(false, f.booleanArg("use_batch_norm"));
        assertEquals(0.0, f.doubleArg("dropout_probability"));
        assertEquals("relu", f.arg("activation").asText());
    }

    private static LayerSettings madeSettings(NflowsFixture f, Precision precision) {
        return LayerSettings.DEFAULT
                .withHiddenFeatures(f.intArg("hidden_features"))
                .withBlocks(f.intArg("num_blocks"))
                .withPrecision(precision);
    }

    private static LayerSettings couplingSettings(NflowsFixture f, Precision precision) {
        var net = f.arg("transform_net");
        assertEquals("relu", net.get("activation").asText());
        assertEquals(false, net.get("use_batch_norm").booleanValue());
        assertEquals(0.0, net.get("dropout_probability").doubleValue());
        return LayerSettings.DEFAULT
                .withHiddenFeatures(net.get("hidden_features").intValue())
                .withBlocks(net.get("num_blocks").intValue())
                .withPrecision(precision);
    }
}
