package io.autonf.parity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The prdc fixtures load and their stored radii are what their documented definition gives. */
class PrdcFixtureTest {

    static List<String> names() {
        return PrdcFixture.names();
    }

    @Test
    void everyExpectedFixtureIsCommitted() {
        assertEquals(List.of(
                "far_apart_real50x3_fake40x3_k2",
                "gauss_real100x3_fake100x3_k3",
                "gauss_real200x5_fake250x5_k5",
                "grid_ties_real60x2_fake50x2_k3",
                "identical_real80x4_fake80x4_k5"), PrdcFixture.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void loadsWithConsistentShapes(String name) {
        PrdcFixture f = PrdcFixture.load(name);
        assertEquals("0.2", f.versions().get("prdc"));
        double[][] real = f.realRows();
        double[][] fake = f.fakeRows();
        assertEquals(f.real().shape()[0], real.length);
        assertEquals(f.dimension(), fake[0].length);
        assertEquals(f.realRadii().length, real.length);
        assertEquals(f.fakeRadii().length, fake.length);
    }

    /** Radius = distance to the k-th nearest other point of the same set, duplicates counting at distance 0. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void storedRadiiFollowTheDefinition(String name) {
        PrdcFixture f = PrdcFixture.load(name);
        assertArrayEquals(f.realRadii(), radii(f.realRows(), f.nearestK()), 1e-12);
        assertArrayEquals(f.fakeRadii(), radii(f.fakeRows(), f.nearestK()), 1e-12);
    }

    @Test
    void edgeCasesHaveTheirKnownValues() {
        PrdcFixture same = PrdcFixture.load("identical_real80x4_fake80x4_k5");
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0), List.of(same.precision(), same.recall(), same.density(), same.coverage()));
        PrdcFixture far = PrdcFixture.load("far_apart_real50x3_fake40x3_k2");
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0), List.of(far.precision(), far.recall(), far.density(), far.coverage()));
        PrdcFixture ties = PrdcFixture.load("grid_ties_real60x2_fake50x2_k3");
        assertTrue(Arrays.stream(ties.realRadii()).anyMatch(r -> r == 0.0), "duplicates give zero radii");
        for (double v : ties.real().values()) {
            assertEquals(Math.rint(v), v, "tie case uses integer coordinates so every distance is exact");
        }
    }

    private static double[] radii(double[][] points, int k) {
        double[] out = new double[points.length];
        double[] d = new double[points.length - 1];
        for (int i = 0; i < points.length; i++) {
            int n = 0;
            for (int j = 0; j < points.length; j++) {
                if (j != i) {
                    double s = 0;
                    for (int c = 0; c < points[i].length; c++) {
                        double diff = points[i][c] - points[j][c];
                        s += diff * diff;
                    }
                    d[n++] = Math.sqrt(s);
                }
            }
            Arrays.sort(d);
            out[i] = d[k - 1];
        }
        return out;
    }
}
