package io.autonf.search;

import io.autonf.flow.Batch;
import io.autonf.flow.CompositeTransform;
import io.autonf.flow.Flow;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Parameter;
import io.autonf.flow.Transform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.random.RandomGenerator;

/**
 * The mixed flow ensemble of the AutoNF paper (eq. 5-9): layer i holds one candidate layer per option of the
 * {@link SearchSpace}, each with its own parameters θ, and logits α_i with weights w_i = softmax(α_i). A path k
 * picks one option per layer; its weight is W_k = Π_i w_{i,k_i} and p_k is the density of that single
 * architecture. The mixture density is Σ_k W_k p_k(x).
 *
 * <p>Evaluation walks the tree of paths so that a prefix shared by several paths runs once: with b mixed layers
 * the candidates run Σ_{i=1..b} m^i times per row, not b·m^b. {@link LayerRoles} choose, per layer, to branch
 * over every option (MIXED, counted in W_k), to use one option (fixed, weight 1) or to skip the layer (ABSENT).
 *
 * <h2>Losses and gradients</h2>
 * <ul>
 *   <li>{@link SearchLoss#UPPER_BOUND}: L = Σ_k W_k·mean_x(−log p_k(x)). Its θ-gradient weighs each path by the
 *       constant W_k, so the forward and backward passes run in one depth-first walk whose memory grows with
 *       the depth of the tree, not with the number of paths.</li>
 *   <li>{@link SearchLoss#ORIGINAL}: L = −mean_x log Σ_k W_k p_k(x) (log-sum-exp over paths). Its θ-gradient
 *       weighs path k at sample x by the responsibility W_k p_k(x) / Σ_l W_l p_l(x), known only after every
 *       path's density, so the walk keeps every node's pass between a forward and a backward sweep.</li>
 * </ul>
 * Both α-gradients come from the per-path densities alone: with s_k = W_k·dL/dW_k,
 * dL/dα_{i,j} = Σ_{k: k_i = j} s_k − w_{i,j} Σ_k s_k (only mixed layers' logits receive gradients).
 *
 * <h2>Threads</h2>
 * Sibling subtrees run on a fork/join pool of {@link #threads()} workers that this object owns; {@link #close()}
 * ends them (they are daemon threads, so a forgotten mixture never keeps the JVM alive). Results are
 * bit-identical for every thread count: see {@link TreeWalk}. Evaluations may run concurrently; parameter
 * updates must not overlap them.
 */
public final class MixtureFlow implements AutoCloseable {

    /** Builds one candidate layer; tests substitute instrumented candidates. */
    @FunctionalInterface
    interface CandidateFactory {
        Transform create(LayerKind kind, int layer, int dimension, LayerSettings settings, RandomGenerator rng);
    }

    private final SearchSpace space;
    private final int dimension;
    private final Transform[][] candidates;
    private final Parameter[] logits;
    private final int threads;
    private final ForkJoinPool pool;
    private volatile boolean closed;

    /** A mixture that evaluates on as many threads as the machine has processors. */
    public MixtureFlow(SearchSpace space, int dimension, RandomGenerator rng) {
        this(space, dimension, rng, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Builds {@code layers × options} candidates with {@link Layers#layer}, layer by layer and option by option in
     * the space's order, all drawing from {@code rng}; every α starts at zero (uniform weights).
     *
     * @param threads workers for evaluations (1: everything on the calling thread)
     */
    public MixtureFlow(SearchSpace space, int dimension, RandomGenerator rng, int threads) {
        this(space, dimension, rng, threads, Layers::layer);
    }

    MixtureFlow(SearchSpace space, int dimension, RandomGenerator rng, int threads, CandidateFactory factory) {
        if (space == null) {
            throw new IllegalArgumentException("a search space is required");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("a mixture flow needs at least one feature, got " + dimension);
        }
        if (rng == null) {
            throw new IllegalArgumentException("a random generator is required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("a mixture flow needs at least one thread, got " + threads);
        }
        this.space = space;
        this.dimension = dimension;
        int m = space.optionCount();
        this.candidates = new Transform[space.layers()][m];
        this.logits = new Parameter[space.layers()];
        for (int i = 0; i < space.layers(); i++) {
            for (int j = 0; j < m; j++) {
                LayerKind kind = space.option(j);
                try {
                    candidates[i][j] = factory.create(kind, i, dimension, space.settings(), rng);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot build option " + kind + " of layer " + i + " for "
                            + dimension + " features: " + e.getMessage(), e);
                }
                if (candidates[i][j].dimension() != dimension) {
                    throw new IllegalArgumentException("option " + kind + " of layer " + i + " maps "
                            + candidates[i][j].dimension() + " features, expected " + dimension);
                }
            }
            logits[i] = new Parameter(m);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public SearchSpace space() {
        return space;
    }

    public int dimension() {
        return dimension;
    }

    /** Workers an evaluation uses. */
    public int threads() {
        return threads;
    }

    public Transform candidate(int layer, int option) {
        requireLayer(layer);
        requireOption(option);
        return candidates[layer][option];
    }

    /** α_i, shape [m]; write it in place and call {@link Parameter#markUpdated()}, or use an optimiser. */
    public Parameter logits(int layer) {
        requireLayer(layer);
        return logits[layer];
    }

    /** softmax(α_i), a fresh array. */
    public double[] weights(int layer) {
        requireLayer(layer);
        return LogSpace.softmax(logits[layer].values());
    }

    /** softmax(α_i) of every layer. */
    public double[][] weights() {
        double[][] all = new double[space.layers()][];
        for (int i = 0; i < all.length; i++) {
            all[i] = weights(i);
        }
        return all;
    }

    /** Every candidate's parameters, layer by layer, as {@code layer03.rq-c.<the candidate's own name>}. */
    public Map<String, Parameter> thetaParameters() {
        return thetaParameters(LayerRoles.allMixed(space.layers()));
    }

    /**
     * The parameters of the candidates that take part under {@code roles}: every option of a mixed layer, the
     * chosen one of a fixed layer, none of an absent layer.
     */
    public Map<String, Parameter> thetaParameters(LayerRoles roles) {
        PathTree tree = treeFor(roles);
        Map<String, Parameter> all = new LinkedHashMap<>();
        for (int d = 0; d < tree.depth(); d++) {
            int layer = tree.layer(d);
            for (int option : tree.options(d)) {
                String prefix = String.format(Locale.ROOT, "layer%02d.%s.", layer, space.option(option).id());
                for (Map.Entry<String, Parameter> e : candidates[layer][option].parameters().entrySet()) {
                    all.put(prefix + e.getKey(), e.getValue());
                }
            }
        }
        return Collections.unmodifiableMap(all);
    }

    /** Every layer's logits as {@code alpha.layer03}, in layer order. */
    public Map<String, Parameter> alphaParameters() {
        Map<String, Parameter> all = new LinkedHashMap<>();
        for (int i = 0; i < logits.length; i++) {
            all.put(String.format(Locale.ROOT, "alpha.layer%02d", i), logits[i]);
        }
        return Collections.unmodifiableMap(all);
    }

    /**
     * The mean loss over the rows of {@code x}; adds dL/dθ into {@code theta} and dL/dα into {@code alpha} when
     * they are not null. Only the candidates taking part receive θ-gradients and only mixed layers' logits
     * receive α-gradients, so an optimiser leaves the others alone. Without {@code theta} no backward pass runs.
     */
    public MixtureEvaluation evaluate(Batch x, SearchLoss loss, LayerRoles roles, Gradients theta, Gradients alpha) {
        requireOpen();
        requireBatch(x);
        if (loss == null) {
            throw new IllegalArgumentException("a search loss is required");
        }
        PathTree tree = treeFor(roles).requireEnumerable();
        int rows = x.rows();
        double[][] logWeights = logWeights();
        double[] logPathWeight = tree.logPathWeights(logWeights);
        TreeWalk walk = new TreeWalk(candidates, tree, x, pool);

        Gradients thetaGradients = null;
        double[] logMix = null;
        if (theta == null) {
            walk.forwardOnly();
        } else if (loss == SearchLoss.UPPER_BOUND) {
            // Every row of path k weighs W_k / rows, known before any density is.
            thetaGradients = walk.fused(path -> constant(rows, Math.exp(logPathWeight[path]) / rows));
        } else {
            TreeWalk.Sweep sweep = walk.forwardRetained();
            double[][] logProb = walk.leafLogProb();
            double[] sweepLogMix = logMixture(logProb, logPathWeight, rows);
            thetaGradients = walk.backward(sweep,
                    path -> responsibilities(logProb[path], logPathWeight[path], sweepLogMix, rows));
            logMix = sweepLogMix;
        }
        double[][] logProb = walk.leafLogProb();
        int paths = logProb.length;

        double[] meanPathNll = new double[paths];
        for (int k = 0; k < paths; k++) {
            meanPathNll[k] = -mean(logProb[k]);
        }
        double value;
        // s_k = W_k dL/dW_k: the α-gradient needs nothing else.
        double[] weighted = new double[paths];
        if (loss == SearchLoss.UPPER_BOUND) {
            value = 0;
            for (int k = 0; k < paths; k++) {
                weighted[k] = Math.exp(logPathWeight[k]) * meanPathNll[k];
                value += weighted[k];
            }
        } else {
            if (logMix == null) {
                logMix = logMixture(logProb, logPathWeight, rows);
            }
            value = -mean(logMix);
            for (int k = 0; k < paths; k++) {
                weighted[k] = -mean(responsibilities(logProb[k], logPathWeight[k], logMix, 1));
            }
        }
        if (theta != null) {
            theta.addAll(thetaGradients);
        }
        if (alpha != null) {
            addAlphaGradients(tree, weighted, alpha);
        }
        return new MixtureEvaluation(value, meanPathNll, walk.evaluations());
    }

    /** log Σ_k W_k p_k(x) per row: the mixture's log-density (the original objective's). */
    public double[] logProb(Batch x, LayerRoles roles) {
        requireOpen();
        requireBatch(x);
        PathTree tree = treeFor(roles).requireEnumerable();
        double[] logPathWeight = tree.logPathWeights(logWeights());
        TreeWalk walk = new TreeWalk(candidates, tree, x, pool);
        return logMixture(walk.forwardOnly(), logPathWeight, x.rows());
    }

    /**
     * The single architecture of one path, sharing the candidates' parameters (so it changes with them).
     *
     * @param choice one entry per layer: an option index, or {@link LayerRoles#ABSENT} to leave the layer out
     */
    public Flow extract(int[] choice) {
        if (choice == null || choice.length != space.layers()) {
            throw new IllegalArgumentException("a choice needs one option per layer (" + space.layers() + "), got "
                    + (choice == null ? "null" : choice.length + " entries"));
        }
        List<Transform> layers = new ArrayList<>();
        for (int i = 0; i < choice.length; i++) {
            if (choice[i] == LayerRoles.ABSENT) {
                continue;
            }
            if (choice[i] < 0 || choice[i] >= space.optionCount()) {
                throw new IllegalArgumentException("layer " + i + " chooses option " + choice[i] + "; options are 0.."
                        + (space.optionCount() - 1) + " (or ABSENT)");
            }
            layers.add(candidates[i][choice[i]]);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a choice must keep at least one layer");
        }
        return new Flow(new CompositeTransform(layers));
    }

    /** m^(number of mixed layers). */
    public long pathCount(LayerRoles roles) {
        return treeFor(roles).pathCount();
    }

    /**
     * Candidate-layer forward evaluations times rows that {@link #evaluate} performs:
     * rows · Σ over taking-part layers of the number of distinct prefixes ending there.
     */
    public long layerEvaluations(LayerRoles roles, int rows) {
        requireRows(rows);
        long nodes = treeFor(roles).nodeCount();
        return nodes > Long.MAX_VALUE / rows ? Long.MAX_VALUE : nodes * rows;
    }

    /** Peak memory of {@link #evaluate} with gradients under either loss (the larger of the two estimates). */
    public long estimatedBytes(LayerRoles roles, int rows) {
        return Math.max(estimatedBytes(roles, rows, SearchLoss.UPPER_BOUND), estimatedBytes(roles, rows, SearchLoss.ORIGINAL));
    }

    /**
     * Peak memory of {@link #evaluate} with gradients under {@code loss}: what the passes keep (see
     * {@link PassMemory}), the per-path densities, and the gradients finished subtrees hold until their parent
     * adds them. The upper bound keeps one root-to-leaf path of passes per worker; the original loss keeps
     * every node's pass.
     */
    public long estimatedBytes(LayerRoles roles, int rows, SearchLoss loss) {
        requireRows(rows);
        if (loss == null) {
            throw new IllegalArgumentException("a search loss is required");
        }
        PathTree tree = treeFor(roles);
        int depth = tree.depth();
        double resultBytes = (double) rows * (dimension + 1) * Double.BYTES;
        // Gradients a finished child at depth d carries: every candidate of its subtree.
        double[] thetaBelow = new double[depth + 1];
        for (int d = depth - 1; d >= 0; d--) {
            double own = 0;
            for (int option : tree.options(d)) {
                own += parameterCount(candidates[tree.layer(d)][option]) * (double) Double.BYTES;
            }
            thetaBelow[d] = thetaBelow[d + 1] + own;
        }
        double pending = 0;
        double passes = 0;
        double pathOfPasses = 0;
        for (int d = 0; d < depth; d++) {
            int[] options = tree.options(d);
            pending += options.length * (resultBytes + thetaBelow[d]);
            double largest = 0;
            double sum = 0;
            for (int option : options) {
                double perRow = PassMemory.bytesPerRow(space.option(option), dimension, space.settings()) + Double.BYTES;
                largest = Math.max(largest, perRow);
                sum += perRow;
            }
            pathOfPasses += largest * rows;
            passes += (d == 0 ? 1 : tree.nodesAt(d - 1)) * sum * rows;
        }
        double leaves = (double) tree.pathCount() * rows * Double.BYTES;
        double inputs = (double) rows * dimension * Double.BYTES;
        double total = loss == SearchLoss.UPPER_BOUND
                ? threads * (pathOfPasses + pending)
                : passes + threads * pending;
        total += leaves + inputs + thetaBelow[0];
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(total);
    }

    /** Throws unless {@link #evaluate} with gradients fits in {@code budgetBytes} under either loss. */
    public void checkMemory(LayerRoles roles, int rows, long budgetBytes) {
        requireBudget(budgetBytes);
        reportOverBudget(roles, rows, budgetBytes, estimatedBytes(roles, rows), "");
    }

    /** Throws unless {@link #evaluate} with gradients fits in {@code budgetBytes} under {@code loss}. */
    public void checkMemory(LayerRoles roles, int rows, SearchLoss loss, long budgetBytes) {
        requireBudget(budgetBytes);
        reportOverBudget(roles, rows, budgetBytes, estimatedBytes(roles, rows, loss), " with the " + loss + " loss");
    }

    /** Shuts the evaluation workers down; evaluations are refused afterwards. */
    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.close();
        }
    }

    private void reportOverBudget(LayerRoles roles, int rows, long budgetBytes, long estimate, String lossNote) {
        if (estimate > budgetBytes) {
            PathTree tree = treeFor(roles);
            long paths = tree.pathCount();
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a mixture of %d^%d = %s paths over %d rows needs about %s%s, over the memory budget of %s; "
                            + "search fewer layers at once (a smaller block), fewer options or a smaller batch",
                    space.optionCount(), tree.mixedCount(), paths == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(paths),
                    rows, mebibytes(estimate), lossNote, mebibytes(budgetBytes)));
        }
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void requireBudget(long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("the memory budget must be positive, got " + budgetBytes + " bytes");
        }
    }

    private double[][] logWeights() {
        double[][] all = new double[logits.length][];
        for (int i = 0; i < all.length; i++) {
            all[i] = LogSpace.logSoftmax(logits[i].values());
        }
        return all;
    }

    /** dL/dα_{i,j} = Σ_{k: k_i = j} s_k − w_{i,j} Σ_k s_k for every mixed layer i. */
    private void addAlphaGradients(PathTree tree, double[] weighted, Gradients alpha) {
        double total = 0;
        for (double s : weighted) {
            total += s;
        }
        int m = space.optionCount();
        for (int q = 0; q < tree.mixedCount(); q++) {
            int layer = tree.mixedLayer(q);
            double[] byOption = new double[m];
            for (int k = 0; k < weighted.length; k++) {
                byOption[tree.mixedOption(k, q)] += weighted[k];
            }
            double[] w = weights(layer);
            double[] into = alpha.of(logits[layer]);
            for (int j = 0; j < m; j++) {
                into[j] += byOption[j] - w[j] * total;
            }
        }
    }

    /** log Σ_k W_k p_k(x_r) per row. */
    private static double[] logMixture(double[][] logProb, double[] logPathWeight, int rows) {
        double[] logMix = new double[rows];
        double[] terms = new double[logProb.length];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < terms.length; k++) {
                terms[k] = logPathWeight[k] + logProb[k][r];
            }
            logMix[r] = LogSpace.logSumExp(terms);
        }
        return logMix;
    }

    /** W_k p_k(x_r) / Σ_l W_l p_l(x_r) / divisor per row, from log space. */
    private static double[] responsibilities(double[] logProb, double logPathWeight, double[] logMix, int divisor) {
        double[] out = new double[logProb.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = Math.exp(logPathWeight + logProb[r] - logMix[r]) / divisor;
        }
        return out;
    }

    private static double[] constant(int rows, double value) {
        double[] out = new double[rows];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static long parameterCount(Transform t) {
        long n = 0;
        for (Parameter p : t.parameters().values()) {
            n += p.size();
        }
        return n;
    }

    private PathTree treeFor(LayerRoles roles) {
        if (roles == null) {
            throw new IllegalArgumentException("layer roles are required");
        }
        if (roles.layers() != space.layers()) {
            throw new IllegalArgumentException("roles name " + roles.layers() + " layers but the mixture has "
                    + space.layers());
        }
        return PathTree.of(roles, space.optionCount());
    }

    private void requireBatch(Batch x) {
        if (x == null) {
            throw new IllegalArgumentException("a batch is required");
        }
        if (x.rows() == 0) {
            throw new IllegalArgumentException("the batch is empty");
        }
        x.requireCols(dimension, "the mixture flow");
    }

    private static void requireRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive, got " + rows);
        }
    }

    private void requireLayer(int layer) {
        if (layer < 0 || layer >= space.layers()) {
            throw new IllegalArgumentException("layer " + layer + " does not exist; layers are 0.." + (space.layers() - 1));
        }
    }

    private void requireOption(int option) {
        if (option < 0 || option >= space.optionCount()) {
            throw new IllegalArgumentException("option " + option + " does not exist; options are 0.."
                    + (space.optionCount() - 1));
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this mixture flow is closed");
        }
    }
}
