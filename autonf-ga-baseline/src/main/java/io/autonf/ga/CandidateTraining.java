package io.autonf.ga;

import io.autonf.flow.Architecture;

/**
 * Trains one candidate architecture from scratch with a fixed budget and reports its validation NLL.
 * {@link FlowTraining} is the real one; tests substitute cheap stand-ins. An implementation may be called from
 * several threads at once, each call with its own architecture.
 */
@FunctionalInterface
public interface CandidateTraining {

    /**
     * @param seed the only source of randomness of this training (initial parameters, batch order), so that a
     *             candidate's outcome depends on its architecture and seed alone, never on which thread or in
     *             which order it ran
     * @return the outcome; a failure may be returned ({@link TrainingOutcome#failed}) or thrown
     */
    TrainingOutcome train(Architecture architecture, long seed);
}
