package io.autonf.train;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Test-only transform z = exp(s) * x + t per feature, with parameters {@code s} and {@code t}: the smallest
 * trainable flow, whose maximum-likelihood fit to Gaussian data is known in closed form
 * (s = -log sigma, t = -mu / sigma).
 */
final class ElementwiseAffine extends AbstractTransform {

    private final Parameter s;
    private final Parameter t;
    private final Map<String, Parameter> parameters;
    /** Names of the threads that ran forward passes, so tests can see the work was shared. */
    final Set<String> forwardThreads = ConcurrentHashMap.newKeySet();

    ElementwiseAffine(int dimension) {
        this(dimension, new int[] {dimension});
    }

    /** With {@code s} of an arbitrary shape holding {@code dimension} values, to test shape checks of loaders. */
    ElementwiseAffine(int dimension, int[] shapeOfS) {
        super(dimension);
        this.s = new Parameter(shapeOfS);
        if (s.size() != dimension) {
            throw new IllegalArgumentException("s must hold " + dimension + " values");
        }
        this.t = new Parameter(dimension);
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put("s", s);
        p.put("t", t);
        this.parameters = Collections.unmodifiableMap(p);
    }

    static ElementwiseAffine random(int dimension, RandomGenerator rng) {
        ElementwiseAffine a = new ElementwiseAffine(dimension);
        for (int j = 0; j < dimension; j++) {
            a.s.values()[j] = 0.3 * rng.nextGaussian();
            a.t.values()[j] = 0.3 * rng.nextGaussian();
        }
        a.s.markUpdated();
        a.t.markUpdated();
        return a;
    }

    double[] s() {
        return s.values().clone();
    }

    double[] t() {
        return t.values().clone();
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        forwardThreads.add(Thread.currentThread().getName());
        int d = dimension();
        int rows = inputs.rows();
        double[] x = inputs.values();
        double[] sv = s.values();
        double[] tv = t.values();
        double[] scale = new double[d];
        double logDet = 0;
        for (int j = 0; j < d; j++) {
            scale[j] = Math.exp(sv[j]);
            logDet += sv[j];
        }
        double[] z = new double[x.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                z[r * d + j] = scale[j] * x[r * d + j] + tv[j];
            }
        }
        double[] logAbsDet = new double[rows];
        java.util.Arrays.fill(logAbsDet, logDet);
        Batch outputs = new Batch(z, rows, d);
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
                double[] gz = gradOutputs.values();
                double[] gx = new double[gz.length];
                double[] gs = gradients.of(s);
                double[] gt = gradients.of(t);
                double gLogDet = 0;
                for (double g : gradLogAbsDet) {
                    gLogDet += g;
                }
                for (int j = 0; j < d; j++) {
                    gs[j] += gLogDet;
                }
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < d; j++) {
                        int i = r * d + j;
                        gx[i] = gz[i] * scale[j];
                        gs[j] += gz[i] * scale[j] * x[i];
                        gt[j] += gz[i];
                    }
                }
                return new Batch(gx, rows, d);
            }
        };
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        int d = dimension();
        int rows = inputs.rows();
        double[] z = inputs.values();
        double[] x = new double[z.length];
        double logDet = 0;
        for (int j = 0; j < d; j++) {
            logDet -= s.values()[j];
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                x[r * d + j] = (z[r * d + j] - t.values()[j]) * Math.exp(-s.values()[j]);
            }
        }
        double[] logAbsDet = new double[rows];
        java.util.Arrays.fill(logAbsDet, logDet);
        return new Mapping(new Batch(x, rows, d), logAbsDet);
    }
}
