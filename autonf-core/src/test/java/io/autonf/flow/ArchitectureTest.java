package io.autonf.flow;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {

    @Test
    void roundTripsThroughItsText() {
        Architecture a = Architecture.parse("rq-c, maf,affine-c,RQ-AR,planar,radial");
        assertEquals(6, a.size());
        assertEquals(LayerKind.RQ_AR, a.layer(3));
        assertEquals("rq-c,maf,affine-c,rq-ar,planar,radial", a.toString());
        assertEquals(a, Architecture.parse(a.toString()));
    }

    @Test
    void namesTheUnknownLayerAndTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("maf,glow"));
        assertTrue(e.getMessage().contains("'glow'") && e.getMessage().contains("rq-c"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architecture.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> Architecture.parse("maf,,rq-c"));
    }
}
