package io.autonf.metric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.util.List;

import static io.autonf.metric.DistanceTiles.COLUMNS;
import static io.autonf.metric.DistanceTiles.LANES;
import static io.autonf.metric.DistanceTiles.ROWS;
import static io.autonf.metric.DistanceTiles.SPECIES;

/**
 * The one pass over all (real, fake) pairs that precision, recall, density and coverage need, with prdc's
 * arithmetic: the squared distance of real point i and fake point j is {@code (|r_i|^2 - 2 r_i.f_j) + |f_j|^2},
 * and "inside a ball" compares it with a {@link Distances#strictBound}.
 *
 * <p>Per fake point: how many real balls hold it (density; precision is "at least one"). Per real point: whether
 * some fake point lies in its ball (coverage, which prdc phrases as "the nearest fake point is inside") and
 * whether it lies in some fake point's ball (recall). Counts and flags merge the same way whichever worker
 * computed them.
 */
final class BallCounts {

    /** Fake points per task. */
    private static final int TASK_ROWS = 16 * ROWS;

    /** What the pass found; arrays are indexed by point. */
    record Result(int[] realBallsPerFake, boolean[] realCovered, boolean[] realRecalled) {
    }

    private static final class Partial {
        final boolean[] covered;
        final boolean[] recalled;
        final double[] tile = new double[ROWS * COLUMNS];

        Partial(int realPadded) {
            covered = new boolean[realPadded];
            recalled = new boolean[realPadded];
        }
    }

    private BallCounts() {
    }

    /**
     * @param realBounds {@link Distances#strictBound} of each real point's squared radius, padded with zeros to
     *                   {@code real.padded}
     * @param fakeBounds the same for the fake points (length at least {@code fake.count})
     */
    static Result count(PointSet real, double[] realBounds, PointSet fake, double[] fakeBounds, TaskPool pool) {
        int m = fake.count;
        int[] perFake = new int[m];
        List<Partial> partials = pool.run(Math.ceilDiv(m, TASK_ROWS), () -> new Partial(real.padded),
                (task, partial) -> runTask(real, realBounds, fake, fakeBounds, task * TASK_ROWS,
                        Math.min(m, (task + 1) * TASK_ROWS), perFake, partial));
        boolean[] covered = new boolean[real.count];
        boolean[] recalled = new boolean[real.count];
        for (Partial p : partials) {
            for (int i = 0; i < real.count; i++) {
                covered[i] |= p.covered[i];
                recalled[i] |= p.recalled[i];
            }
        }
        return new Result(perFake, covered, recalled);
    }

    private static void runTask(PointSet real, double[] realBounds, PointSet fake, double[] fakeBounds,
                                int rowFrom, int rowTo, int[] perFake, Partial partial) {
        for (int chunk = 0; chunk < real.padded; chunk += DistanceTiles.CHUNK) {
            int chunkEnd = Math.min(real.padded, chunk + DistanceTiles.CHUNK);
            for (int i = rowFrom; i < rowTo; i += ROWS) {
                int rows = Math.min(ROWS, fake.count - i);
                for (int j = chunk; j < chunkEnd; j += COLUMNS) {
                    DistanceTiles.dots(fake, i, real, j, partial.tile);
                    tally(real, realBounds, fake, fakeBounds, i, rows, j, perFake, partial);
                }
            }
        }
    }

    private static void tally(PointSet real, double[] realBounds, PointSet fake, double[] fakeBounds,
                              int i, int rows, int j, int[] perFake, Partial partial) {
        double[] tile = partial.tile;
        double[] realNorms = real.squaredNorms;
        for (int r = 0; r < rows; r++) {
            int f = i + r;
            double fakeNorm = fake.squaredNorms[f];
            double fakeBound = fakeBounds[f];
            int balls = 0;
            for (int v = 0; v < COLUMNS; v += LANES) {
                int column = j + v;
                DoubleVector dot = DoubleVector.fromArray(SPECIES, tile, r * COLUMNS + v);
                // prdc's matrix has the real points as rows: (|r|^2 - 2 r.f) + |f|^2.
                DoubleVector squared = dot.fma(DoubleVector.broadcast(SPECIES, -2.0),
                        DoubleVector.fromArray(SPECIES, realNorms, column)).add(fakeNorm).max(0.0);
                VectorMask<Double> inRealBall = squared.compare(VectorOperators.LT,
                        DoubleVector.fromArray(SPECIES, realBounds, column));
                VectorMask<Double> inFakeBall = squared.compare(VectorOperators.LT, fakeBound);
                if (inRealBall.or(inFakeBall).anyTrue()) {
                    balls += inRealBall.trueCount();
                    for (long bits = inRealBall.toLong(); bits != 0; bits &= bits - 1) {
                        partial.covered[column + Long.numberOfTrailingZeros(bits)] = true;
                    }
                    for (long bits = inFakeBall.toLong(); bits != 0; bits &= bits - 1) {
                        partial.recalled[column + Long.numberOfTrailingZeros(bits)] = true;
                    }
                }
            }
            perFake[f] += balls;
        }
    }
}
