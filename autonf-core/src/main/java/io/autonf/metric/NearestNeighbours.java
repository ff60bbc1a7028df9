package io.autonf.metric;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;
import java.util.List;

import static io.autonf.metric.DistanceTiles.COLUMNS;
import static io.autonf.metric.DistanceTiles.LANES;
import static io.autonf.metric.DistanceTiles.ROWS;
import static io.autonf.metric.DistanceTiles.SPECIES;

/**
 * Exact k-nearest-neighbour radii within one set: for every point, the squared distance to its k-th nearest
 * other point (duplicates of it count, at distance zero), with prdc's arithmetic ({@link Distances}).
 *
 * <p>prdc takes the (k+1)-th smallest entry of each row of the full distance matrix, whose diagonal it sets to
 * zero; that is the k-th smallest entry off the diagonal, which is what this computes. Each unordered pair is
 * visited once, in the upper triangle, and offered to both of its points: row i sees
 * {@code (|x_i|^2 - 2 x_i.x_j) + |x_j|^2} and row j the same sum with the norms swapped, exactly as the two
 * entries of prdc's matrix are rounded.
 *
 * <p>Every worker keeps the k smallest values it has seen per point; the merged lists are the same whichever
 * worker saw which pair, so the result does not depend on the number of threads.
 */
final class NearestNeighbours {

    /** Rows per task: 16 row groups, enough work to amortise a task, few enough to balance the triangle. */
    private static final int TASK_ROWS = 16 * ROWS;
    private static final DoubleVector IOTA = DoubleVector.fromArray(SPECIES, iota(), 0);

    private NearestNeighbours() {
    }

    private static double[] iota() {
        double[] v = new double[LANES];
        for (int i = 0; i < LANES; i++) {
            v[i] = i;
        }
        return v;
    }

    /** A worker's k smallest squared distances per point, ascending, and scratch space. */
    private static final class Selection {
        final int k;
        /** {@code [padded][k]}, ascending per point, +inf where fewer than k were seen. */
        final double[] smallest;
        /** {@code smallest[i * k + k - 1]}: what a candidate must beat; +inf for padding points. */
        final double[] worst;
        final double[] tile = new double[ROWS * COLUMNS];
        final double[] rowLanes = new double[LANES];
        final double[] columnLanes = new double[LANES];

        Selection(int padded, int k) {
            this.k = k;
            this.smallest = new double[Math.multiplyExact(padded, k)];
            this.worst = new double[padded];
            Arrays.fill(smallest, Double.POSITIVE_INFINITY);
            Arrays.fill(worst, Double.POSITIVE_INFINITY);
        }

        void offer(int point, double value) {
            if (!(value < worst[point])) {
                return;
            }
            int base = point * k;
            int at = k - 1;
            while (at > 0 && smallest[base + at - 1] > value) {
                smallest[base + at] = smallest[base + at - 1];
                at--;
            }
            smallest[base + at] = value;
            worst[point] = smallest[base + k - 1];
        }
    }

    /**
     * The squared distance from each point of {@code set} to its k-th nearest other point.
     *
     * @param k at least 1 and at most {@code set.count - 1} (checked by the caller)
     */
    static double[] kthSquaredDistances(PointSet set, int k, TaskPool pool) {
        int n = set.count;
        int tasks = Math.ceilDiv(n, TASK_ROWS);
        // Task t covers rows [t * TASK_ROWS, ...) against every column to their right: the first tasks are the
        // longest, and they are handed out first.
        List<Selection> selections = pool.run(tasks, () -> new Selection(set.padded, k),
                (task, selection) -> runTask(set, task * TASK_ROWS, Math.min(n, (task + 1) * TASK_ROWS), selection));
        double[] kth = new double[n];
        double[] merged = new double[k];
        for (int i = 0; i < n; i++) {
            Arrays.fill(merged, Double.POSITIVE_INFINITY);
            for (Selection s : selections) {
                for (int j = 0; j < k; j++) {
                    double v = s.smallest[i * k + j];
                    if (!(v < merged[k - 1])) {
                        break;
                    }
                    int at = k - 1;
                    while (at > 0 && merged[at - 1] > v) {
                        merged[at] = merged[at - 1];
                        at--;
                    }
                    merged[at] = v;
                }
            }
            kth[i] = merged[k - 1];
        }
        return kth;
    }

    private static void runTask(PointSet set, int rowFrom, int rowTo, Selection selection) {
        int columnEnd = set.padded;
        int firstColumn = rowFrom / COLUMNS * COLUMNS;
        for (int chunk = firstColumn; chunk < columnEnd; chunk += DistanceTiles.CHUNK) {
            int chunkEnd = Math.min(columnEnd, chunk + DistanceTiles.CHUNK);
            for (int i = rowFrom; i < rowTo; i += ROWS) {
                // Columns left of the tile holding i's diagonal pair only pair i with earlier points.
                for (int j = Math.max(chunk, i / COLUMNS * COLUMNS); j < chunkEnd; j += COLUMNS) {
                    DistanceTiles.dots(set, i, set, j, selection.tile);
                    select(set, i, Math.min(ROWS, set.count - i), j, selection);
                }
            }
        }
    }

    /** Offers the pairs (i + r, j + c) with j + c > i + r of one tile to both of their points. */
    private static void select(PointSet set, int i, int rows, int j, Selection selection) {
        double[] tile = selection.tile;
        double[] norms = set.squaredNorms;
        double[] worst = selection.worst;
        for (int r = 0; r < rows; r++) {
            int row = i + r;
            double rowNorm = norms[row];
            for (int v = 0; v < COLUMNS; v += LANES) {
                int column = j + v;
                DoubleVector dot = DoubleVector.fromArray(SPECIES, tile, r * COLUMNS + v);
                DoubleVector columnNorms = DoubleVector.fromArray(SPECIES, norms, column);
                DoubleVector rowView = dot.fma(-2.0, rowNorm).add(columnNorms).max(0.0);
                DoubleVector columnView = dot.fma(DoubleVector.broadcast(SPECIES, -2.0), columnNorms).add(rowNorm).max(0.0);
                // Pairs on or below the diagonal belong to another row's visit (or are the point itself).
                VectorMask<Double> lower = IOTA.compare(VectorOperators.LE, (double) (row - column));
                rowView = rowView.blend(Double.POSITIVE_INFINITY, lower);
                columnView = columnView.blend(Double.POSITIVE_INFINITY, lower);
                VectorMask<Double> forRow = rowView.compare(VectorOperators.LT, worst[row]);
                VectorMask<Double> forColumns = columnView.compare(VectorOperators.LT,
                        DoubleVector.fromArray(SPECIES, worst, column));
                if (forRow.or(forColumns).anyTrue()) {
                    rowView.intoArray(selection.rowLanes, 0);
                    columnView.intoArray(selection.columnLanes, 0);
                    for (long bits = forRow.toLong(); bits != 0; bits &= bits - 1) {
                        selection.offer(row, selection.rowLanes[Long.numberOfTrailingZeros(bits)]);
                    }
                    for (long bits = forColumns.toLong(); bits != 0; bits &= bits - 1) {
                        int lane = Long.numberOfTrailingZeros(bits);
                        selection.offer(column + lane, selection.columnLanes[lane]);
                    }
                }
            }
        }
    }
}
