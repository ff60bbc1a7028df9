package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The optimiser half of a training step, after the chunks' backward passes: adds the chunks' gradients, takes
 * their global norm, and applies Adam with the clipping factor. With a 400k-parameter layer these passes over
 * every value cost a noticeable part of a step, so they are cut into fixed blocks of parameter values that the
 * trainer's workers process in parallel.
 *
 * <p>The blocks depend only on the parameter sizes, never on the number of workers; each block's sum of squares
 * is taken in one fixed order, and the blocks' sums are added in block order. So the norm, and with it the whole
 * step, is the same with any number of threads.
 */
final class ParameterUpdate {

    /** Values per block: large enough that a block's work dwarfs handing it out, small enough to balance. */
    static final int BLOCK = 1 << 14;
    /** Below this many values in all, one thread does the update: a hand-off would cost more than it saves. */
    static final int MIN_PARALLEL_VALUES = 1 << 17;

    private final Adam adam;
    private final List<Parameter> parameters;
    private final int[] blockParameter;
    private final int[] blockFrom;
    private final int[] blockTo;
    private final double[] blockSquares;
    /** Task t processes blocks [taskEnd[t-1], taskEnd[t]). */
    private final int[] taskEnd;
    private final Function<List<Callable<Void>>, ?> runner;

    /**
     * @param workers number of tasks to split the work into when it is large enough
     * @param runner  runs a list of tasks (possibly in parallel) and returns when all are done
     */
    ParameterUpdate(Adam adam, int workers, Function<List<Callable<Void>>, ?> runner) {
        this.adam = adam;
        this.parameters = adam.parameters();
        this.runner = runner;
        List<int[]> blocks = new ArrayList<>();
        long total = 0;
        for (int p = 0; p < parameters.size(); p++) {
            int size = parameters.get(p).size();
            total += size;
            for (int from = 0; from < size; from += BLOCK) {
                blocks.add(new int[] {p, from, Math.min(size, from + BLOCK)});
            }
        }
        blockParameter = new int[blocks.size()];
        blockFrom = new int[blocks.size()];
        blockTo = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            blockParameter[b] = blocks.get(b)[0];
            blockFrom[b] = blocks.get(b)[1];
            blockTo[b] = blocks.get(b)[2];
        }
        blockSquares = new double[blocks.size()];
        int tasks = total >= MIN_PARALLEL_VALUES ? Math.max(1, Math.min(workers, blocks.size())) : 1;
        // Task t takes the blocks up to where the running count of values passes (t+1)/tasks of the total.
        taskEnd = new int[tasks];
        long seen = 0;
        int t = 0;
        for (int b = 0; b < blocks.size(); b++) {
            seen += blockTo[b] - blockFrom[b];
            while (t < tasks - 1 && seen * tasks >= (t + 1) * total) {
                taskEnd[t++] = b + 1;
            }
        }
        while (t < tasks) {
            taskEnd[t++] = blocks.size();
        }
    }

    /**
     * Adds {@code chunks[1 .. count)} into {@code chunks[0]} (in chunk order, value by value) and returns the
     * Euclidean norm of the sum over all parameters.
     */
    double reduce(Gradients[] chunks, int count) {
        Gradients total = chunks[0];
        double[][][] byChunk = new double[count][parameters.size()][];
        // Gradients are not thread-safe: every array the blocks write is created here, before they run.
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int c = 1; c < count; c++) {
                byChunk[c][p] = chunks[c].getOrNull(parameter);
                if (byChunk[c][p] != null) {
                    total.of(parameter);
                }
            }
            byChunk[0][p] = total.getOrNull(parameter);
        }
        forEachBlock((from, to) -> {
            for (int b = from; b < to; b++) {
                blockSquares[b] = reduceBlock(byChunk, count, b);
            }
        });
        double squares = 0;
        for (double s : blockSquares) {
            squares += s;
        }
        return Math.sqrt(squares);
    }

    private double reduceBlock(double[][][] byChunk, int count, int b) {
        int p = blockParameter[b];
        double[] sum = byChunk[0][p];
        if (sum == null) {
            return 0;
        }
        int from = blockFrom[b];
        int to = blockTo[b];
        for (int c = 1; c < count; c++) {
            double[] g = byChunk[c][p];
            if (g != null) {
                for (int j = from; j < to; j++) {
                    sum[j] += g[j];
                }
            }
        }
        // Four interleaved partial sums: one running sum would be bound by the latency of the additions.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            s0 += sum[j] * sum[j];
            s1 += sum[j + 1] * sum[j + 1];
            s2 += sum[j + 2] * sum[j + 2];
            s3 += sum[j + 3] * sum[j + 3];
        }
        for (; j < to; j++) {
            s0 += sum[j] * sum[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** One Adam step from {@code gradientScale} times {@code total}. */
    void apply(Gradients total, double learningRate, double gradientScale) {
        double[][] g = adam.begin(total, learningRate);
        forEachBlock((from, to) -> {
            for (int b = from; b < to; b++) {
                int p = blockParameter[b];
                if (g[p] != null) {
                    adam.update(p, blockFrom[b], blockTo[b], g[p], learningRate, gradientScale);
                }
            }
        });
        adam.finish(g);
    }

    private interface BlockRange {
        void run(int fromBlock, int toBlock);
    }

    private void forEachBlock(BlockRange work) {
        if (taskEnd.length == 1) {
            work.run(0, blockParameter.length);
            return;
        }
        List<Callable<Void>> list = new ArrayList<>(taskEnd.length);
        for (int t = 0; t < taskEnd.length; t++) {
            int from = t == 0 ? 0 : taskEnd[t - 1];
            int to = taskEnd[t];
            list.add(() -> {
                work.run(from, to);
                return null;
            });
        }
        runner.apply(list);
    }
}
