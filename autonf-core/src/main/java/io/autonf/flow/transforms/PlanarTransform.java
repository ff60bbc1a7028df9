package io.autonf.flow.transforms;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.flow.numeric.Roots;
import io.autonf.flow.numeric.Softplus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The planar flow of Rezende and Mohamed (2015), used here in the data-to-noise direction:
 * z = x + û tanh(wᵀx + b).
 *
 * <p>It is invertible only when ûᵀw >= -1, so the free vector {@code u} is projected as
 * û = u + (m(wᵀu) - wᵀu) w / |w|² with m(a) = -1 + softplus(a), which makes ûᵀw = m(wᵀu) > -1 for every u and w.
 * Then log|det| = log(1 + m tanh'(a)), evaluated as tanh²(a) + softplus(wᵀu) tanh'(a) so that it stays accurate
 * (and finite) when m rounds to -1.
 *
 * <p>The inverse has no closed form. Along w the map is one-dimensional: with a = wᵀx + b,
 * wᵀz + b = a + m tanh(a), increasing in a; {@link Roots} solves it (the root lies within |m| of wᵀz + b, since
 * |tanh| <= 1) and then x = z - û tanh(a).
 *
 * <p>Parameters: {@code u} [D], {@code w} [D], {@code b} [1], initialised uniformly on [-1/√D, 1/√D] from the
 * given generator (the usual initialisation of a linear layer with D inputs), so the layer starts near, but not
 * at, the identity.
 */
public final class PlanarTransform extends AbstractTransform {

    private final Parameter u;
    private final Parameter w;
    private final Parameter b;
    private final Map<String, Parameter> parameters;

    public PlanarTransform(int dimension, RandomGenerator rng) {
        super(dimension);
        if (rng == null) {
            throw new IllegalArgumentException("PlanarTransform needs a random generator for its initialisation");
        }
        u = new Parameter(dimension);
        w = new Parameter(dimension);
        b = new Parameter(1);
        double bound = 1.0 / Math.sqrt(dimension);
        for (Parameter p : new Parameter[] {u, w, b}) {
            p.fillUniform(bound, rng);
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        byName.put("u", u);
        byName.put("w", w);
        byName.put("b", b);
        parameters = Collections.unmodifiableMap(byName);
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** û, the projected u that the map actually uses (a fresh array). */
    public double[] constrainedU() {
        return Geometry.of(u.values(), w.values(), b.values()[0]).uHat.clone();
    }

    /** ûᵀw = -1 + softplus(wᵀu), never below -1. */
    public double uHatDotW() {
        return Geometry.of(u.values(), w.values(), b.values()[0]).slope;
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        Geometry g = Geometry.of(u.values(), w.values(), b.values()[0]);
        int d = dimension();
        int rows = inputs.rows();
        double[] x = inputs.values();
        double[] z = new double[x.length];
        double[] tanh = new double[rows];
        double[] sech2 = new double[rows];
        double[] det = new double[rows];
        double[] logAbsDet = new double[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            double a = g.bias;
            for (int i = 0; i < d; i++) {
                a += g.w[i] * x[base + i];
            }
            double t = Math.tanh(a);
            tanh[r] = t;
            sech2[r] = sech2(a);
            for (int i = 0; i < d; i++) {
                z[base + i] = x[base + i] + g.uHat[i] * t;
            }
            det[r] = g.jacobianFactor(t, sech2[r]);
            logAbsDet[r] = Math.log(det[r]);
        }
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
                return backwardPass(g, inputs, tanh, sech2, det, gradOutputs, gradLogAbsDet, gradients);
            }
        };
    }

    private Batch backwardPass(Geometry g, Batch inputs, double[] tanh, double[] sech2s, double[] det, Batch gradOutputs,
                               double[] gradLogAbsDet, Gradients gradients) {
        int d = dimension();
        int rows = inputs.rows();
        gradOutputs.requireCols(d, "PlanarTransform backward");
        if (gradOutputs.rows() != rows || gradLogAbsDet.length != rows) {
            throw new IllegalArgumentException("PlanarTransform backward expects gradients for " + rows + " rows, got "
                    + gradOutputs.rows() + " outputs and " + gradLogAbsDet.length + " log-determinants");
        }
        double[] x = inputs.values();
        double[] gz = gradOutputs.values();
        double[] gx = new double[x.length];
        double[] gUHat = new double[d];
        double[] gWDirect = new double[d];
        double gBias = 0;
        double gSlope = 0; // dL/dm, m = ûᵀw
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            double t = tanh[r];
            double sech2 = sech2s[r];
            double gzDotUHat = 0;
            for (int i = 0; i < d; i++) {
                gzDotUHat += gz[base + i] * g.uHat[i];
                gUHat[i] += gz[base + i] * t;
            }
            double gl = gradLogAbsDet[r];
            // log det = log(1 + m sech²(a)); d/da sech²(a) = -2 tanh(a) sech²(a).
            double ga = gzDotUHat * sech2 - gl * g.slope * 2 * t * sech2 / det[r];
            gSlope += gl * sech2 / det[r];
            gBias += ga;
            for (int i = 0; i < d; i++) {
                gx[base + i] = gz[base + i] + ga * g.w[i];
                gWDirect[i] += ga * x[base + i];
            }
        }
        // û = u + k w with k = (m(wᵀu) - wᵀu) / |w|², m = -1 + softplus(wᵀu).
        double gK = 0;
        for (int i = 0; i < d; i++) {
            gK += gUHat[i] * g.w[i];
        }
        double gWDotU = 0;
        double gNormSquared = 0;
        if (g.normSquared > 0) {
            // At w = 0 there is no projection (see Geometry.of) and m does not depend on u or w.
            double sigmoid = Softplus.derivative(g.wDotU);
            gWDotU = gSlope * sigmoid + gK * (sigmoid - 1) / g.normSquared;
            gNormSquared = -gK * g.k / g.normSquared;
        }
        double[] gu = gradients.of(u);
        double[] gw = gradients.of(w);
        for (int i = 0; i < d; i++) {
            gu[i] += gUHat[i] + gWDotU * g.w[i];
            gw[i] += gWDirect[i] + g.k * gUHat[i] + gWDotU * g.u[i] + 2 * gNormSquared * g.w[i];
        }
        gradients.of(b)[0] += gBias;
        return new Batch(gx, rows, d);
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        Geometry g = Geometry.of(u.values(), w.values(), b.values()[0]);
        int d = dimension();
        int rows = inputs.rows();
        double[] z = inputs.values();
        double[] x = new double[z.length];
        double[] logAbsDet = new double[rows];
        double m = g.slope;
        double reach = Math.abs(m);
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            double target = g.bias;
            for (int i = 0; i < d; i++) {
                target += g.w[i] * z[base + i];
            }
            double a = Roots.solveIncreasing(
                    s -> s + m * Math.tanh(s),
                    g::jacobianFactorAt,
                    target, target - reach, target + reach);
            double t = Math.tanh(a);
            for (int i = 0; i < d; i++) {
                x[base + i] = z[base + i] - g.uHat[i] * t;
            }
            logAbsDet[r] = -Math.log(g.jacobianFactor(t, sech2(a)));
        }
        return new Mapping(new Batch(x, rows, d), logAbsDet);
    }

    /** sech²(a) = 1 / cosh²(a), which unlike 1 - tanh² keeps its relative precision for large |a|. */
    private static double sech2(double a) {
        double c = Math.cosh(a);
        return 1.0 / (c * c);
    }

    /** The projected parameters of one pass, computed once from a snapshot of u, w, b. */
    private record Geometry(double[] u, double[] w, double bias, double wDotU, double normSquared, double k,
                            double softplus, double slope, double[] uHat) {

        static Geometry of(double[] uValues, double[] wValues, double bias) {
            double[] u = uValues.clone();
            double[] w = wValues.clone();
            double wDotU = 0;
            double normSquared = 0;
            for (int i = 0; i < w.length; i++) {
                wDotU += w[i] * u[i];
                normSquared += w[i] * w[i];
            }
            double softplus = Softplus.value(wDotU);
            double slope = -1 + softplus;
            // With w = 0 the map is a translation by u tanh(b), invertible for any u: no projection needed.
            double k = normSquared > 0 ? (slope - wDotU) / normSquared : 0;
            double[] uHat = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                uHat[i] = u[i] + k * w[i];
            }
            return new Geometry(u, w, bias, wDotU, normSquared, k, softplus, normSquared > 0 ? slope : 0, uHat);
        }

        /**
         * 1 + m sech²(a) given tanh(a) and sech²(a), written as tanh² + softplus·sech² (using m = -1 + softplus)
         * so that it keeps full relative precision when m is within rounding of -1.
         */
        double jacobianFactor(double tanh, double sech2) {
            if (normSquared == 0) {
                return 1.0;
            }
            return tanh * tanh + softplus * sech2;
        }

        double jacobianFactorAt(double a) {
            return jacobianFactor(Math.tanh(a), sech2(a));
        }
    }
}
