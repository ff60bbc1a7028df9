package io.autonf.flow.transforms;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.nn.Network;
import io.autonf.nn.NetworkPass;

import java.util.Map;

/**
 * nflows' AutoregressiveTransform: a MADE computes every feature's parameters from the features before it, and
 * an element-wise map transforms each feature with its parameters.
 *
 * <p>The forward direction (density evaluation) is one network pass. The inverse (sampling) is D passes, as in
 * nflows: starting from zeros, each pass recomputes all parameters from the current estimate and inverts every
 * feature; after pass p the first p+1 features are exact, so after D passes all are.
 */
abstract class AutoregressiveTransform extends AbstractTransform {

    private final Network made;
    private final ElementwiseMap map;
    private final Map<String, Parameter> parameters;

    /**
     * @param conditioner builds the MADE from (features, features x parameters per feature); its outputs must be
     *                    grouped per feature, as nflows' MADE orders them
     */
    AutoregressiveTransform(int dimension, ConditionerFactory conditioner, ElementwiseMap map) {
        super(dimension);
        int outputs = dimension * map.parametersPerFeature();
        this.made = ConditionedTransforms.requireShape(conditioner.create(dimension, outputs), dimension, outputs,
                getClass().getSimpleName());
        this.map = map;
        this.parameters = ConditionedTransforms.prefixed("autoregressive_net", made);
    }

    /** The conditioner (a MADE). */
    public final Network network() {
        return made;
    }

    @Override
    public final Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    protected final ForwardPass forwardInternal(Batch inputs) {
        int rows = inputs.rows();
        int d = dimension();
        double[] x = inputs.values();
        NetworkPass pass = made.forward(inputs);
        double[] params = pass.outputs().values();
        double[] y = new double[x.length];
        double[] logAbsDet = new double[rows];
        map.forward(rows, d, x, params, y, logAbsDet);
        Batch outputs = new Batch(y, rows, d);
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
                ConditionedTransforms.requireGradients(gradOutputs, gradLogAbsDet, rows, d, AutoregressiveTransform.this);
                double[] gradX = new double[x.length];
                double[] gradParams = new double[params.length];
                map.backward(rows, d, x, params, gradOutputs.values(), gradLogAbsDet, gradX, gradParams);
                // x also reaches z through the parameters of the later features.
                double[] throughNet = pass.backward(
                        new Batch(gradParams, rows, d * map.parametersPerFeature()), gradients).values();
                for (int i = 0; i < gradX.length; i++) {
                    gradX[i] += throughNet[i];
                }
                return new Batch(gradX, rows, d);
            }
        };
    }

    @Override
    protected final Mapping inverseInternal(Batch inputs) {
        int rows = inputs.rows();
        int d = dimension();
        double[] z = inputs.values();
        double[] x = new double[z.length];
        double[] logAbsDet = new double[rows];
        for (int pass = 0; pass < d; pass++) {
            double[] params = made.forward(new Batch(x, rows, d)).outputs().values();
            double[] next = new double[z.length];
            map.inverse(rows, d, z, params, next, logAbsDet);
            x = next;
        }
        return new Mapping(new Batch(x, rows, d), logAbsDet);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + dimension() + " features]";
    }
}
