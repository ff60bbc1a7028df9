package io.autonf.search;

import io.autonf.train.Adam;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A search stopped between two steps, with all it needs to take the next one exactly as it would have.
 *
 * @param step              steps taken (from 1; 0 before the first)
 * @param phaseIndex        the schedule phase of the next step
 * @param stepInPhase       steps of that phase already taken
 * @param roles             what every layer does in that phase (decided at its start from the argmax then)
 * @param layerEvaluations  compute spent so far
 * @param elapsed           search time spent so far, added to the wall time of the resumed search
 * @param learningRateScale the product of the rollback factors applied so far (1 without rollbacks)
 * @param rollbacks         rollbacks taken so far
 * @param theta             every candidate's parameter values by {@link MixtureFlow#thetaParameters()} name
 * @param alpha             every layer's logits by {@link MixtureFlow#alphaParameters()} name
 * @param thetaAdam         the θ optimiser
 * @param alphaAdam         the α optimiser
 * @param thetaSampler      where the training batches are
 * @param alphaSampler      where the validation batches are
 * @param trajectory        the rows recorded so far (row 0 and one per step taken)
 */
public record SearchProgress(int step, int phaseIndex, int stepInPhase, int[] roles, long layerEvaluations,
                             Duration elapsed, double learningRateScale, int rollbacks, Map<String, double[]> theta,
                             Map<String, double[]> alpha, Adam.State thetaAdam, Adam.State alphaAdam,
                             BatchSampler.Position thetaSampler, BatchSampler.Position alphaSampler,
                             AlphaTrajectory trajectory) {

    public SearchProgress {
        if (roles == null || elapsed == null || theta == null || alpha == null || thetaAdam == null
                || alphaAdam == null || thetaSampler == null || alphaSampler == null || trajectory == null) {
            throw new IllegalArgumentException("search progress needs every part of the search's state");
        }
        if (step < 0 || phaseIndex < 0 || stepInPhase < 0 || rollbacks < 0 || !(learningRateScale > 0)) {
            throw new IllegalArgumentException("invalid search position: step " + step + ", phase " + phaseIndex
                    + ", step in phase " + stepInPhase + ", rollbacks " + rollbacks + ", rate scale " + learningRateScale);
        }
        if (trajectory.steps() != step) {
            throw new IllegalArgumentException("the trajectory has " + trajectory.steps() + " steps, the progress " + step);
        }
        roles = roles.clone();
        theta = new LinkedHashMap<>(theta);
        alpha = new LinkedHashMap<>(alpha);
    }

    @Override
    public int[] roles() {
        return roles.clone();
    }
}
