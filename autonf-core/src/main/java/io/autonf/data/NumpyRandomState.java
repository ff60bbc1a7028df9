package io.autonf.data;

import java.util.random.RandomGenerator;

/**
 * The random stream of numpy's legacy {@code numpy.random.RandomState(seed)}, bit for bit.
 *
 * <p>MAF (Papamakarios et al. 2017) shuffles POWER and draws its dequantisation noise from
 * {@code RandomState(42)}; to get MAF's exact splits in Java we need numpy's exact stream, which
 * is a 32-bit Mersenne Twister (MT19937) seeded with Matsumoto and Nishimura's
 * {@code init_genrand}, plus numpy's own conventions on top of it:
 * <ul>
 *   <li>{@link #nextDouble()} is {@code random_sample}/{@code rand}: two 32-bit words, the first
 *       shifted right by 5 and the second by 6, joined into a 53-bit fraction;</li>
 *   <li>{@link #nextInt(int)} is numpy's {@code random_interval}: draw 32-bit words, mask them to
 *       the smallest all-ones bit mask covering the bound, and reject values past it;</li>
 *   <li>{@link #shuffle(int[])}/{@link #permutation(int)} walk the array from the end and swap
 *       element {@code i} with one drawn from {@code [0, i]}, as numpy's legacy shuffle does.</li>
 * </ul>
 * The test {@code NumpyRandomStateTest} checks all of these against values numpy itself wrote.
 *
 * <p>Not thread-safe; one instance is one stream.
 */
public final class NumpyRandomState implements RandomGenerator {

    private static final int STATE_WORDS = 624;
    private static final int SHIFT_WORDS = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[STATE_WORDS];
    private int position;

    /**
     * A stream equal to {@code numpy.random.RandomState(seed)}.
     *
     * @param seed in {@code [0, 2^32 - 1]}, the range numpy accepts for an integer seed
     */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("a numpy RandomState seed must be in [0, 4294967295], got " + seed);
        }
        int value = (int) seed;
        for (int i = 0; i < STATE_WORDS; i++) {
            state[i] = value;
            value = 1812433253 * (value ^ (value >>> 30)) + i + 1;
        }
        position = STATE_WORDS;
    }

    /** The next raw 32-bit word, tempered, as an unsigned value in the low bits of an int. */
    public int nextWord() {
        if (position == STATE_WORDS) {
            regenerate();
        }
        int y = state[position++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void regenerate() {
        int i = 0;
        for (; i < STATE_WORDS - SHIFT_WORDS; i++) {
            int y = (state[i] & UPPER_MASK) | (state[i + 1] & LOWER_MASK);
            state[i] = state[i + SHIFT_WORDS] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        for (; i < STATE_WORDS - 1; i++) {
            int y = (state[i] & UPPER_MASK) | (state[i + 1] & LOWER_MASK);
            state[i] = state[i + SHIFT_WORDS - STATE_WORDS] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        int y = (state[STATE_WORDS - 1] & UPPER_MASK) | (state[0] & LOWER_MASK);
        state[STATE_WORDS - 1] = state[SHIFT_WORDS - 1] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        position = 0;
    }

    @Override
    public int nextInt() {
        return nextWord();
    }

    /** numpy's 64-bit draw: the first 32-bit word is the high half. */
    @Override
    public long nextLong() {
        long high = Integer.toUnsignedLong(nextWord());
        long low = Integer.toUnsignedLong(nextWord());
        return (high << 32) | low;
    }

    /** numpy's {@code random_sample}: uniform on {@code [0, 1)} with 53 random bits. */
    @Override
    public double nextDouble() {
        long a = Integer.toUnsignedLong(nextWord()) >>> 5;
        long b = Integer.toUnsignedLong(nextWord()) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * numpy's {@code random_interval(bound - 1)}: a uniform integer in {@code [0, bound)} drawn by
     * masked rejection. Overridden because the generic RandomGenerator algorithm draws differently.
     */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int max = bound - 1;
        if (max == 0) {
            return 0;
        }
        int mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        int value;
        do {
            value = nextWord() & mask;
        } while (value > max);
        return value;
    }

    /** Fills {@code [rows x cols]} row-major with {@link #nextDouble()}: numpy's {@code rand(rows, cols)}. */
    public double[] rand(int rows, int cols) {
        double[] values = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = nextDouble();
        }
        return values;
    }

    /** numpy's {@code permutation(n)}: a shuffled {@code 0..n-1}. */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation size must be >= 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order);
        return order;
    }

    /** numpy's legacy in-place {@code shuffle} of a 1-D array. */
    public void shuffle(int[] values) {
        Shuffles.shuffle(values, this);
    }
}
