package io.autonf.metric;

import io.autonf.flow.Batch;
import io.autonf.telemetry.AutoNfMeters;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Precision, recall, density and coverage (Naeem et al. 2020, "Reliable Fidelity and Diversity Metrics for
 * Generative Models") exactly as version 0.2 of the {@code prdc} package computes them.
 *
 * <p>Definitions, for N real points r_i, M fake points f_j and k neighbours:
 * <ul>
 *   <li>distances are Euclidean; the radius of a point is the distance to its k-th nearest neighbour in its own
 *       set, the point itself excluded (a duplicate of it counts, at distance 0);</li>
 *   <li>a point lies in a ball when its distance to the centre is strictly less than the radius;</li>
 *   <li>precision = (1/M) #{j : f_j is in some real ball}, recall = (1/N) #{i : r_i is in some fake ball};</li>
 *   <li>density = (1/k) (1/M) sum_j #{i : f_j is in r_i's ball};</li>
 *   <li>coverage = (1/N) #{i : the nearest fake point is in r_i's ball}.</li>
 * </ul>
 * The arithmetic follows prdc's to the last bit (see {@link Distances}), including the order in which density
 * is divided by M and then by k.
 *
 * <p>The k-NN search is exact and visits all N(N-1)/2 + M(M-1)/2 + NM pairs in cache-sized tiles, never holding
 * a distance matrix: memory is a few arrays per point and per worker. Results are identical for any number of
 * threads. When k is larger than the smaller set allows, or the sets' dimensions differ, or a coordinate is not
 * finite, an {@link IllegalArgumentException} says so before any work starts.
 *
 * <p>The k-NN passes are timed as {@value AutoNfMeters#KNN} (tag {@code stage}: the radii, then the ball
 * counts) in Micrometer's global registry.
 */
public final class Prdc {

    /** The paper's and prdc's customary k. */
    public static final int DEFAULT_K = 5;

    /*
     * The k-NN passes are the metrics' whole cost, so they are what is timed; a static utility has no registry of
     * its own and records in the global one (which forwards to whatever the application added).
     */
    private static final Timer KNN_RADII = Timer.builder(AutoNfMeters.KNN).tag("stage", "radii")
            .description("exact k-NN pass of the PRDC metrics").register(Metrics.globalRegistry);
    private static final Timer KNN_BALLS = Timer.builder(AutoNfMeters.KNN).tag("stage", "balls")
            .description("exact k-NN pass of the PRDC metrics").register(Metrics.globalRegistry);

    private Prdc() {
    }

    /**
     * The four metrics of {@code fake} against {@code real}.
     *
     * @param real    the reference (test) points, one per row; at least k + 1 of them
     * @param fake    the generated points, as many columns as {@code real}; at least k + 1 of them
     * @param k       neighbours that define each ball, at least 1
     * @param threads worker threads, at least 1; the result does not depend on it
     */
    public static PrdcResult compute(Batch real, Batch fake, int k, int threads) {
        requireThreads(threads);
        try (TaskPool pool = new TaskPool(threads)) {
            return compute(real, fake, k, pool);
        }
    }

    /** {@link #compute(Batch, Batch, int, int)} on a pool the caller owns. */
    static PrdcResult compute(Batch real, Batch fake, int k, TaskPool pool) {
        if (real.cols() != fake.cols()) {
            throw new IllegalArgumentException("the fake points have " + fake.cols()
                    + " coordinates but the real points have " + real.cols());
        }
        requireK(k, real.rows(), "real points");
        requireK(k, fake.rows(), "fake points");
        PointSet realSet = PointSet.of(real, "real");
        PointSet fakeSet = PointSet.of(fake, "fake");
        long start = System.nanoTime();
        double[] realBounds = bounds(NearestNeighbours.kthSquaredDistances(realSet, k, pool), realSet.padded);
        double[] fakeBounds = bounds(NearestNeighbours.kthSquaredDistances(fakeSet, k, pool), fakeSet.padded);
        long radiiDone = System.nanoTime();
        BallCounts.Result counts = BallCounts.count(realSet, realBounds, fakeSet, fakeBounds, pool);
        KNN_RADII.record(radiiDone - start, TimeUnit.NANOSECONDS);
        KNN_BALLS.record(System.nanoTime() - radiiDone, TimeUnit.NANOSECONDS);
        int n = real.rows();
        int m = fake.rows();
        long balls = 0;
        int precise = 0;
        for (int c : counts.realBallsPerFake()) {
            balls += c;
            precise += c > 0 ? 1 : 0;
        }
        int covered = 0;
        int recalled = 0;
        for (int i = 0; i < n; i++) {
            covered += counts.realCovered()[i] ? 1 : 0;
            recalled += counts.realRecalled()[i] ? 1 : 0;
        }
        // prdc: (1. / k) * counts.mean(), i.e. the mean first, then the product with the rounded 1/k.
        double density = (1.0 / k) * ((double) balls / m);
        return new PrdcResult((double) precise / m, (double) recalled / n, density, (double) covered / n);
    }

    /** {@link #compute} with {@link #DEFAULT_K} neighbours. */
    public static PrdcResult compute(Batch real, Batch fake, int threads) {
        return compute(real, fake, DEFAULT_K, threads);
    }

    /**
     * The radius of each point's ball: the distance to its k-th nearest other point in {@code points}, as prdc's
     * {@code compute_nearest_neighbour_distances} returns it.
     */
    public static double[] radii(Batch points, int k, int threads) {
        requireK(k, points.rows(), "points");
        requireThreads(threads);
        PointSet set = PointSet.of(points, "given");
        try (TaskPool pool = new TaskPool(threads)) {
            long start = System.nanoTime();
            double[] squared = NearestNeighbours.kthSquaredDistances(set, k, pool);
            KNN_RADII.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            double[] radii = new double[squared.length];
            for (int i = 0; i < radii.length; i++) {
                radii[i] = Math.sqrt(squared[i]);
            }
            return radii;
        }
    }

    private static double[] bounds(double[] kthSquared, int padded) {
        // Padding points get bound 0: nothing is strictly closer than 0.
        double[] bounds = new double[padded];
        for (int i = 0; i < kthSquared.length; i++) {
            bounds[i] = Distances.strictBound(kthSquared[i]);
        }
        return bounds;
    }

    private static void requireK(int k, int points, String what) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (k > points - 1) {
            throw new IllegalArgumentException("k = " + k + " needs at least k + 1 = " + ((long) k + 1) + " " + what
                    + " (each ball reaches the k-th nearest other point), got " + points);
        }
    }

    private static void requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }
}
