package io.autonf.ga;

import io.autonf.metric.FlowEvaluation;

import java.util.List;

/** Helpers for {@link GaListener}s. */
public final class GaListeners {

    private GaListeners() {
    }

    /**
     * One listener that tells every event to each of {@code listeners}, in list order. Every method of
     * {@link GaListener} is forwarded, {@link GaListener#onResume} included, so that a listener added to a
     * command (a progress bar, a tracker) hears a resumed run as it would hear it alone.
     */
    public static GaListener all(List<GaListener> listeners) {
        if (listeners == null || listeners.stream().anyMatch(l -> l == null)) {
            throw new IllegalArgumentException("the listeners must not be null");
        }
        List<GaListener> all = List.copyOf(listeners);
        return new GaListener() {
            @Override
            public void onStart(GaConfig config) {
                all.forEach(l -> l.onStart(config));
            }

            @Override
            public void onResume(GaCheckpoint checkpoint) {
                all.forEach(l -> l.onResume(checkpoint));
            }

            @Override
            public void onCandidate(CandidateEvaluation candidate) {
                all.forEach(l -> l.onCandidate(candidate));
            }

            @Override
            public void onGeneration(GenerationStatistics generation) {
                all.forEach(l -> l.onGeneration(generation));
            }

            @Override
            public void onFinish(GaResult result) {
                all.forEach(l -> l.onFinish(result));
            }

            @Override
            public void onEvaluation(String label, FlowEvaluation evaluation) {
                all.forEach(l -> l.onEvaluation(label, evaluation));
            }
        };
    }
}
