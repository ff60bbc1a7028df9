package io.autonf.nn;

/**
 * Reusable scratch arrays of one thread, by slot. Contents are whatever the previous user left: callers write
 * every entry they later read.
 */
final class Workspace {

    private final float[][] floats = new float[8][];
    private final double[][] doubles = new double[8][];

    /** The float buffer of {@code slot}, at least {@code size} long. */
    float[] floats(int slot, int size) {
        float[] a = floats[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            floats[slot] = a;
        }
        return a;
    }

    /** The double buffer of {@code slot}, at least {@code size} long. */
    double[] doubles(int slot, int size) {
        double[] a = doubles[slot];
        if (a == null || a.length < size) {
            a = new double[size];
            doubles[slot] = a;
        }
        return a;
    }
}
