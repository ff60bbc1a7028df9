package io.autonf.event;

import io.autonf.flow.Architecture;
import io.autonf.metric.FlowEvaluation;
import io.autonf.search.LayerRoles;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchPhase;
import io.autonf.search.SearchResult;

import java.util.List;

/** Combinations of {@link SearchListener}s. */
public final class SearchListeners {

    private SearchListeners() {
    }

    /** One listener that passes every event to each of {@code listeners}, in order. */
    public static SearchListener all(List<? extends SearchListener> listeners) {
        List<SearchListener> copy = List.copyOf(listeners);
        return new SearchListener() {
            @Override
            public void onStart(SearchConfig config) {
                copy.forEach(l -> l.onStart(config));
            }

            @Override
            public void onPhaseStart(SearchPhase phase, LayerRoles roles) {
                copy.forEach(l -> l.onPhaseStart(phase, roles));
            }

            @Override
            public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                               double expectedCost, long layerEvaluations) {
                copy.forEach(l -> l.onStep(step, block, trainLoss, validationLoss, weights, expectedCost,
                        layerEvaluations));
            }

            @Override
            public void onBlockFixed(int block, int[] layers, int[] choices) {
                copy.forEach(l -> l.onBlockFixed(block, layers, choices));
            }

            @Override
            public void onArchitectureChosen(Architecture architecture, double[][] weights) {
                copy.forEach(l -> l.onArchitectureChosen(architecture, weights));
            }

            @Override
            public void onRollback(int step, String what, double value, int rollbacks, double learningRateScale) {
                for (SearchListener l : copy) {
                    l.onRollback(step, what, value, rollbacks, learningRateScale);
                }
            }

            @Override
            public void onFinish(SearchResult result) {
                copy.forEach(l -> l.onFinish(result));
            }

            @Override
            public void onEvaluation(String label, FlowEvaluation evaluation) {
                copy.forEach(l -> l.onEvaluation(label, evaluation));
            }
        };
    }
}
