package io.autonf.search;

import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.StandardNormal;
import io.autonf.flow.Transform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * One walk of the tree of paths over one batch: each node (a distinct prefix of choices) runs its candidate
 * layer once on its parent's outputs, and each leaf records log p_k(x) of its path.
 *
 * <h2>Three ways to walk</h2>
 * <ul>
 *   <li>{@link #forwardOnly()}: densities only; a node's outputs live while its subtree is walked, then go.</li>
 *   <li>{@link #fused(LeafCoefficients)}: forward and backward in one depth-first walk, for leaf coefficients
 *       known in advance (the upper-bound loss): a node's pass lives only while its subtree is walked, so memory
 *       grows with the depth, not with the number of paths.</li>
 *   <li>{@link #forwardRetained()} then {@link #backward(Sweep, LeafCoefficients)}: for coefficients that need
 *       every path's density first (the original loss's responsibilities): every node's pass is kept.</li>
 * </ul>
 * A node's backward pass gets dL/dz = the sum of its children's input gradients (at a leaf: c_k(x) z, from
 * −log N(z)) and dL/d(log|det|) = −Σ of the coefficients of the leaves below it, as its log-determinant enters
 * every one of those paths' log-densities.
 *
 * <h2>Parallelism and reproducibility</h2>
 * Sibling subtrees run as fork/join tasks. Every node adds its children's results in child order, each subtree
 * accumulates into its own {@link Gradients}, and the tree fixes which node does what; so the loss, the
 * densities and the gradients are bit-identical for any number of threads and any scheduling.
 */
final class TreeWalk {

    /** c_k(x) of one leaf, per row, already divided by the number of rows (the loss is a mean). */
    @FunctionalInterface
    interface LeafCoefficients {
        double[] of(int path);
    }

    /** What a finished subtree hands its parent. */
    private record NodeResult(Batch gradInput, double[] coefficientSum, Gradients gradients) {
    }

    /** A node kept between the two sweeps: its pass, its children (null at a leaf) and its path (at a leaf). */
    private record Retained(ForwardPass pass, List<Retained> children, int path) {
    }

    /** The forward half of a two-sweep walk. */
    static final class Sweep {
        private final List<Retained> roots;

        private Sweep(List<Retained> roots) {
            this.roots = roots;
        }
    }

    @FunctionalInterface
    private interface Visit<T> {
        T at(int depth, int option, Batch inputs, double[] logDet, int path);
    }

    private record Step(ForwardPass pass, double[] logDet) {
    }

    private final Transform[][] candidates;
    private final PathTree tree;
    private final Batch inputs;
    private final int rows;
    private final StandardNormal base;
    private final ForkJoinPool pool;
    private final double[][] leafLogProb;
    private final LongAdder evaluations = new LongAdder();
    private LeafCoefficients coefficients;

    /**
     * @param candidates [layer][option]
     * @param pool       the walk's workers, or null to walk on the calling thread
     */
    TreeWalk(Transform[][] candidates, PathTree tree, Batch inputs, ForkJoinPool pool) {
        this.candidates = candidates;
        this.tree = tree.requireEnumerable();
        this.inputs = inputs;
        this.rows = inputs.rows();
        this.base = new StandardNormal(inputs.cols());
        this.pool = pool;
        this.leafLogProb = new double[(int) tree.pathCount()][];
    }

    /** log p_k(x) per path (lexicographic over the mixed layers) and row, once a walk has run. */
    double[][] leafLogProb() {
        return leafLogProb;
    }

    /** Candidate-layer forward evaluations times rows, so far. */
    long evaluations() {
        return evaluations.sum();
    }

    double[][] forwardOnly() {
        run(() -> {
            if (tree.depth() == 0) {
                leafLogProb[0] = logProb(inputs, new double[rows]);
            } else {
                children(0, inputs, new double[rows], 0, this::forwardOnlyNode);
            }
            return null;
        });
        return leafLogProb;
    }

    /** Forward and backward in one walk; returns the parameter gradients of every candidate taking part. */
    Gradients fused(LeafCoefficients leafCoefficients) {
        this.coefficients = leafCoefficients;
        return run(() -> {
            if (tree.depth() == 0) {
                leafLogProb[0] = logProb(inputs, new double[rows]);
                return new Gradients();
            }
            return merged(children(0, inputs, new double[rows], 0, this::fusedNode));
        });
    }

    /** The forward sweep of a two-sweep walk; {@link #leafLogProb()} is complete afterwards. */
    Sweep forwardRetained() {
        return new Sweep(run(() -> {
            if (tree.depth() == 0) {
                leafLogProb[0] = logProb(inputs, new double[rows]);
                return List.of();
            }
            return children(0, inputs, new double[rows], 0, this::retainedNode);
        }));
    }

    /** The backward sweep over a retained forward sweep of this walk. */
    Gradients backward(Sweep sweep, LeafCoefficients leafCoefficients) {
        this.coefficients = leafCoefficients;
        return run(() -> {
            if (sweep.roots.isEmpty()) {
                return new Gradients();
            }
            return merged(inOrder(sweep.roots.size(), i -> backwardRetained(sweep.roots.get(i))));
        });
    }

    private Void forwardOnlyNode(int depth, int option, Batch in, double[] logDetIn, int path) {
        Step step = step(depth, option, in, logDetIn, path);
        if (depth + 1 < tree.depth()) {
            children(depth + 1, step.pass().outputs(), step.logDet(), path, this::forwardOnlyNode);
        }
        return null;
    }

    private NodeResult fusedNode(int depth, int option, Batch in, double[] logDetIn, int path) {
        Step step = step(depth, option, in, logDetIn, path);
        List<NodeResult> below = depth + 1 < tree.depth()
                ? children(depth + 1, step.pass().outputs(), step.logDet(), path, this::fusedNode)
                : null;
        return backwardNode(step.pass(), path, below);
    }

    private Retained retainedNode(int depth, int option, Batch in, double[] logDetIn, int path) {
        Step step = step(depth, option, in, logDetIn, path);
        List<Retained> below = depth + 1 < tree.depth()
                ? children(depth + 1, step.pass().outputs(), step.logDet(), path, this::retainedNode)
                : null;
        return new Retained(step.pass(), below, path);
    }

    private NodeResult backwardRetained(Retained node) {
        List<NodeResult> below = node.children() == null
                ? null
                : inOrder(node.children().size(), i -> backwardRetained(node.children().get(i)));
        return backwardNode(node.pass(), node.path(), below);
    }

    /** Runs one candidate on a node's input and, at the last depth, records the path's log-density. */
    private Step step(int depth, int option, Batch in, double[] logDetIn, int path) {
        ForwardPass pass = candidates[tree.layer(depth)][option].forward(in);
        evaluations.add(rows);
        double[] logDet = logDetIn.clone();
        double[] own = pass.logAbsDet();
        for (int r = 0; r < rows; r++) {
            logDet[r] += own[r];
        }
        if (depth + 1 == tree.depth()) {
            leafLogProb[path] = logProb(pass.outputs(), logDet);
        }
        return new Step(pass, logDet);
    }

    private double[] logProb(Batch z, double[] logDet) {
        double[] logProb = base.logProb(z);
        for (int r = 0; r < rows; r++) {
            logProb[r] += logDet[r];
        }
        return logProb;
    }

    /** Back-propagates one node, given its children's results (null at a leaf). */
    private NodeResult backwardNode(ForwardPass pass, int path, List<NodeResult> below) {
        Batch z = pass.outputs();
        int cols = z.cols();
        double[] gradOutputs = new double[rows * cols];
        double[] coefficientSum = new double[rows];
        Gradients gradients;
        if (below == null) {
            double[] c = coefficients.of(path);
            double[] zv = z.values();
            for (int r = 0; r < rows; r++) {
                coefficientSum[r] = c[r];
                for (int j = r * cols; j < (r + 1) * cols; j++) {
                    gradOutputs[j] = c[r] * zv[j];
                }
            }
            gradients = new Gradients();
        } else {
            gradients = below.get(0).gradients();
            for (int i = 0; i < below.size(); i++) {
                NodeResult child = below.get(i);
                add(gradOutputs, child.gradInput().values());
                add(coefficientSum, child.coefficientSum());
                if (i > 0) {
                    gradients.addAll(child.gradients());
                }
            }
        }
        double[] gradLogDet = new double[rows];
        for (int r = 0; r < rows; r++) {
            gradLogDet[r] = -coefficientSum[r];
        }
        Batch gradInput = pass.backward(new Batch(gradOutputs, rows, cols), gradLogDet, gradients);
        return new NodeResult(gradInput, coefficientSum, gradients);
    }

    private static Gradients merged(List<NodeResult> results) {
        Gradients gradients = results.get(0).gradients();
        for (int i = 1; i < results.size(); i++) {
            gradients.addAll(results.get(i).gradients());
        }
        return gradients;
    }

    private static void add(double[] into, double[] terms) {
        for (int i = 0; i < into.length; i++) {
            into[i] += terms[i];
        }
    }

    /** Visits the children of a node: one per option of the layer at {@code depth}, results in option order. */
    private <T> List<T> children(int depth, Batch in, double[] logDet, int pathBase, Visit<T> visit) {
        int[] options = tree.options(depth);
        int stride = tree.stride(depth);
        return inOrder(options.length, i -> visit.at(depth, options[i], in, logDet, pathBase + i * stride));
    }

    /** Runs {@code count} pieces of work, forked when there are workers, and returns their results in order. */
    private <T> List<T> inOrder(int count, IntFunction<T> work) {
        List<T> results = new ArrayList<>(count);
        if (pool == null || count == 1) {
            for (int i = 0; i < count; i++) {
                results.add(work.apply(i));
            }
            return results;
        }
        List<ForkJoinTask<T>> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            tasks.add(ForkJoinTask.adapt((Callable<T>) () -> work.apply(index)));
        }
        ForkJoinTask.invokeAll(tasks);
        for (ForkJoinTask<T> task : tasks) {
            results.add(task.join());
        }
        return results;
    }

    private <T> T run(Callable<T> walk) {
        if (pool == null) {
            try {
                return walk.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("mixture walk failed: " + e, e);
            }
        }
        return pool.invoke(ForkJoinTask.adapt(walk));
    }
}
