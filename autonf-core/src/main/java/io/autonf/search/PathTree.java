package io.autonf.search;

import java.util.Arrays;

/**
 * The shape of the tree of paths that one {@link LayerRoles} asks for: the layers that take part (absent ones
 * dropped), the options each of them branches over, and how a leaf's path index is formed.
 *
 * <p>A node at depth {@code d} is a distinct prefix of choices for the first {@code d + 1} taking-part layers.
 * Paths are numbered lexicographically over the mixed layers, the first mixed layer most significant, so a fixed
 * layer adds nothing to the index (its stride is zero).
 */
final class PathTree {

    /** The largest path count an evaluation accepts: its per-path arrays are Java arrays. */
    static final long MAX_PATHS = 1L << 24;

    private final int optionCount;
    private final int[] layers;
    private final int[][] options;
    private final int[] strides;
    private final int[] mixedLayers;
    private final int[] mixedStrides;
    private final boolean[] mixedAt;
    private final long pathCount;
    private final long nodeCount;

    private PathTree(LayerRoles roles, int optionCount) {
        this.optionCount = optionCount;
        int active = 0;
        int mixed = 0;
        for (int i = 0; i < roles.layers(); i++) {
            int role = roles.role(i);
            if (role >= optionCount) {
                throw new IllegalArgumentException("layer " + i + " is fixed to option " + role + " but there are only "
                        + optionCount + " options (0.." + (optionCount - 1) + ")");
            }
            if (role != LayerRoles.ABSENT) {
                active++;
            }
            if (role == LayerRoles.MIXED) {
                mixed++;
            }
        }
        long paths = 1;
        for (int i = 0; i < mixed; i++) {
            paths = saturatingMultiply(paths, optionCount);
        }
        this.pathCount = paths;
        // Strides are only used once requireEnumerable() has bounded the path count; zero them otherwise.
        boolean enumerable = paths <= MAX_PATHS;
        this.layers = new int[active];
        this.options = new int[active][];
        this.strides = new int[active];
        this.mixedLayers = new int[mixed];
        this.mixedStrides = new int[mixed];
        this.mixedAt = new boolean[active];
        long stride = enumerable ? paths : 0;
        long nodes = 0;
        long level = 1;
        int d = 0;
        int q = 0;
        for (int i = 0; i < roles.layers(); i++) {
            int role = roles.role(i);
            if (role == LayerRoles.ABSENT) {
                continue;
            }
            layers[d] = i;
            if (role == LayerRoles.MIXED) {
                options[d] = new int[optionCount];
                for (int j = 0; j < optionCount; j++) {
                    options[d][j] = j;
                }
                stride /= optionCount;
                strides[d] = (int) stride;
                mixedAt[d] = true;
                mixedLayers[q] = i;
                mixedStrides[q] = strides[d];
                q++;
                level = saturatingMultiply(level, optionCount);
            } else {
                options[d] = new int[] {role};
                strides[d] = 0;
            }
            nodes = saturatingAdd(nodes, level);
            d++;
        }
        this.nodeCount = nodes;
    }

    static PathTree of(LayerRoles roles, int optionCount) {
        if (roles == null) {
            throw new IllegalArgumentException("layer roles are required");
        }
        return new PathTree(roles, optionCount);
    }

    /** Throws unless every per-path array of an evaluation can be allocated. */
    PathTree requireEnumerable() {
        if (pathCount > MAX_PATHS) {
            throw new IllegalArgumentException("a mixture of " + optionCount + "^" + mixedLayers.length + " = "
                    + (pathCount == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(pathCount))
                    + " paths is too many to evaluate (at most " + MAX_PATHS + "); search fewer layers at once");
        }
        return this;
    }

    /** Layers that take part, in order (depth d of the tree is layer {@code layer(d)}). */
    int depth() {
        return layers.length;
    }

    int layer(int depth) {
        return layers[depth];
    }

    /** The options a node at this depth branches over: all of them for a mixed layer, one for a fixed layer. */
    int[] options(int depth) {
        return options[depth];
    }

    boolean isMixed(int depth) {
        return mixedAt[depth];
    }

    /** What choosing the i-th of {@link #options(int)} at this depth adds to the path index. */
    int stride(int depth) {
        return strides[depth];
    }

    int mixedCount() {
        return mixedLayers.length;
    }

    int mixedLayer(int position) {
        return mixedLayers[position];
    }

    /** The option a path takes at the {@code position}-th mixed layer. */
    int mixedOption(int path, int position) {
        return (path / mixedStrides[position]) % optionCount;
    }

    /** m^(mixed layers), saturating at {@code Long.MAX_VALUE}. */
    long pathCount() {
        return pathCount;
    }

    /** Tree nodes = candidate-layer evaluations per row: Σ_d Π_{d' ≤ d} |options(d')|. */
    long nodeCount() {
        return nodeCount;
    }

    /** Nodes at one depth: the distinct prefixes of that length. */
    long nodesAt(int depth) {
        long n = 1;
        for (int d = 0; d <= depth; d++) {
            n = saturatingMultiply(n, options[d].length);
        }
        return n;
    }

    /** The whole choice of a path, one entry per layer of the roles: an option index, or ABSENT. */
    int[] choice(int path, int layerCount) {
        requireEnumerable();
        int[] choice = new int[layerCount];
        Arrays.fill(choice, LayerRoles.ABSENT);
        int q = 0;
        for (int d = 0; d < layers.length; d++) {
            choice[layers[d]] = mixedAt[d] ? mixedOption(path, q++) : options[d][0];
        }
        return choice;
    }

    /** log W_k per path: Σ over mixed layers of the log-weight of the path's option (fixed layers weigh 1). */
    double[] logPathWeights(double[][] logWeights) {
        int paths = (int) requireEnumerable().pathCount;
        double[] out = new double[paths];
        for (int k = 0; k < paths; k++) {
            double sum = 0;
            for (int q = 0; q < mixedLayers.length; q++) {
                sum += logWeights[mixedLayers[q]][mixedOption(k, q)];
            }
            out[k] = sum;
        }
        return out;
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
