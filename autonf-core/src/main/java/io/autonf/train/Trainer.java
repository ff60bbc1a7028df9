package io.autonf.train;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.telemetry.AutoNfMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Trains a flow by maximum likelihood: shuffled mini-batches, mean NLL, global-norm clipping, Adam on a cosine
 * schedule, validation every few steps, early stopping, and finally the best-on-validation parameters restored.
 *
 * <h2>Parallelism and reproducibility</h2>
 * A step's batch is cut into contiguous chunks, one per worker thread, each back-propagated into its own
 * {@link Gradients}; the losses are added in chunk order, and the gradients, value by value in chunk order, by
 * {@link ParameterUpdate}, which also takes the norm and applies Adam over fixed blocks of parameter values
 * spread over the same workers. The cut depends only on the batch size and the configured number of workers,
 * and the blocks only on the parameter sizes, never on thread timing, so:
 * <ul>
 *   <li>the same flow initialisation, data, configuration and shuffling seed give bit-identical parameters,
 *       whatever the number of threads and however they are scheduled;</li>
 *   <li>a different number of workers changes the order in which per-row gradient terms are added, so results
 *       agree only up to floating-point rounding (and training, being a long chain of such sums, amplifies
 *       that rounding somewhat).</li>
 * </ul>
 * A batch is split only when every chunk gets at least {@link #MIN_ROWS_PER_CHUNK} rows; below that, handing
 * work to another thread costs more than it saves. Validation and test NLL are computed row by row in chunks
 * spread over the same workers; a row's NLL does not depend on the chunk it is in, so evaluation gives the
 * same numbers with any number of threads.
 *
 * <p>A trainer owns a fixed pool of {@code workerThreads} threads (none for one worker); close it when done.
 * One trainer runs one {@code train} or {@code evaluate} call at a time.
 *
 * <p><b>Meters.</b> Each step is timed as {@value AutoNfMeters#TRAIN_STEP}, its rows counted in
 * {@value AutoNfMeters#TRAIN_SAMPLES}, each validation timed as {@value AutoNfMeters#TRAIN_VALIDATION}, in the
 * registry given (Micrometer's global one by default).
 */
public final class Trainer implements AutoCloseable {

    /**
     * The smallest chunk worth a thread of its own. A hand-off to a pool thread and back costs tens of
     * microseconds; a forward and backward pass over 64 rows of a flow layer with 256-wide conditioner networks
     * costs milliseconds, so 64 rows keeps the overhead at a few per cent even for narrow networks.
     */
    public static final int MIN_ROWS_PER_CHUNK = 64;

    private final TrainingConfig config;
    private final ExecutorService pool;
    private final Timer stepTimer;
    private final Counter samples;
    private final Timer validationTimer;

    /** A trainer recording its meters in Micrometer's global registry. */
    public Trainer(TrainingConfig config) {
        this(config, null);
    }

    /** A trainer recording its meters in {@code registry} (the global one when null). */
    public Trainer(TrainingConfig config, MeterRegistry registry) {
        if (config == null) {
            throw new IllegalArgumentException("training config is required");
        }
        this.config = config;
        MeterRegistry meters = AutoNfMeters.orGlobal(registry);
        this.stepTimer = Timer.builder(AutoNfMeters.TRAIN_STEP).description("one training step").register(meters);
        this.samples = Counter.builder(AutoNfMeters.TRAIN_SAMPLES).baseUnit("samples")
                .description("training rows consumed").register(meters);
        this.validationTimer = Timer.builder(AutoNfMeters.TRAIN_VALIDATION).description("one validation pass")
                .register(meters);
        this.pool = config.workerThreads() == 1 ? null : Executors.newFixedThreadPool(config.workerThreads(), new WorkerThreads());
    }

    public TrainingConfig config() {
        return config;
    }

    /** Trains with a shuffling generator seeded from {@link TrainingConfig#seed()} and no listener. */
    public TrainingResult train(Flow flow, Batch train, Batch validation) {
        return train(flow, train, validation, new SplittableRandom(config.seed()), TrainingListener.NONE);
    }

    /**
     * Trains {@code flow} in place on {@code train}, validating on {@code validation}; afterwards the flow holds
     * the parameters with the lowest validation NLL seen.
     *
     * <p>Each epoch visits the training rows in a fresh random order drawn from {@code shuffle}; a final partial
     * batch is skipped (those rows are reshuffled into the next epoch), so every step sees the same number of
     * rows. With fewer training rows than the batch size, every step uses all of them.
     *
     * @throws TrainingDivergedException if a loss, gradient norm or validation NLL is NaN or infinite; the flow
     *                                   then holds the best parameters validated before that, if any
     */
    public TrainingResult train(Flow flow, Batch train, Batch validation, RandomGenerator shuffle,
                                TrainingListener listener) {
        requireData(flow, train, "training");
        requireData(flow, validation, "validation");
        if (shuffle == null || listener == null) {
            throw new IllegalArgumentException("a shuffling generator and a listener are required (use TrainingListener.NONE)");
        }
        long start = System.nanoTime();
        List<Parameter> parameters = List.copyOf(flow.parameters().values());
        Adam adam = new Adam(flow.parameters(), config.weightDecay());
        ParameterUpdate update = new ParameterUpdate(adam, config.workerThreads(), this::runAll);
        LearningRateSchedule schedule = config.schedule();

        int cols = train.cols();
        int batchRows = Math.min(config.batchSize(), train.rows());
        int batchesPerEpoch = train.rows() / batchRows;
        int[] order = new int[train.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int nextBatch = batchesPerEpoch;
        double[] batchValues = new double[batchRows * cols];
        Batch batch = new Batch(batchValues, batchRows, cols);
        // One gradient object per chunk, reset rather than reallocated every step.
        Gradients[] chunkGradients = new Gradients[chunkCount(batchRows)];
        for (int c = 0; c < chunkGradients.length; c++) {
            chunkGradients[c] = new Gradients();
        }

        double bestNll = Double.POSITIVE_INFINITY;
        int bestStep = 0;
        double[][] best = null;
        int validationsWithoutImprovement = 0;
        StopReason stopReason = StopReason.MAX_STEPS;
        int step = 0;
        try {
            while (step < config.maxSteps()) {
                step++;
                long stepStart = System.nanoTime();
                if (nextBatch == batchesPerEpoch) {
                    shuffle(order, shuffle);
                    nextBatch = 0;
                }
                double[] source = train.values();
                int first = nextBatch * batchRows;
                for (int r = 0; r < batchRows; r++) {
                    System.arraycopy(source, order[first + r] * cols, batchValues, r * cols, cols);
                }
                nextBatch++;

                for (Gradients g : chunkGradients) {
                    g.reset();
                }
                double loss = lossAndGradient(flow, batch, chunkGradients);
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(step, "the training loss", loss);
                }
                double gradientNorm = update.reduce(chunkGradients, chunkGradients.length);
                if (!Double.isFinite(gradientNorm)) {
                    throw new TrainingDivergedException(step, "the gradient norm", gradientNorm);
                }
                // Global-norm clipping: the direction is kept and the norm becomes clipNorm.
                double clipFactor = gradientNorm > config.clipNorm() ? config.clipNorm() / gradientNorm : 1.0;
                double rate = schedule.rate(step - 1);
                update.apply(chunkGradients[0], rate, clipFactor);
                stepTimer.record(System.nanoTime() - stepStart, TimeUnit.NANOSECONDS);
                samples.increment(batchRows);
                listener.onStep(step, rate, loss, gradientNorm);

                if (step % config.validateEvery() == 0 || step == config.maxSteps()) {
                    long validationStart = System.nanoTime();
                    double nll = meanNll(flow, validation);
                    validationTimer.record(System.nanoTime() - validationStart, TimeUnit.NANOSECONDS);
                    if (!Double.isFinite(nll)) {
                        throw new TrainingDivergedException(step, "the validation NLL", nll);
                    }
                    boolean isBest = nll < bestNll;
                    if (isBest) {
                        bestNll = nll;
                        bestStep = step;
                        best = snapshot(parameters);
                        validationsWithoutImprovement = 0;
                    } else {
                        validationsWithoutImprovement++;
                    }
                    listener.onValidation(step, nll, isBest);
                    if (validationsWithoutImprovement >= config.patience()) {
                        stopReason = StopReason.EARLY_STOPPED;
                        break;
                    }
                }
            }
        } catch (TrainingDivergedException e) {
            if (best != null) {
                restore(parameters, best);
            }
            throw e;
        }
        restore(parameters, best);
        Duration wallTime = Duration.ofNanos(System.nanoTime() - start);
        double seconds = Math.max(wallTime.toNanos(), 1) / 1e9;
        TrainingResult result = new TrainingResult(bestNll, step, bestStep, wallTime,
                (double) step * batchRows / seconds, stopReason);
        listener.onFinish(result);
        return result;
    }

    /** Mean NLL of {@code data} under {@code flow}, with two standard errors. */
    public NllEstimate evaluate(Flow flow, Batch data) {
        requireData(flow, data, "evaluation");
        return NllEstimate.of(nllPerRow(flow, data));
    }

    /** Mean NLL of {@code data}, summed in row order so that it does not depend on the chunking. */
    double meanNll(Flow flow, Batch data) {
        double[] nll = nllPerRow(flow, data);
        double sum = 0;
        for (double v : nll) {
            sum += v;
        }
        return sum / nll.length;
    }

    /** -log p(x) of every row, in chunks of at most the validation batch size spread over the workers. */
    double[] nllPerRow(Flow flow, Batch data) {
        int rows = data.rows();
        int workers = config.workerThreads();
        int chunkRows = Math.min(config.validationBatchSize(),
                Math.max(MIN_ROWS_PER_CHUNK, (rows + workers - 1) / workers));
        double[] nll = new double[rows];
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int from = 0; from < rows; from += chunkRows) {
            int start = from;
            int end = Math.min(rows, from + chunkRows);
            tasks.add(() -> {
                double[] logProb = flow.logProb(data.slice(start, end));
                for (int i = 0; i < logProb.length; i++) {
                    nll[start + i] = -logProb[i];
                }
                return null;
            });
        }
        runAll(tasks);
        return nll;
    }

    /** How many chunks a batch of {@code rows} is cut into. */
    private int chunkCount(int rows) {
        return Math.max(1, Math.min(config.workerThreads(), rows / MIN_ROWS_PER_CHUNK));
    }

    /**
     * Mean NLL of the batch; back-propagates chunk c's share of its gradient into {@code chunkGradients[c]},
     * one chunk per gradient object.
     */
    private double lossAndGradient(Flow flow, Batch batch, Gradients[] chunkGradients) {
        int rows = batch.rows();
        int chunks = chunkGradients.length;
        if (chunks == 1) {
            return flow.meanNllWithGradient(batch, chunkGradients[0], 1.0);
        }
        List<Callable<Double>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) c * rows / chunks);
            int to = (int) ((long) (c + 1) * rows / chunks);
            double weight = (double) (to - from) / rows;
            Gradients own = chunkGradients[c];
            tasks.add(() -> weight * flow.meanNllWithGradient(batch.slice(from, to), own, weight));
        }
        double loss = 0;
        for (double weightedLoss : runAll(tasks)) {
            loss += weightedLoss;
        }
        return loss;
    }

    /** Runs the tasks on the pool (or here, with one worker) and returns their results in task order. */
    private <T> List<T> runAll(List<Callable<T>> tasks) {
        List<T> results = new ArrayList<>(tasks.size());
        try {
            if (pool == null || tasks.size() == 1) {
                for (Callable<T> task : tasks) {
                    results.add(task.call());
                }
                return results;
            }
            List<Future<T>> futures = pool.invokeAll(tasks);
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training was interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("a training worker failed: " + cause, cause);
    }

    private static void shuffle(int[] order, RandomGenerator rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static double[][] snapshot(List<Parameter> parameters) {
        double[][] copy = new double[parameters.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = parameters.get(i).values().clone();
        }
        return copy;
    }

    private static void restore(List<Parameter> parameters, double[][] values) {
        for (int i = 0; i < values.length; i++) {
            parameters.get(i).set(values[i]);
        }
    }

    private static void requireData(Flow flow, Batch data, String what) {
        if (flow == null) {
            throw new IllegalArgumentException("a flow is required");
        }
        if (data == null || data.rows() == 0) {
            throw new IllegalArgumentException(what + " data is empty");
        }
        data.requireCols(flow.dimension(), "the flow given " + what + " data");
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Daemon threads with recognisable names, so a forgotten trainer never keeps the JVM alive. */
    private static final class WorkerThreads implements ThreadFactory {
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "autonf-train-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
