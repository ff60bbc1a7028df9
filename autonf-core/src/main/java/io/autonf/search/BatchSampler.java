package io.autonf.search;

import io.autonf.flow.Batch;

import java.util.random.RandomGenerator;

/**
 * Mini-batches drawn as the trainer draws them: each epoch visits the rows in a fresh random order, a final
 * partial batch is skipped (its rows are reshuffled into the next epoch), and with fewer rows than the batch
 * size every batch is all of them.
 *
 * <p><b>Checkpoints.</b> A {@link java.util.SplittableRandom} cannot be saved, so the sampler counts its
 * shuffles instead: {@link #position()} is the number of shuffles and the batch within the epoch, and
 * {@link #restore} replays that many shuffles on a generator created exactly as the original was. Every draw of
 * the generator belongs to a shuffle, so the replayed generator ends in the same state and leaves the same
 * order. Replaying costs one {@code nextInt} per row and epoch.
 */
final class BatchSampler {

    private final Batch data;
    private final RandomGenerator rng;
    private final int rows;
    private final int[] order;
    private final int batchesPerEpoch;
    private int next;
    private long shuffles;

    /** Where a sampler is: {@code shuffles} epochs begun, {@code next} batches of the current one drawn. */
    record Position(long shuffles, int next) {
        Position {
            if (shuffles < 0 || next < 0) {
                throw new IllegalArgumentException("a sampler position needs non-negative counts, got " + shuffles
                        + " shuffles and batch " + next);
            }
        }
    }

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

    Position position() {
        return new Position(shuffles, next);
    }

    /**
     * Moves a fresh sampler (its generator freshly created like the saved one's) to {@code position} by
     * replaying the shuffles.
     */
    void restore(Position position) {
        if (shuffles != 0 || next != batchesPerEpoch) {
            throw new IllegalStateException("only a sampler that has drawn nothing can be restored");
        }
        if (position.shuffles() == 0 ? position.next() != batchesPerEpoch : position.next() > batchesPerEpoch) {
            throw new IllegalArgumentException("batch " + position.next() + " does not exist in an epoch of "
                    + batchesPerEpoch + " batches");
        }
        for (long k = 0; k < position.shuffles(); k++) {
            shuffle();
        }
        next = position.next();
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        shuffles++;
    }

    Batch next() {
        if (next == batchesPerEpoch) {
            shuffle();
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
