package io.autonf.search;

import io.autonf.cost.CostTable;
import io.autonf.cost.MixtureCosts;
import io.autonf.event.SearchListener;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerKind;
import io.autonf.flow.Parameter;
import io.autonf.telemetry.AutoNfMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.autonf.train.Adam;
import io.autonf.train.GradientClipping;
import io.autonf.train.TrainingDivergedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The AutoNF search loop (the paper's Algorithm 1, first-order): for every block visit of the
 * {@link SearchSchedule}, alternate one θ step and one α step.
 *
 * <ul>
 *   <li>θ step: a training batch; the search loss of the mixture (fixed layers at their option, block layers
 *       mixed, later layers absent as the phase says); Adam on the parameters of every candidate taking part.</li>
 *   <li>α step: a validation batch; the search loss plus λ·C_mix(α), C_mix the normalised expected cost of the
 *       chosen emphasis over all layers; Adam (DARTS' settings by default) on the logits of the block's layers
 *       only. Every other layer's α is left alone, so a fixed layer keeps the argmax it was fixed at.</li>
 * </ul>
 *
 * <p>First-order means θ is not unrolled: the α gradient is taken at the current θ, as in first-order DARTS.
 * The candidates' θ is shared across all phases (one set of parameters per layer and option) and is thrown away
 * afterwards: the chosen architecture is retrained from scratch.
 *
 * <p><b>Threads.</b> The mixture spreads each evaluation over its own workers (build it with
 * {@code config.threads()}); its results do not depend on their number, so a seed gives the same search
 * every time.
 *
 * <p><b>Meters.</b> Every θ and α update is timed as {@value AutoNfMeters#SEARCH_STEP} (tag {@code phase}), the
 * layer evaluations counted in {@value AutoNfMeters#SEARCH_LAYER_EVALUATIONS}, in the registry given
 * (Micrometer's global one by default).
 */
public final class AutoNfSearch {

    private final SearchConfig config;
    private final MixtureFlow mixture;
    private final CostTable costs;
    private final List<LayerKind> options;
    private final Timer thetaStepTimer;
    private final Timer alphaStepTimer;
    private final Counter layerEvaluations;

    /**
     * @param mixture the mixture over {@code config.space()}, freshly initialised (with
     *                {@link SearchConfig#initialisationRandom()} for a reproducible search; its θ and α are trained
     *                in place)
     * @param costs   a cost table covering every option, or null for a search without a cost term (λ = 0; the
     *                expected cost is then reported as NaN)
     */
    public AutoNfSearch(SearchConfig config, MixtureFlow mixture, CostTable costs) {
        this(config, mixture, costs, null);
    }

    /** As {@link #AutoNfSearch(SearchConfig, MixtureFlow, CostTable)}, recording meters in {@code registry}. */
    public AutoNfSearch(SearchConfig config, MixtureFlow mixture, CostTable costs, MeterRegistry registry) {
        if (config == null || mixture == null) {
            throw new IllegalArgumentException("a search needs its configuration and a mixture flow");
        }
        if (costs == null && config.lambda() != 0) {
            throw new IllegalArgumentException("lambda " + config.lambda() + " weighs a cost, so the search needs a cost table");
        }
        this.config = config;
        this.mixture = mixture;
        this.costs = costs;
        this.options = config.space().options();
        MeterRegistry meters = AutoNfMeters.orGlobal(registry);
        this.thetaStepTimer = Timer.builder(AutoNfMeters.SEARCH_STEP).tag("phase", "theta")
                .description("one search update").register(meters);
        this.alphaStepTimer = Timer.builder(AutoNfMeters.SEARCH_STEP).tag("phase", "alpha")
                .description("one search update").register(meters);
        this.layerEvaluations = Counter.builder(AutoNfMeters.SEARCH_LAYER_EVALUATIONS)
                .description("candidate-layer evaluations times rows").register(meters);
        if (costs != null) {
            // Fails now, naming the option, rather than at the first step.
            MixtureCosts.normalisedCosts(options, costs, config.emphasis());
        }
        if (!mixture.space().equals(config.space())) {
            throw new IllegalArgumentException("the mixture was built for another search space: " + mixture.space()
                    + " vs " + config.space());
        }
    }

    public SearchConfig config() {
        return config;
    }

    public MixtureFlow mixture() {
        return mixture;
    }

    /**
     * Checks, before any work, that every phase of the schedule fits the memory budget with the configured batch
     * sizes. A fixed layer is counted at its most memory-hungry option, since which option it will hold is only
     * known during the search.
     *
     * @throws IllegalArgumentException naming the phase and the bytes it needs when one does not fit
     */
    public static void checkMemory(SearchConfig config, MixtureFlow mixture) {
        int rows = Math.max(config.thetaBatchSize(), config.alphaBatchSize());
        int[] heaviest = new int[config.space().layers()];
        for (int i = 0; i < heaviest.length; i++) {
            heaviest[i] = heaviestOption(mixture, config.space().optionCount(), heaviest.length, i, rows);
        }
        for (SearchPhase phase : SearchSchedule.of(config)) {
            LayerRoles roles = phase.roles(heaviest);
            try {
                mixture.checkMemory(roles, rows, config.loss(), config.memoryBudgetBytes());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("block " + phase.block() + " (layers " + phase.firstLayer() + ".."
                        + (phase.endLayer() - 1) + ", round " + phase.round() + ") with block size "
                        + config.blockSize() + " and " + config.space().optionCount() + " options: " + e.getMessage(), e);
            }
        }
    }

    private static int heaviestOption(MixtureFlow mixture, int optionCount, int layers, int layer, int rows) {
        int best = 0;
        long bestBytes = -1;
        for (int j = 0; j < optionCount; j++) {
            int[] roles = new int[layers];
            Arrays.fill(roles, LayerRoles.ABSENT);
            roles[layer] = j;
            long bytes = mixture.estimatedBytes(new LayerRoles(roles), rows, SearchLoss.ORIGINAL);
            if (bytes > bestBytes) {
                bestBytes = bytes;
                best = j;
            }
        }
        return best;
    }

    /** Runs the whole schedule on {@code train} (θ) and {@code validation} (α). */
    public SearchResult run(Batch train, Batch validation, SearchListener listener) {
        requireData(train, "training");
        requireData(validation, "validation");
        if (listener == null) {
            throw new IllegalArgumentException("a listener is required (use SearchListener.NONE)");
        }
        checkMemory(config, mixture);
        long start = System.nanoTime();
        SplittableRandom rng = config.batchRandom();
        BatchSampler thetaBatches = new BatchSampler(train, config.thetaBatchSize(), rng.split());
        BatchSampler alphaBatches = new BatchSampler(validation, config.alphaBatchSize(), rng.split());
        Adam thetaAdam = config.theta().optimiser(mixture.thetaParameters());
        Adam alphaAdam = config.alpha().optimiser(mixture.alphaParameters());
        int layers = config.space().layers();

        listener.onStart(config);
        AlphaTrajectory.Recorder trajectory = new AlphaTrajectory.Recorder(options, layers);
        double[][] weights = mixture.weights();
        trajectory.record(-1, weights, expectedCost(weights), Double.NaN, Double.NaN, 0);
        long evaluations = 0;
        int step = 0;
        for (SearchPhase phase : SearchSchedule.of(config)) {
            LayerRoles roles = phase.roles(argmax(mixture.weights()));
            listener.onPhaseStart(phase, roles);
            List<Parameter> thetaTaking = List.copyOf(mixture.thetaParameters(roles).values());
            int[] block = phase.mixedLayers();
            List<Parameter> alphaTaking = new ArrayList<>(block.length);
            for (int layer : block) {
                alphaTaking.add(mixture.logits(layer));
            }
            for (int s = 0; s < config.stepsPerBlock(); s++) {
                step++;
                long thetaStart = System.nanoTime();
                Gradients thetaGradients = new Gradients();
                MixtureEvaluation trainEval = evaluate(thetaBatches.next(), roles, thetaGradients, null);
                requireFinite(step, "the training search loss", trainEval.loss());
                double norm = GradientClipping.clipGlobalNorm(thetaGradients, thetaTaking, config.theta().clipNorm());
                requireFinite(step, "the θ gradient norm", norm);
                thetaAdam.step(thetaGradients, config.theta().learningRate());
                evaluations += trainEval.layerEvaluations();
                thetaStepTimer.record(System.nanoTime() - thetaStart, TimeUnit.NANOSECONDS);
                layerEvaluations.increment(trainEval.layerEvaluations());

                double validationLoss = Double.NaN;
                if (s >= config.warmupSteps()) {
                    long alphaStart = System.nanoTime();
                    Gradients alphaGradients = new Gradients();
                    MixtureEvaluation validationEval = evaluate(alphaBatches.next(), roles, null, alphaGradients);
                    validationLoss = validationEval.loss();
                    requireFinite(step, "the validation search loss", validationLoss);
                    addCostGradient(block, alphaGradients);
                    double alphaNorm = GradientClipping.clipGlobalNorm(alphaGradients, alphaTaking,
                            config.alpha().clipNorm());
                    requireFinite(step, "the α gradient norm", alphaNorm);
                    alphaAdam.step(alphaGradients, config.alpha().learningRate());
                    evaluations += validationEval.layerEvaluations();
                    alphaStepTimer.record(System.nanoTime() - alphaStart, TimeUnit.NANOSECONDS);
                    layerEvaluations.increment(validationEval.layerEvaluations());
                }
                weights = mixture.weights();
                double cost = expectedCost(weights);
                trajectory.record(phase.index(), weights, cost, trainEval.loss(), validationLoss, evaluations);
                listener.onStep(step, phase.block(), trainEval.loss(), validationLoss, SearchResult.deepCopy(weights),
                        cost, evaluations);
            }
            int[] current = argmax(mixture.weights());
            int[] chosen = new int[block.length];
            for (int k = 0; k < block.length; k++) {
                chosen[k] = current[block[k]];
            }
            listener.onBlockFixed(phase.block(), block.clone(), chosen);
        }
        weights = mixture.weights();
        int[] choice = argmax(weights);
        Architecture architecture = architecture(choice, weights, options);
        listener.onArchitectureChosen(architecture, SearchResult.deepCopy(weights));
        SearchResult result = new SearchResult(architecture, choice, weights, trajectory.build(), evaluations,
                Duration.ofNanos(System.nanoTime() - start));
        listener.onFinish(result);
        return result;
    }

    /** λ·∂C_mix/∂α of the block's layers, added to their α gradients. */
    private void addCostGradient(int[] block, Gradients alphaGradients) {
        if (config.lambda() == 0) {
            return;
        }
        double[][] grad = MixtureCosts.expectedCostLogitGradient(mixture.weights(), options, costs, config.emphasis());
        for (int layer : block) {
            double[] into = alphaGradients.of(mixture.logits(layer));
            for (int j = 0; j < into.length; j++) {
                into[j] += config.lambda() * grad[layer][j];
            }
        }
    }

    /** C_mix at {@code weights}: the softmax weights of every layer, as the paper defines it. */
    double expectedCost(double[][] weights) {
        return costs == null ? Double.NaN : MixtureCosts.expectedCost(weights, options, costs, config.emphasis());
    }

    /** The mean search loss of {@code x}; gradients added into {@code theta} and {@code alpha} when not null. */
    private MixtureEvaluation evaluate(Batch x, LayerRoles roles, Gradients theta, Gradients alpha) {
        return mixture.evaluate(x, config.loss(), roles, theta, alpha);
    }

    /** The option with the largest weight in every layer (the first one on a tie). */
    public static int[] argmax(double[][] weights) {
        int[] choice = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            int best = 0;
            for (int j = 1; j < weights[i].length; j++) {
                if (weights[i][j] > weights[i][best]) {
                    best = j;
                }
            }
            choice[i] = best;
        }
        return choice;
    }

    /**
     * The architecture of {@code choice} with identity layers dropped. Should every layer choose identity, the
     * flow would be empty; then the layer whose best real option weighs most keeps that option (a flow needs at
     * least one layer, and that is the one the search was least sure to drop).
     */
    public static Architecture architecture(int[] choice, double[][] weights, List<LayerKind> options) {
        List<LayerKind> layers = new ArrayList<>(choice.length);
        for (int c : choice) {
            if (options.get(c) != LayerKind.IDENTITY) {
                layers.add(options.get(c));
            }
        }
        if (!layers.isEmpty()) {
            return new Architecture(layers);
        }
        LayerKind best = null;
        double bestWeight = -1;
        for (double[] layer : weights) {
            for (int j = 0; j < layer.length; j++) {
                if (options.get(j) != LayerKind.IDENTITY && layer[j] > bestWeight) {
                    bestWeight = layer[j];
                    best = options.get(j);
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("options " + options + " hold no layer other than identity");
        }
        return new Architecture(List.of(best));
    }

    /** The search's settings and the mixture's size, for run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>(config.summary());
        m.put("theta_parameters", mixture.thetaParameters().values().stream().mapToLong(Parameter::size).sum());
        if (costs != null) {
            m.put("normalised_option_costs", MixtureCosts.normalisedCosts(options, costs, config.emphasis()));
        }
        return m;
    }

    private static void requireFinite(int step, String what, double value) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(step, what, value);
        }
    }

    private void requireData(Batch data, String what) {
        if (data == null || data.rows() == 0) {
            throw new IllegalArgumentException(what + " data is empty");
        }
        data.requireCols(mixture.dimension(), "the search given " + what + " data");
    }
}
