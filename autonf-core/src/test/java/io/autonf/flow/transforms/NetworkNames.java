package io.autonf.flow.transforms;

import io.autonf.flow.Parameter;
import io.autonf.nn.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Checks that a transform exposes its conditioner's parameters under nflows' state_dict names. */
final class NetworkNames {

    private NetworkNames() {
    }

    static void assertPrefixed(String prefix, Network network, Map<String, Parameter> parameters) {
        List<String> expected = new ArrayList<>();
        for (String name : network.parameters().keySet()) {
            expected.add(prefix + "." + name);
        }
        assertEquals(expected, List.copyOf(parameters.keySet()), "names and order");
        for (Map.Entry<String, Parameter> e : network.parameters().entrySet()) {
            assertSame(e.getValue(), parameters.get(prefix + "." + e.getKey()), e.getKey());
        }
    }
}
