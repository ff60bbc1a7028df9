package io.autonf.event;

import io.autonf.flow.Architecture;
import io.autonf.metric.FlowEvaluation;
import io.autonf.search.LayerRoles;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchPhase;
import io.autonf.search.SearchResult;

/**
 * Progress of a search and of the evaluation that follows it, called on the thread that runs them. Every
 * method does nothing by default, so a listener overrides only what it records. Arrays passed in are copies
 * the listener may keep.
 */
public interface SearchListener {

    SearchListener NONE = new SearchListener() {
    };

    /** Once, before the first step (after the configuration and memory have been checked). */
    default void onStart(SearchConfig config) {
    }

    /** When a block visit begins; {@code roles} says what every layer does during it. */
    default void onPhaseStart(SearchPhase phase, LayerRoles roles) {
    }

    /**
     * After step {@code step} (from 1): one θ update on a training batch, then (after the warm-up) one α update
     * on a validation batch.
     *
     * @param block            the block being searched
     * @param trainLoss        the search loss on the training batch, before the θ update
     * @param validationLoss   the search loss on the validation batch, before the α update (NaN in warm-up)
     * @param weights          softmax(α) after the step, [layer][option]
     * @param expectedCost     C_mix at those weights (normalised, see the cost model)
     * @param layerEvaluations candidate-layer evaluations times rows spent so far
     */
    default void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                        double expectedCost, long layerEvaluations) {
    }

    /**
     * A non-finite {@code what} ({@code value}) at {@code step} was undone: the search went back to the state
     * after step {@code step - 1}, its learning rates now scaled by {@code learningRateScale}, and tries the step
     * again. {@code rollbacks} counts them so far.
     */
    default void onRollback(int step, String what, double value, int rollbacks, double learningRateScale) {
    }

    /** After a block visit: its layers are fixed at {@code choices} (option indices) until it is visited again. */
    default void onBlockFixed(int block, int[] layers, int[] choices) {
    }

    /** After the last step: the argmax architecture (identity layers dropped) and the final weights. */
    default void onArchitectureChosen(Architecture architecture, double[][] weights) {
    }

    /** Once, after the search (before any retraining or evaluation). */
    default void onFinish(SearchResult result) {
    }

    /**
     * After a flow trained from scratch has been evaluated on test data: {@code label} says which
     * ({@code "found"} for the searched architecture, {@code "reference"} for the one it is compared with).
     */
    default void onEvaluation(String label, FlowEvaluation evaluation) {
    }
}
