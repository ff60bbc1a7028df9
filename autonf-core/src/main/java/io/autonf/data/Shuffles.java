package io.autonf.data;

import java.util.random.RandomGenerator;

/**
 * Seeded reordering of rows.
 *
 * <p>One algorithm for every generator: walk from the last index down to 1 and swap index
 * {@code i} with {@code rng.nextInt(i + 1)}. That is exactly numpy's legacy shuffle when the
 * generator is a {@link NumpyRandomState} (whose {@code nextInt(bound)} is numpy's masked
 * rejection), so a split made from a seed can be reproduced in Python with
 * {@code numpy.random.RandomState(seed).permutation(n)}.
 */
public final class Shuffles {

    private Shuffles() {
    }

    /** Shuffles {@code values} in place. */
    public static void shuffle(int[] values, RandomGenerator rng) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int kept = values[i];
            values[i] = values[j];
            values[j] = kept;
        }
    }

    /** A shuffled {@code 0..n-1}. */
    public static int[] permutation(int n, RandomGenerator rng) {
        if (rng instanceof NumpyRandomState numpy) {
            return numpy.permutation(n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, rng);
        return order;
    }
}
