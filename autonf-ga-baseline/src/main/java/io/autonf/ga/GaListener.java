package io.autonf.ga;

import io.autonf.metric.FlowEvaluation;

/**
 * Progress of a GA run, called on the thread that runs it. Every method does nothing by default, so a listener
 * overrides only what it records.
 */
public interface GaListener {

    GaListener NONE = new GaListener() {
    };

    /** Once, before the first generation. */
    default void onStart(GaConfig config) {
    }

    /**
     * Once, instead of {@link #onStart}, when a run goes on from {@code checkpoint}: every event up to the
     * checkpoint (its candidates and generations) was told to the interrupted run's listener, and only what follows
     * it is told now. Events after the checkpoint that the interrupted run had already told (the candidates of a
     * generation it did not finish, a generation after the last checkpoint) are told again, with the same values:
     * a tracker that must log each once can skip candidate indexes and generations it has already logged.
     */
    default void onResume(GaCheckpoint checkpoint) {
    }

    /** After each candidate's training, in the candidates' index order (also with several workers). */
    default void onCandidate(CandidateEvaluation candidate) {
    }

    /** After each generation. */
    default void onGeneration(GenerationStatistics generation) {
    }

    /** Once, after the last generation (before any retraining). */
    default void onFinish(GaResult result) {
    }

    /**
     * After a flow trained from scratch has been evaluated on test data: {@code "found"} for the GA's best
     * architecture, {@code "reference"} for the one it is compared with (as {@code SearchListener.onEvaluation}).
     */
    default void onEvaluation(String label, FlowEvaluation evaluation) {
    }
}
