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
import java.util.function.Function;

/**
 * nflows' CouplingTransform with the alternating mask: the identity features pass unchanged and are the
 * conditioner's input; the conditioner's output parameterises an element-wise map of the transformed features.
 *
 * <p>{@code evenMask = true} is nflows' {@code create_alternating_binary_mask(D, even=True)}: features 0, 2, 4, ...
 * are transformed and 1, 3, 5, ... are the identity; {@code false} swaps the roles. Both groups keep increasing
 * index order, which fixes the order of the network's inputs and outputs.
 */
abstract class CouplingTransform extends AbstractTransform {

    private final int[] identityFeatures;
    private final int[] transformFeatures;
    private final Network network;
    private final ElementwiseMap map;
    private final Map<String, Parameter> parameters;

    /**
     * @param conditioner          builds the network from (identity features, transformed features x parameters)
     * @param mapFactory           builds the element-wise map once the network is known (spline scales depend on
     *                             its hidden width)
     * @param parametersPerFeature network outputs per transformed feature
     */
    CouplingTransform(int dimension, boolean evenMask, ConditionerFactory conditioner,
                      Function<Network, ElementwiseMap> mapFactory, int parametersPerFeature) {
        super(requireTwoFeatures(dimension));
        int transformed = evenMask ? (dimension + 1) / 2 : dimension / 2;
        this.transformFeatures = alternating(transformed, evenMask ? 0 : 1);
        this.identityFeatures = alternating(dimension - transformed, evenMask ? 1 : 0);
        Network net = conditioner.create(identityFeatures.length, transformed * parametersPerFeature);
        this.network = ConditionedTransforms.requireShape(net, identityFeatures.length,
                transformed * parametersPerFeature, getClass().getSimpleName());
        this.map = mapFactory.apply(net);
        if (map.parametersPerFeature() != parametersPerFeature) {
            throw new IllegalStateException("element-wise map takes " + map.parametersPerFeature()
                    + " parameters per feature, not " + parametersPerFeature);
        }
        this.parameters = ConditionedTransforms.prefixed("transform_net", net);
    }

    private static int requireTwoFeatures(int dimension) {
        if (dimension < 2) {
            throw new IllegalArgumentException("a coupling transform needs at least 2 features (one to condition on, "
                    + "one to transform), got " + dimension);
        }
        return dimension;
    }

    private static int[] alternating(int count, int first) {
        int[] features = new int[count];
        for (int i = 0; i < count; i++) {
            features[i] = first + 2 * i;
        }
        return features;
    }

    /** The conditioner (a residual network). */
    public final Network network() {
        return network;
    }

    /** Indices of the features the conditioner reads and that pass unchanged, increasing. */
    public final int[] identityFeatures() {
        return identityFeatures.clone();
    }

    /** Indices of the features the element-wise map transforms, increasing. */
    public final int[] transformFeatures() {
        return transformFeatures.clone();
    }

    @Override
    public final Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    protected final ForwardPass forwardInternal(Batch inputs) {
        int rows = inputs.rows();
        int d = dimension();
        int t = transformFeatures.length;
        double[] x = inputs.values();
        double[] transformIn = gather(x, rows, d, transformFeatures);
        NetworkPass pass = network.forward(new Batch(gather(x, rows, d, identityFeatures), rows, identityFeatures.length));
        double[] params = pass.outputs().values();
        double[] transformOut = new double[rows * t];
        double[] logAbsDet = new double[rows];
        map.forward(rows, t, transformIn, params, transformOut, logAbsDet);
        double[] y = x.clone();
        scatter(transformOut, rows, d, transformFeatures, y);
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
                ConditionedTransforms.requireGradients(gradOutputs, gradLogAbsDet, rows, d, CouplingTransform.this);
                double[] gz = gradOutputs.values();
                double[] gradTransformIn = new double[rows * t];
                double[] gradParams = new double[params.length];
                map.backward(rows, t, transformIn, params, gather(gz, rows, d, transformFeatures), gradLogAbsDet,
                        gradTransformIn, gradParams);
                double[] gradIdentity = pass.backward(new Batch(gradParams, rows, t * map.parametersPerFeature()),
                        gradients).values();
                // Identity features reach z directly (pass-through) and through the conditioner.
                double[] gx = gz.clone();
                int m = identityFeatures.length;
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < m; j++) {
                        gx[r * d + identityFeatures[j]] += gradIdentity[r * m + j];
                    }
                }
                scatter(gradTransformIn, rows, d, transformFeatures, gx);
                return new Batch(gx, rows, d);
            }
        };
    }

    @Override
    protected final Mapping inverseInternal(Batch inputs) {
        int rows = inputs.rows();
        int d = dimension();
        int t = transformFeatures.length;
        double[] z = inputs.values();
        double[] params = network.forward(new Batch(gather(z, rows, d, identityFeatures), rows,
                identityFeatures.length)).outputs().values();
        double[] transformOut = new double[rows * t];
        double[] logAbsDet = new double[rows];
        map.inverse(rows, t, gather(z, rows, d, transformFeatures), params, transformOut, logAbsDet);
        double[] x = z.clone();
        scatter(transformOut, rows, d, transformFeatures, x);
        return new Mapping(new Batch(x, rows, d), logAbsDet);
    }

    /** Columns {@code features} of a rows x d block, as a rows x features.length block. */
    private static double[] gather(double[] values, int rows, int d, int[] features) {
        int m = features.length;
        double[] out = new double[rows * m];
        for (int r = 0; r < rows; r++) {
            int from = r * d;
            int to = r * m;
            for (int j = 0; j < m; j++) {
                out[to + j] = values[from + features[j]];
            }
        }
        return out;
    }

    /** Writes a rows x features.length block into columns {@code features} of a rows x d block. */
    private static void scatter(double[] block, int rows, int d, int[] features, double[] into) {
        int m = features.length;
        for (int r = 0; r < rows; r++) {
            int from = r * m;
            int to = r * d;
            for (int j = 0; j < m; j++) {
                into[to + features[j]] = block[from + j];
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + dimension() + " features, " + transformFeatures.length
                + " transformed]";
    }
}
