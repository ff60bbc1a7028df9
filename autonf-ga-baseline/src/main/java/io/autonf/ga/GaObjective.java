package io.autonf.ga;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.CostTable;
import io.autonf.cost.MixtureCosts;
import io.autonf.flow.Architecture;
import io.autonf.search.SearchSpace;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The GA's fitness, minimised: <b>F(a) = validation NLL of a after the candidate budget + λ·C(a)</b>, with
 * C(a) = Σ over the layers of a of ĉ_j, ĉ_j the cost of option j for the emphasis divided by that of the most
 * expensive option of the space ({@link MixtureCosts#normalisedCosts}). That is the AutoNF α objective, search
 * loss + λ·C_mix(α), at the one-hot α of a's choice: C_mix of a one-hot α is exactly C(a)
 * ({@link MixtureCosts#expectedCost}), so both searches trade NLL against cost at the same rate and λ means the
 * same in both. (The one exception is a choice of identity in every layer, for which C_mix is 0; its decoded
 * architecture keeps one real layer, and C is the cost of that layer, i.e. of what is trained.)
 *
 * <p><b>Failures.</b> A candidate whose training fails (NaN or infinite loss, divergence, an exception) scores
 * {@link #FAILED_FITNESS}: finite, so that Jenetics can rank it, and worse than every candidate that trained.
 */
public final class GaObjective {

    /** The fitness of a failed candidate: the largest finite double, worse than any real NLL plus cost. */
    public static final double FAILED_FITNESS = Double.MAX_VALUE;

    private final SearchSpace space;
    private final CostTable costs;
    private final CostEmphasis emphasis;
    private final double lambda;
    private final CandidateTraining training;

    /**
     * @param costs a table covering every option, or null for an objective without a cost term (λ = 0; costs are
     *              then NaN)
     */
    public GaObjective(SearchSpace space, CostTable costs, CostEmphasis emphasis, double lambda,
                       CandidateTraining training) {
        if (space == null || emphasis == null || training == null) {
            throw new IllegalArgumentException("the objective needs a search space, a cost emphasis and a training");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda (the cost weight) must be zero or a positive finite number, got "
                    + lambda);
        }
        if (costs == null && lambda != 0) {
            throw new IllegalArgumentException("lambda " + lambda + " weighs a cost, so the objective needs a cost table");
        }
        if (costs != null) {
            // Fails now, naming the option, rather than at the first candidate.
            MixtureCosts.normalisedCosts(space.options(), costs, emphasis);
        }
        this.space = space;
        this.costs = costs;
        this.emphasis = emphasis;
        this.lambda = lambda;
        this.training = training;
    }

    public double lambda() {
        return lambda;
    }

    public CostEmphasis emphasis() {
        return emphasis;
    }

    /** C(a): the normalised cost of {@code architecture} (NaN without a cost table). */
    public double cost(Architecture architecture) {
        return costs == null ? Double.NaN
                : MixtureCosts.architectureCost(architecture, space.options(), costs, emphasis);
    }

    /** NLL + λ·cost; the cost term is left out when λ is 0 (the cost may then be NaN). */
    public static double fitness(double validationNll, double cost, double lambda) {
        return lambda == 0 ? validationNll : validationNll + lambda * cost;
    }

    /** The fitness a candidate with this NLL and cost gets: {@link #FAILED_FITNESS} when not finite. */
    public double fitness(double validationNll, double cost) {
        double f = fitness(validationNll, cost, lambda);
        return Double.isFinite(f) ? f : FAILED_FITNESS;
    }

    /**
     * Trains {@code architecture} with {@code seed} and scores it. Never throws for a failed training: a thrown
     * exception is recorded as the failure.
     */
    public CandidateEvaluation evaluate(Architecture architecture, long seed, int index, int generation) {
        double cost = cost(architecture);
        TrainingOutcome outcome;
        try {
            outcome = training.train(architecture, seed);
            if (outcome == null) {
                outcome = TrainingOutcome.failed("the candidate training returned nothing", 0, 0, Duration.ZERO);
            }
        } catch (RuntimeException e) {
            outcome = TrainingOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), 0, 0,
                    Duration.ZERO);
        }
        double fitness = outcome.failed() ? FAILED_FITNESS : fitness(outcome.validationNll(), cost);
        String failure = outcome.failed() ? outcome.failure()
                : fitness == FAILED_FITNESS ? "the fitness is not finite (cost " + cost + ")" : null;
        return new CandidateEvaluation(index, generation, architecture, seed,
                outcome.failed() ? Double.NaN : outcome.validationNll(), cost, fitness, outcome.stepsRun(),
                outcome.layerEvaluations(), outcome.wallTime(), failure);
    }

    /**
     * The training seed of {@code architecture} in a run seeded {@code seed}: a function of the two alone, so that
     * a candidate trains the same way whichever thread takes it and in whichever order.
     */
    public static long candidateSeed(long seed, Architecture architecture) {
        // String.hashCode is specified, so the seed is the same in every JVM.
        long mixed = new SplittableRandom(seed).nextLong() ^ ((long) architecture.toString().hashCode() << 32
                | architecture.size());
        return new SplittableRandom(mixed).nextLong();
    }
}
