package io.autonf.flow.transforms;

import io.autonf.flow.Architecture;
import io.autonf.flow.Precision;
import io.autonf.flow.Transform;
import io.autonf.flow.TransformContract;
import org.junit.jupiter.api.Test;

import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentityTransformTest extends TransformContract {

    @Override
    protected Transform create(int dimension, Precision precision, RandomGenerator rng) {
        return new IdentityTransform(dimension);
    }

    @Test
    void identityLayersDropOutOfAnArchitecture() {
        assertEquals("maf,rq-c", Architecture.parse("identity,maf,identity,rq-c").withoutIdentity().toString());
        assertThrows(IllegalArgumentException.class, () -> Architecture.parse("identity,identity").withoutIdentity());
    }
}
