package io.autonf.metric;

import io.autonf.flow.Batch;
import io.autonf.parity.PrdcFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every fixture computed by the prdc package itself is reproduced bit for bit: the four metrics and every real
 * and fake radius, with one and with two threads.
 */
class PrdcFixtureParityTest {

    static List<String> names() {
        return PrdcFixture.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void theFourMetricsAreExactlyPrdcs(String name) {
        PrdcFixture f = PrdcFixture.load(name);
        for (int threads : new int[] {1, 2}) {
            PrdcResult r = Prdc.compute(f.real().toBatch(), f.fake().toBatch(), f.nearestK(), threads);
            assertEquals(f.precision(), r.precision(), 0.0, name + " precision, threads " + threads);
            assertEquals(f.recall(), r.recall(), 0.0, name + " recall, threads " + threads);
            assertEquals(f.density(), r.density(), 0.0, name + " density, threads " + threads);
            assertEquals(f.coverage(), r.coverage(), 0.0, name + " coverage, threads " + threads);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyRadiusIsExactlyPrdcs(String name) {
        PrdcFixture f = PrdcFixture.load(name);
        Batch real = f.real().toBatch();
        Batch fake = f.fake().toBatch();
        for (int threads : new int[] {1, 2}) {
            assertArrayEquals(f.realRadii(), Prdc.radii(real, f.nearestK(), threads), 0.0, name + " real radii");
            assertArrayEquals(f.fakeRadii(), Prdc.radii(fake, f.nearestK(), threads), 0.0, name + " fake radii");
        }
    }
}
