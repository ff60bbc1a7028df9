package io.autonf.parity;

import io.autonf.flow.ForwardPass;
import io.autonf.flow.Mapping;
import io.autonf.flow.Precision;
import io.autonf.flow.transforms.ReversePermutation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one transform already in main, against nflows' ReversePermutation; the other transforms are covered by
 * NflowsParityTest once they land.
 */
class ReversePermutationParityTest {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void matchesNflows(Precision precision) {
        NflowsFixture fixture = NflowsFixture.load("reverse_permutation_f6");
        ReversePermutation transform = new ReversePermutation(fixture.features());
        fixture.copyParametersInto(transform.parameters());

        ForwardPass forward = transform.forward(fixture.forwardBatch());
        ParityAssertions.assertMatches(fixture, "forward", precision, forward.outputs().values(), forward.logAbsDet());
        Mapping inverse = transform.inverse(fixture.inverseBatch());
        ParityAssertions.assertMatches(fixture, "inverse", precision, inverse.outputs().values(), inverse.logAbsDet());
    }
}
