package io.autonf.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transforms applied in order; itself a transform. Log-determinants add, and the inverse runs the parts
 * in reverse order.
 */
public final class CompositeTransform extends AbstractTransform {

    private final List<Transform> parts;
    private final Map<String, Parameter> parameters;

    public CompositeTransform(List<? extends Transform> parts) {
        super(requireParts(parts).get(0).dimension());
        for (Transform t : parts) {
            if (t.dimension() != dimension()) {
                throw new IllegalArgumentException("cannot compose transforms of " + dimension() + " and "
                        + t.dimension() + " features");
            }
        }
        this.parts = List.copyOf(parts);
        Map<String, Parameter> all = new LinkedHashMap<>();
        for (int i = 0; i < this.parts.size(); i++) {
            for (Map.Entry<String, Parameter> e : this.parts.get(i).parameters().entrySet()) {
                all.put(i + "." + e.getKey(), e.getValue());
            }
        }
        this.parameters = Collections.unmodifiableMap(all);
    }

    private static List<? extends Transform> requireParts(List<? extends Transform> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("a composite transform needs at least one part");
        }
        return parts;
    }

    public List<Transform> parts() {
        return parts;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        List<ForwardPass> passes = new ArrayList<>(parts.size());
        double[] logAbsDet = new double[inputs.rows()];
        Batch current = inputs;
        for (Transform t : parts) {
            ForwardPass pass = t.forward(current);
            passes.add(pass);
            addInto(logAbsDet, pass.logAbsDet());
            current = pass.outputs();
        }
        Batch outputs = current;
        return new ForwardPass() {
            @Override
            public Batch outputs() {
                return outputs;
            }

            @Override
            public double[] logAbsDet() {
                return logAbsDet;
            }

            @Override
            public Batch backward(Batch gradOutputs, double[] gradLogAbsDet, Gradients gradients) {
                // Every part's log-det enters the sum with weight one, so all receive the same gradient.
                Batch grad = gradOutputs;
                for (int i = passes.size() - 1; i >= 0; i--) {
                    grad = passes.get(i).backward(grad, gradLogAbsDet, gradients);
                }
                return grad;
            }
        };
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        double[] logAbsDet = new double[inputs.rows()];
        Batch current = inputs;
        for (int i = parts.size() - 1; i >= 0; i--) {
            Mapping m = parts.get(i).inverse(current);
            addInto(logAbsDet, m.logAbsDet());
            current = m.outputs();
        }
        return new Mapping(current, logAbsDet);
    }

    private static void addInto(double[] sum, double[] terms) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += terms[i];
        }
    }
}
