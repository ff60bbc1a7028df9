package io.autonf.train;

import io.autonf.flow.Flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A flow together with what a model file records about it.
 *
 * @param spec     how to build the flow again
 * @param flow     the flow, holding its trained parameters
 * @param dataset  name of the data set it was trained on ("" if unknown)
 * @param training free-form summary of the training run (JSON-compatible values: numbers, strings, booleans,
 *                 lists and maps of them), e.g. {@link TrainingConfig#summary()} and {@link TrainingResult#summary()}
 */
public record TrainedFlow(FlowSpec spec, Flow flow, String dataset, Map<String, Object> training) {

    public TrainedFlow {
        if (spec == null || flow == null) {
            throw new IllegalArgumentException("a trained flow needs its spec and its flow");
        }
        if (flow.dimension() != spec.dimension()) {
            throw new IllegalArgumentException("flow has " + flow.dimension() + " features but its spec says " + spec.dimension());
        }
        dataset = dataset == null ? "" : dataset;
        training = training == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(training));
    }
}
