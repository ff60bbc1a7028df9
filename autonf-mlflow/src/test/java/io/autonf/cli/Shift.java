package io.autonf.cli;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;

import java.util.Map;

/** Test-only transform z = x + t with one parameter {@code t}: enough to drive the train command end to end. */
final class Shift extends AbstractTransform {

    private final Parameter t;

    Shift(int dimension) {
        super(dimension);
        t = new Parameter(dimension);
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Map.of("t", t);
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        int d = dimension();
        double[] z = inputs.values().clone();
        for (int i = 0; i < z.length; i++) {
            z[i] += t.values()[i % d];
        }
        Batch outputs = new Batch(z, inputs.rows(), d);
        double[] logAbsDet = new double[inputs.rows()];
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
                double[] g = gradients.of(t);
                double[] gz = gradOutputs.values();
                for (int i = 0; i < gz.length; i++) {
                    g[i % d] += gz[i];
                }
                return gradOutputs.copy();
            }
        };
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        int d = dimension();
        double[] x = inputs.values().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] -= t.values()[i % d];
        }
        return new Mapping(new Batch(x, inputs.rows(), d), new double[inputs.rows()]);
    }
}
