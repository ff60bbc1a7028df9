package io.autonf.metric;

import io.autonf.flow.Batch;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of {@link Prdc} beyond the prdc fixtures, and its agreement with a brute-force definition. */
class PrdcTest {

    private static Batch gaussian(int rows, int d, double shift, SplittableRandom rng) {
        double[] v = new double[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + rng.nextGaussian();
        }
        return new Batch(v, rows, d);
    }

    /** Small integers: many duplicate points and equal distances. */
    private static Batch grid(int rows, int d, int from, int to, SplittableRandom rng) {
        double[] v = new double[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(from, to);
        }
        return new Batch(v, rows, d);
    }

    @Test
    void anyNumberOfThreadsGivesExactlyTheSameResult() {
        SplittableRandom rng = new SplittableRandom(11);
        // Sizes that are not multiples of the tiles, and more tasks than threads.
        Batch real = gaussian(1531, 7, 0.0, rng);
        Batch fake = gaussian(1467, 7, 0.2, rng);
        PrdcResult one = Prdc.compute(real, fake, 5, 1);
        double[] radii = Prdc.radii(real, 5, 1);
        for (int threads : new int[] {2, 3, 8}) {
            assertEquals(one, Prdc.compute(real, fake, 5, threads), "threads " + threads);
            assertArrayEquals(radii, Prdc.radii(real, 5, threads), 0.0, "threads " + threads);
        }
    }

    @Test
    void agreesExactlyWithABruteForceDefinitionIncludingTiesAndDuplicates() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 24; trial++) {
            int d = 1 + rng.nextInt(9);
            int n = 2 + rng.nextInt(90);
            int m = 2 + rng.nextInt(90);
            int k = 1 + rng.nextInt(Math.min(n, m) - 1);
            boolean ties = trial % 2 == 0;
            Batch real = ties ? grid(n, d, 0, 3, rng) : gaussian(n, d, 0.0, rng);
            Batch fake = ties ? grid(m, d, -1, 4, rng) : gaussian(m, d, 0.3, rng);
            String what = "trial " + trial + ": " + n + " real, " + m + " fake, d " + d + ", k " + k;
            assertEquals(BruteForce.prdc(real, fake, k), Prdc.compute(real, fake, k, 2), what);
            assertArrayEquals(BruteForce.radii(real, k), Prdc.radii(real, k, 2), 0.0, what);
        }
        // Large enough for several tasks and column chunks per pass.
        Batch real = grid(300, 3, 0, 6, rng);
        Batch fake = gaussian(280, 3, 2.5, rng);
        assertEquals(BruteForce.prdc(real, fake, 5), Prdc.compute(real, fake, 5, 2));
        assertEquals(BruteForce.prdc(fake, real, 7), Prdc.compute(fake, real, 7, 2));
    }

    @Test
    void identicalSetsHaveDensityOneAndFullCoverage() {
        Batch real = gaussian(700, 5, 0.0, new SplittableRandom(3));
        PrdcResult r = Prdc.compute(real, real.copy(), 5, 2);
        // Each ball holds the copies of its centre and of its k - 1 nearer neighbours; the copy of the k-th
        // neighbour sits exactly on the boundary and is outside. Without ties that is exactly k per ball.
        assertEquals(new PrdcResult(1.0, 1.0, 1.0, 1.0), r);
    }

    @Test
    void farApartSetsScoreZeroEverywhere() {
        SplittableRandom rng = new SplittableRandom(4);
        PrdcResult r = Prdc.compute(gaussian(300, 6, 0.0, rng), gaussian(200, 6, 50.0, rng), 5, 2);
        assertEquals(new PrdcResult(0, 0, 0, 0), r);
    }

    @Test
    void kMustLeaveKOtherPointsInEachSet() {
        SplittableRandom rng = new SplittableRandom(6);
        Batch real = gaussian(10, 2, 0.0, rng);
        Batch fake = gaussian(12, 2, 0.0, rng);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prdc.compute(real, fake, 10, 1));
        assertTrue(e.getMessage().contains("k = 10") && e.getMessage().contains("11 real points")
                && e.getMessage().contains("got 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Prdc.compute(fake, real, 10, 1));
        assertTrue(e.getMessage().contains("fake points"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Prdc.compute(real, fake, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Prdc.radii(real, 10, 1));
        // k = N - 1 is the largest: every ball reaches the farthest other point (prdc's argpartition refuses it).
        assertEquals(BruteForce.prdc(real, fake, 9), Prdc.compute(real, fake, 9, 1));
    }

    @Test
    void setsOfDifferentDimensionAreRejected() {
        SplittableRandom rng = new SplittableRandom(7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Prdc.compute(gaussian(20, 3, 0, rng), gaussian(20, 4, 0, rng), 5, 1));
        assertTrue(e.getMessage().contains("4 coordinates") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void nonFiniteCoordinatesAndBadThreadCountsAreRejected() {
        SplittableRandom rng = new SplittableRandom(8);
        Batch real = gaussian(20, 3, 0, rng);
        Batch fake = gaussian(20, 3, 0, rng);
        fake.values()[3 * 4 + 1] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prdc.compute(real, fake, 5, 1));
        assertTrue(e.getMessage().contains("fake") && e.getMessage().contains("row 5, column 2"), e.getMessage());
        fake.values()[3 * 4 + 1] = 1e200;
        e = assertThrows(IllegalArgumentException.class, () -> Prdc.compute(real, fake, 5, 1));
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Prdc.compute(real, real, 5, 0));
    }

    @Test
    void squaredNormsAreSummedInNumpysEinsumOrder() {
        // numpy 1.24: np.einsum('ij,ij->i', x, x) on these rows; a plain left-to-right sum differs in the last bit.
        double[] x8 = {3.086570621855704, 4.92576012201345, 3.440158588789841, -2.9195385464236967,
                -4.178400289130605, 0.20158906521329167, 2.584052753821279, 1.5275603965370639};
        assertEquals(80.65886395041906, Distances.squaredNorm(x8, 0, 8), 0.0);
        double[] x13 = {-1.8300537869637163, -2.2961661606125596, -1.8960264578521504, -2.014814365070996,
                -1.3533341598186306, 3.4370317016746985, -2.4019259439590313, 2.660706213350811, 1.2527539829819243,
                0.41924905468059037, -2.482205565062255, -1.3700826387774727, 5.920666020987925};
        assertEquals(87.60709456348435, Distances.squaredNorm(x13, 0, 13), 0.0);
        double[] x43 = {0.2972037346453147, 1.6146232417220268, 1.9890948981841663, 3.166924631431211,
                -0.7125490905984988, -1.8305927160464215, -0.17884192317558775, -0.7824581522910692, 2.372030148446804,
                0.5688312092308161, 0.7178113632920163, 0.4350283514030011, 3.6851030417173227, -1.6278815420243578,
                -1.4350683670122026, 2.6553923886981328, -0.31923033014926966, 1.082634256039947, -2.186964992257264,
                0.06999332255152517, 1.2955014852213045, -3.98230981713823, -2.0848022052455786, 1.2691877045080482,
                6.746424225317705, 1.3868580060019666, -0.17675875095597582, -2.5356336717768433, 1.1748778075193804,
                -7.504220277051347, -0.14858790901159805, -0.9904339663179068, -1.558238743702478, 6.961060142298645,
                -7.420615685736081, -0.06682445799340773, 0.20693723516492962, 1.401989454315438, -4.805102099122734,
                -1.399867853392668, -4.4863452051819195, -0.3828562255386998, 0.5877583068729317};
        assertEquals(348.9612830834642, Distances.squaredNorm(x43, 0, 43), 0.0);
    }

    @Test
    void strictBoundSeparatesExactlyWhatTheSquareRootComparisonSeparates() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 2000; trial++) {
            double q = trial == 0 ? 0.0 : Math.scalb(rng.nextDouble(1, 2), rng.nextInt(-30, 30));
            double bound = Distances.strictBound(q);
            double radius = Math.sqrt(q);
            double s = bound;
            for (int step = 0; step < 4; step++) {
                s = Math.nextDown(s);
            }
            for (int step = 0; step < 9; step++, s = Math.nextUp(s)) {
                if (s >= 0) {
                    assertEquals(Math.sqrt(s) < radius, s < bound, "q " + q + ", s " + s);
                }
            }
        }
    }

    /** The definition, computed the obvious way: full distance rows, sorted, square roots compared. */
    static final class BruteForce {

        private BruteForce() {
        }

        static double[][] distances(Batch x, Batch y, boolean zeroDiagonal) {
            int d = x.cols();
            double[][] out = new double[x.rows()][y.rows()];
            for (int i = 0; i < x.rows(); i++) {
                double nx = Distances.squaredNorm(x.values(), i * d, d);
                for (int j = 0; j < y.rows(); j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot = Math.fma(x.get(i, c), y.get(j, c), dot);
                    }
                    double q = Distances.squaredDistance(dot, nx, Distances.squaredNorm(y.values(), j * d, d));
                    out[i][j] = zeroDiagonal && i == j ? 0.0 : Math.sqrt(q);
                }
            }
            return out;
        }

        static double[] radii(Batch x, int k) {
            double[][] dist = distances(x, x, true);
            double[] r = new double[x.rows()];
            for (int i = 0; i < r.length; i++) {
                double[] row = dist[i].clone();
                Arrays.sort(row);
                r[i] = row[k];
            }
            return r;
        }

        static PrdcResult prdc(Batch real, Batch fake, int k) {
            double[] realRadii = radii(real, k);
            double[] fakeRadii = radii(fake, k);
            double[][] dist = distances(real, fake, false);
            int n = real.rows();
            int m = fake.rows();
            int precise = 0;
            long balls = 0;
            for (int j = 0; j < m; j++) {
                int count = 0;
                for (int i = 0; i < n; i++) {
                    count += dist[i][j] < realRadii[i] ? 1 : 0;
                }
                balls += count;
                precise += count > 0 ? 1 : 0;
            }
            int recalled = 0;
            int covered = 0;
            for (int i = 0; i < n; i++) {
                boolean recall = false;
                double nearest = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    recall |= dist[i][j] < fakeRadii[j];
                    nearest = Math.min(nearest, dist[i][j]);
                }
                recalled += recall ? 1 : 0;
                covered += nearest < realRadii[i] ? 1 : 0;
            }
            return new PrdcResult((double) precise / m, (double) recalled / n, (1.0 / k) * ((double) balls / m),
                    (double) covered / n);
        }
    }
}
