package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Parameter;
import io.autonf.flow.spline.SplineSettings;
import io.autonf.nn.Network;
import io.autonf.nn.Networks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** What the autoregressive and coupling transforms share about their conditioner network. */
final class ConditionedTransforms {

    private ConditionedTransforms() {
    }

    /** Conditioners as nflows builds them for autoregressive layers: a residual MADE from the layer settings. */
    static ConditionerFactory made(LayerSettings settings, RandomGenerator rng) {
        requireSettings(settings, rng);
        return (features, outputs) -> Networks.made(features, outputs / features, settings.hiddenFeatures(),
                settings.blocks(), settings.precision(), rng);
    }

    /** Conditioners as nflows' coupling examples build them: a ResidualNet from the layer settings. */
    static ConditionerFactory residual(LayerSettings settings, RandomGenerator rng) {
        requireSettings(settings, rng);
        return (inputs, outputs) -> Networks.residual(inputs, outputs, settings.hiddenFeatures(), settings.blocks(),
                settings.precision(), rng);
    }

    /** The spline of a rational-quadratic layer: the settings' bins and tail bound, nflows' default minima. */
    static SplineSettings splineSettings(LayerSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("layer settings are required");
        }
        return SplineSettings.of(settings.bins(), settings.tailBound());
    }

    private static void requireSettings(LayerSettings settings, RandomGenerator rng) {
        if (settings == null) {
            throw new IllegalArgumentException("layer settings are required");
        }
        if (rng == null) {
            throw new IllegalArgumentException("a random generator is required");
        }
    }

    /** The network's parameters under {@code prefix + "." + name}, in the network's order. */
    static Map<String, Parameter> prefixed(String prefix, Network network) {
        Map<String, Parameter> all = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
            all.put(prefix + "." + e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(all);
    }

    /** Throws unless {@code network} maps {@code inputs} features to {@code outputs}. */
    static Network requireShape(Network network, int inputs, int outputs, String owner) {
        if (network == null) {
            throw new IllegalArgumentException(owner + " needs a conditioner network");
        }
        if (network.inputs() != inputs || network.outputs() != outputs) {
            throw new IllegalArgumentException(owner + " needs a conditioner mapping " + inputs + " to " + outputs
                    + " features, got " + network.inputs() + " to " + network.outputs());
        }
        return network;
    }

    /** Throws unless the gradients of a backward pass match the shape of its forward pass. */
    static void requireGradients(Batch gradOutputs, double[] gradLogAbsDet, int rows, int cols, Object owner) {
        String what = owner.getClass().getSimpleName();
        gradOutputs.requireCols(cols, "output gradient of " + what);
        if (gradOutputs.rows() != rows) {
            throw new IllegalArgumentException("output gradient of " + what + " has " + gradOutputs.rows()
                    + " rows, the forward pass had " + rows);
        }
        if (gradLogAbsDet == null || gradLogAbsDet.length != rows) {
            throw new IllegalArgumentException("log|det| gradient of " + what + " needs " + rows + " values, got "
                    + (gradLogAbsDet == null ? "null" : String.valueOf(gradLogAbsDet.length)));
        }
    }

    /** nflows divides spline widths and heights by sqrt(hidden features) when the conditioner exposes it. */
    static double inverseSqrtHidden(Network network) {
        return 1.0 / Math.sqrt(network.hiddenFeatures());
    }
}
