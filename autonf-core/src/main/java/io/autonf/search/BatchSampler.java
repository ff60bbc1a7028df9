package io.autonf.search;

import io.autonf.flow.Batch;

import java.util.random.RandomGenerator;

/**
 * Mini-batches drawn as the trainer draws them: each epoch visits the rows in a fresh random order, a final
 * partial batch is skipped (its rows are reshuffled into the next epoch), and with fewer rows than the batch
 * size every batch is all of them.
 */
final class BatchSampler {

    private final Batch data;
    private final RandomGenerator rng;
    private final int rows;
    private final int[] order;
    private final int batchesPerEpoch;
    private int next;

    BatchSampler(Batch data, int batchSize, RandomGenerator rng) {
        if (data == null || data.rows() == 0) {
            throw new IllegalArgumentException("cannot draw batches from empty data");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.data = data;
        this.rng = rng;
        this.rows = Math.min(batchSize, data.rows());
        this.order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.batchesPerEpoch = data.rows() / rows;
        this.next = batchesPerEpoch;
    }

    int batchRows() {
        return rows;
    }

    Batch next() {
        if (next == batchesPerEpoch) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            next = 0;
        }
        int cols = data.cols();
        double[] values = new double[rows * cols];
        double[] source = data.values();
        int first = next * rows;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(source, order[first + r] * cols, values, r * cols, cols);
        }
        next++;
        return new Batch(values, rows, cols);
    }
}
