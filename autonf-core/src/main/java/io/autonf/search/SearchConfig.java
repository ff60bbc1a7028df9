package io.autonf.search;

import io.autonf.cost.CostEmphasis;
import io.autonf.flow.LayerKind;
import io.autonf.train.TrainingConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything one AutoNF search needs besides the data. Start from {@link #builder(SearchSpace)}; every value
 * is checked here, so that a bad configuration fails before any cost measurement or training starts. The one
 * check that needs the data's dimension, the memory of the mixture's paths, is
 * {@link AutoNfSearch#checkMemory}.
 *
 * @param space             the layers and their candidate options
 * @param loss              the mixture objective (the paper's eq. 8 or its upper bound, eq. 9)
 * @param lambda            weight λ of the normalised expected cost C_mix(α) in the α objective, {@code >= 0}
 * @param emphasis          which measured cost C_mix uses
 * @param method            how blocks are scheduled
 * @param blockSize         layers searched together (b); the mixture holds m^b paths per step
 * @param rounds            sweeps over all blocks ({@link SearchMethod#BLOCK}); {@link SearchMethod#GROW} visits
 *                          every block once, so it takes exactly 1
 * @param stepsPerBlock     alternating θ/α step pairs per visit of a block
 * @param warmupSteps       of those, how many at the start of each visit update θ only (candidates that have not
 *                          learned anything yet say little about which option is better)
 * @param thetaBatchSize    training rows per θ step
 * @param alphaBatchSize    validation rows per α step
 * @param theta             optimiser of the candidates' parameters
 * @param alpha             optimiser of the architecture logits α
 * @param memoryBudgetBytes the most the mixture's activations may take for one batch
 * @param allowIdentity     whether {@link LayerKind#IDENTITY} may be an option with the block method (with
 *                          grow it always may: a grown flow may stop early)
 * @param seed              seeds the mixture's initialisation and the batch order
 * @param threads           worker threads that share each step's batch
 * @param retraining        the budget with which the chosen architecture, and every reference it is compared
 *                          with, is trained from scratch afterwards (equal budgets)
 */
public record SearchConfig(
        SearchSpace space,
        SearchLoss loss,
        double lambda,
        CostEmphasis emphasis,
        SearchMethod method,
        int blockSize,
        int rounds,
        int stepsPerBlock,
        int warmupSteps,
        int thetaBatchSize,
        int alphaBatchSize,
        AdamSettings theta,
        AdamSettings alpha,
        long memoryBudgetBytes,
        boolean allowIdentity,
        long seed,
        int threads,
        TrainingConfig retraining) {

    public static final SearchLoss DEFAULT_LOSS = SearchLoss.UPPER_BOUND;
    public static final double DEFAULT_LAMBDA = 0.0;
    public static final CostEmphasis DEFAULT_EMPHASIS = CostEmphasis.FORWARD;
    public static final SearchMethod DEFAULT_METHOD = SearchMethod.BLOCK;
    public static final int DEFAULT_BLOCK_SIZE = 1;
    public static final int DEFAULT_BLOCK_ROUNDS = 2;
    public static final int DEFAULT_STEPS_PER_BLOCK = 200;
    public static final int DEFAULT_WARMUP_STEPS = 0;
    public static final int DEFAULT_BATCH_SIZE = 256;
    /** The default memory budget is this share of the JVM's maximum heap. */
    public static final double DEFAULT_MEMORY_SHARE = 0.5;

    public SearchConfig {
        if (space == null) {
            throw new IllegalArgumentException("a search space is required");
        }
        if (loss == null || emphasis == null || method == null) {
            throw new IllegalArgumentException("loss, cost emphasis and search method are required");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda (the cost weight) must be zero or a positive finite number, got "
                    + lambda);
        }
        if (blockSize < 1 || blockSize > space.layers()) {
            throw new IllegalArgumentException("block size must lie in [1, layers " + space.layers() + "], got "
                    + blockSize);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        if (method == SearchMethod.GROW && rounds != 1) {
            throw new IllegalArgumentException("the grow method searches each block once; rounds must be 1, got " + rounds);
        }
        if (stepsPerBlock < 1) {
            throw new IllegalArgumentException("steps per block must be at least 1, got " + stepsPerBlock);
        }
        if (warmupSteps < 0 || warmupSteps >= stepsPerBlock) {
            throw new IllegalArgumentException("warm-up steps must lie in [0, steps per block " + stepsPerBlock
                    + "), got " + warmupSteps);
        }
        if (thetaBatchSize < 1) {
            throw new IllegalArgumentException("θ batch size must be at least 1, got " + thetaBatchSize);
        }
        if (alphaBatchSize < 1) {
            throw new IllegalArgumentException("α batch size must be at least 1, got " + alphaBatchSize);
        }
        if (theta == null || alpha == null) {
            throw new IllegalArgumentException("θ and α optimiser settings are required");
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("memory budget must be positive, got " + memoryBudgetBytes + " bytes");
        }
        if (space.options().contains(LayerKind.IDENTITY) && method != SearchMethod.GROW && !allowIdentity) {
            throw new IllegalArgumentException("option 'identity' lets the search drop layers; it is meant for the "
                    + "grow method (with block, allow it explicitly)");
        }
        if (space.options().size() == 1 && space.options().get(0) == LayerKind.IDENTITY) {
            throw new IllegalArgumentException("'identity' cannot be the only option: the flow would have no layer");
        }
        if (threads < 1 || threads > TrainingConfig.MAX_WORKER_THREADS) {
            throw new IllegalArgumentException("threads must lie in [1, " + TrainingConfig.MAX_WORKER_THREADS + "], got "
                    + threads);
        }
        if (retraining == null) {
            throw new IllegalArgumentException("a retraining budget is required");
        }
    }

    /**
     * Parses a comma-separated option list such as {@code maf,rq-ar,affine-c,rq-c}, naming the empty or unknown
     * entry when there is one.
     */
    public static List<LayerKind> parseOptions(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty option list; write options like maf,rq-ar,affine-c,rq-c");
        }
        String[] parts = text.split(",", -1);
        List<LayerKind> options = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                throw new IllegalArgumentException("option " + (i + 1) + " of '" + text + "' is empty");
            }
            options.add(LayerKind.parse(parts[i]));
        }
        return options;
    }

    /** The default memory budget: {@link #DEFAULT_MEMORY_SHARE} of the maximum heap. */
    public static long defaultMemoryBudget() {
        return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_MEMORY_SHARE);
    }

    /** The generator that initialises the mixture's candidates: the first split of {@link #seed}. */
    public SplittableRandom initialisationRandom() {
        return new SplittableRandom(seed).split();
    }

    /** The generator of the batch order: the second split of {@link #seed}, independent of the initialisation. */
    public SplittableRandom batchRandom() {
        SplittableRandom root = new SplittableRandom(seed);
        root.split();
        return root.split();
    }

    /** Blocks of {@link #blockSize} consecutive layers; the last one may be shorter. */
    public int blockCount() {
        return (space.layers() + blockSize - 1) / blockSize;
    }

    /** α steps and θ steps each: every visit of every block. */
    public int totalSteps() {
        return blockCount() * rounds * stepsPerBlock;
    }

    /** The settings by snake_case name, for run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", space.layers());
        m.put("options", space.options().stream().map(LayerKind::id).toList());
        m.put("hidden_features", space.settings().hiddenFeatures());
        m.put("blocks_per_network", space.settings().blocks());
        m.put("bins", space.settings().bins());
        m.put("tail_bound", space.settings().tailBound());
        m.put("precision", space.settings().precision().name().toLowerCase(java.util.Locale.ROOT));
        m.put("loss", loss.id());
        m.put("lambda", lambda);
        m.put("emphasis", emphasis.id());
        m.put("method", method.id());
        m.put("block_size", blockSize);
        m.put("rounds", rounds);
        m.put("steps_per_block", stepsPerBlock);
        m.put("warmup_steps", warmupSteps);
        m.put("total_steps", totalSteps());
        m.put("theta_batch_size", thetaBatchSize);
        m.put("alpha_batch_size", alphaBatchSize);
        m.put("theta_optimiser", theta.summary());
        m.put("alpha_optimiser", alpha.summary());
        m.put("memory_budget_bytes", memoryBudgetBytes);
        m.put("allow_identity", allowIdentity);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("retraining", retraining.summary());
        return m;
    }

    public static Builder builder(SearchSpace space) {
        return new Builder(space);
    }

    /** A builder starting from the defaults; {@link #build()} validates. */
    public Builder toBuilder() {
        return new Builder(space).loss(loss).lambda(lambda).emphasis(emphasis).method(method).blockSize(blockSize)
                .rounds(rounds).stepsPerBlock(stepsPerBlock).warmupSteps(warmupSteps).thetaBatchSize(thetaBatchSize)
                .alphaBatchSize(alphaBatchSize).theta(theta).alpha(alpha).memoryBudgetBytes(memoryBudgetBytes)
                .allowIdentity(allowIdentity).seed(seed).threads(threads).retraining(retraining);
    }

    /**
     * Collects the settings; unset values take the defaults above ({@link AdamSettings#THETA_DEFAULT},
     * {@link AdamSettings#DARTS_ALPHA}, {@link TrainingConfig#DEFAULTS}). Rounds default to
     * {@link #DEFAULT_BLOCK_ROUNDS} with the block method and 1 with grow.
     */
    public static final class Builder {
        private SearchSpace space;
        private SearchLoss loss = DEFAULT_LOSS;
        private double lambda = DEFAULT_LAMBDA;
        private CostEmphasis emphasis = DEFAULT_EMPHASIS;
        private SearchMethod method = DEFAULT_METHOD;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private Integer rounds;
        private int stepsPerBlock = DEFAULT_STEPS_PER_BLOCK;
        private int warmupSteps = DEFAULT_WARMUP_STEPS;
        private int thetaBatchSize = DEFAULT_BATCH_SIZE;
        private int alphaBatchSize = DEFAULT_BATCH_SIZE;
        private AdamSettings theta = AdamSettings.THETA_DEFAULT;
        private AdamSettings alpha = AdamSettings.DARTS_ALPHA;
        private long memoryBudgetBytes = defaultMemoryBudget();
        private boolean allowIdentity;
        private long seed;
        private int threads = 1;
        private TrainingConfig retraining = TrainingConfig.DEFAULTS;

        private Builder(SearchSpace space) {
            this.space = space;
        }

        public Builder space(SearchSpace v) {
            space = v;
            return this;
        }

        public Builder loss(SearchLoss v) {
            loss = v;
            return this;
        }

        public Builder lambda(double v) {
            lambda = v;
            return this;
        }

        public Builder emphasis(CostEmphasis v) {
            emphasis = v;
            return this;
        }

        public Builder method(SearchMethod v) {
            method = v;
            return this;
        }

        public Builder blockSize(int v) {
            blockSize = v;
            return this;
        }

        public Builder rounds(int v) {
            rounds = v;
            return this;
        }

        public Builder stepsPerBlock(int v) {
            stepsPerBlock = v;
            return this;
        }

        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        public Builder thetaBatchSize(int v) {
            thetaBatchSize = v;
            return this;
        }

        public Builder alphaBatchSize(int v) {
            alphaBatchSize = v;
            return this;
        }

        public Builder theta(AdamSettings v) {
            theta = v;
            return this;
        }

        public Builder alpha(AdamSettings v) {
            alpha = v;
            return this;
        }

        public Builder memoryBudgetBytes(long v) {
            memoryBudgetBytes = v;
            return this;
        }

        public Builder allowIdentity(boolean v) {
            allowIdentity = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder retraining(TrainingConfig v) {
            retraining = v;
            return this;
        }

        public SearchConfig build() {
            int r = rounds != null ? rounds : method == SearchMethod.GROW ? 1 : DEFAULT_BLOCK_ROUNDS;
            return new SearchConfig(space, loss, lambda, emphasis, method, blockSize, r, stepsPerBlock, warmupSteps,
                    thetaBatchSize, alphaBatchSize, theta, alpha, memoryBudgetBytes, allowIdentity, seed, threads,
                    retraining);
        }
    }
}
