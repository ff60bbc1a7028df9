package io.autonf.flow.transforms;

import io.autonf.flow.Parameter;
import io.autonf.nn.Network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the autoregressive and coupling transforms share about their conditioner network. */
final class ConditionedTransforms {

    private ConditionedTransforms() {
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

    /** nflows divides spline widths and heights by sqrt(hidden features) when the conditioner exposes it. */
    static double inverseSqrtHidden(Network network) {
        return 1.0 / Math.sqrt(network.hiddenFeatures());
    }
}
