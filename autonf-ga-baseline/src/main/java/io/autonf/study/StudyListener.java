package io.autonf.study;

import io.autonf.event.SearchListener;
import io.autonf.ga.GaListener;
import io.autonf.train.TrainingListener;

/**
 * Progress of a study, called on the thread that runs it; every method does nothing by default.
 *
 * <p>Per cell and method: {@link #onCellStart}, then the method's own events through the listener the study asks
 * for ({@link #search}, {@link #ga}, {@link #training}), then {@link #onCellFinish}; a tracker can open a nested
 * run at the start, forward the events into it and close it at the finish. A reference is trained once per data
 * set × seed and serves every emphasis; it is reported once, under the cell of the emphasis it is the reference of
 * (RQ-AF: forward, RQ-C: inverse; the first emphasis of the study when its own is not studied).
 */
public interface StudyListener {

    StudyListener NONE = new StudyListener() {
    };

    default void onStart(StudyConfig config) {
    }

    /**
     * Once, instead of {@link #onStart}, when a study goes on from {@code checkpoint}: its methods and convergences
     * were told to the interrupted study's listener and are not told again.
     */
    default void onResume(StudyCheckpoint checkpoint) {
    }

    default void onCellStart(StudyCell cell, StudyMethod method) {
    }

    /** AutoNF's search events in {@code cell} (also told {@code onEvaluation("found", ...)}). */
    default SearchListener search(StudyCell cell) {
        return SearchListener.NONE;
    }

    /** The GA's events in {@code cell} (also told {@code onEvaluation("found", ...)}). */
    default GaListener ga(StudyCell cell) {
        return GaListener.NONE;
    }

    /** The final training from scratch of {@code method}'s flow in {@code cell}. */
    default TrainingListener training(StudyCell cell, StudyMethod method) {
        return TrainingListener.NONE;
    }

    /** The method's numbers in {@code cell}, or its failure ({@link MethodResult#failed()}). */
    default void onCellFinish(StudyCell cell, StudyMethod method, MethodResult result) {
    }

    /** AutoNF against the GA in {@code cell}, after both ran. */
    default void onConvergence(Convergence convergence) {
    }

    default void onFinish(StudyReport report) {
    }
}
