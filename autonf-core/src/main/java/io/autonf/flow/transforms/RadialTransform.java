package io.autonf.flow.transforms;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.flow.numeric.Softplus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The radial flow of Rezende and Mohamed (2015), used here in the data-to-noise direction: it contracts or
 * expands space around a centre x0, z = x + β h(r) (x - x0) with r = |x - x0| and h(r) = 1 / (α + r).
 *
 * <p>α = softplus(α̂) > 0 and β = -α + softplus(β̂) >= -α, which keeps the map invertible. Writing γ = α + β =
 * softplus(β̂) > 0 turns every formula into a ratio of positive terms, evaluated without cancellation even
 * when β is within rounding of -α:
 * <ul>
 *   <li>z - x0 = (x - x0) (γ + r) / (α + r), so |z - x0| = g(r) = r (γ + r) / (α + r), increasing in r;</li>
 *   <li>log|det| = (D - 1) log((γ + r) / (α + r)) + log(g'(r)), with g'(r) = (r² + 2αr + αγ) / (α + r)²,
 *       which equals (D - 1) log(1 + βh) + log(1 + βh + βh'(r) r).</li>
 * </ul>
 *
 * <p>The inverse needs r from s = |z - x0| = g(r). That equation is the quadratic r² + (γ - s) r - α s = 0, whose
 * non-negative root is taken in closed form (in the cancellation-free variant of the quadratic formula), so
 * no iterative solver is needed; then x = x0 + (z - x0) (α + r) / (γ + r). z = x0 maps to x = x0 exactly.
 *
 * <p>Parameters: {@code x0} [D], {@code alpha_hat} [1], {@code beta_hat} [1], initialised uniformly on
 * [-1/√D, 1/√D] from the given generator.
 */
public final class RadialTransform extends AbstractTransform {

    private final Parameter x0;
    private final Parameter alphaHat;
    private final Parameter betaHat;
    private final Map<String, Parameter> parameters;

    public RadialTransform(int dimension, RandomGenerator rng) {
        super(dimension);
        if (rng == null) {
            throw new IllegalArgumentException("RadialTransform needs a random generator for its initialisation");
        }
        x0 = new Parameter(dimension);
        alphaHat = new Parameter(1);
        betaHat = new Parameter(1);
        double bound = 1.0 / Math.sqrt(dimension);
        for (Parameter p : new Parameter[] {x0, alphaHat, betaHat}) {
            p.fillUniform(bound, rng);
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        byName.put("x0", x0);
        byName.put("alpha_hat", alphaHat);
        byName.put("beta_hat", betaHat);
        parameters = Collections.unmodifiableMap(byName);
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** α = softplus(α̂) > 0. */
    public double alpha() {
        return Softplus.value(alphaHat.values()[0]);
    }

    /** β = -α + softplus(β̂) >= -α. */
    public double beta() {
        return -alpha() + Softplus.value(betaHat.values()[0]);
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        int d = dimension();
        int rows = inputs.rows();
        double[] centre = x0.values().clone();
        double ah = alphaHat.values()[0];
        double bh = betaHat.values()[0];
        double alpha = Softplus.value(ah);
        double gamma = Softplus.value(bh);
        double[] x = inputs.values();
        double[] z = new double[x.length];
        double[] radius = new double[rows];
        double[] logAbsDet = new double[rows];
        for (int row = 0; row < rows; row++) {
            int base = row * d;
            double r = distance(x, base, centre, d);
            radius[row] = r;
            double scale = (gamma + r) / (alpha + r);
            for (int i = 0; i < d; i++) {
                z[base + i] = centre[i] + (x[base + i] - centre[i]) * scale;
            }
            logAbsDet[row] = logAbsDet(r, alpha, gamma, d);
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
                return backwardPass(inputs, centre, ah, bh, radius, gradOutputs, gradLogAbsDet, gradients);
            }
        };
    }

    private Batch backwardPass(Batch inputs, double[] centre, double ah, double bh, double[] radius,
                               Batch gradOutputs, double[] gradLogAbsDet, Gradients gradients) {
        int d = dimension();
        int rows = inputs.rows();
        gradOutputs.requireCols(d, "RadialTransform backward");
        if (gradOutputs.rows() != rows || gradLogAbsDet.length != rows) {
            throw new IllegalArgumentException("RadialTransform backward expects gradients for " + rows + " rows, got "
                    + gradOutputs.rows() + " outputs and " + gradLogAbsDet.length + " log-determinants");
        }
        double alpha = Softplus.value(ah);
        double gamma = Softplus.value(bh);
        double[] x = inputs.values();
        double[] gz = gradOutputs.values();
        double[] gx = new double[x.length];
        double[] gCentre = new double[d];
        double gAlpha = 0;
        double gGamma = 0;
        for (int row = 0; row < rows; row++) {
            int base = row * d;
            double r = radius[row];
            double q = alpha + r;
            double p = gamma + r;
            double n = r * (r + 2 * alpha) + alpha * gamma;
            double scale = p / q;
            double gl = gradLogAbsDet[row];
            // z = x0 + e * scale(r, α, γ) with e = x - x0.
            double gScale = 0;
            for (int i = 0; i < d; i++) {
                gScale += gz[base + i] * (x[base + i] - centre[i]);
            }
            double gr = gScale * (alpha - gamma) / (q * q)
                    + gl * ((d - 1) * (1 / p - 1 / q) + 2 * (r + alpha) / n - 2 / q);
            gAlpha += gScale * (-p / (q * q)) + gl * (-(d - 1) / q + (2 * r + gamma) / n - 2 / q);
            gGamma += gScale / q + gl * ((d - 1) / p + alpha / n);
            // dr/de = e / r; at r = 0 the norm has no gradient and its subgradient 0 is used.
            double radial = r > 0 ? gr / r : 0;
            for (int i = 0; i < d; i++) {
                double e = x[base + i] - centre[i];
                double ge = gz[base + i] * scale + radial * e;
                gx[base + i] = ge;
                gCentre[i] += gz[base + i] - ge;
            }
        }
        double[] gx0 = gradients.of(x0);
        for (int i = 0; i < d; i++) {
            gx0[i] += gCentre[i];
        }
        gradients.of(alphaHat)[0] += gAlpha * Softplus.derivative(ah);
        gradients.of(betaHat)[0] += gGamma * Softplus.derivative(bh);
        return new Batch(gx, rows, d);
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        int d = dimension();
        int rows = inputs.rows();
        double[] centre = x0.values().clone();
        double alpha = Softplus.value(alphaHat.values()[0]);
        double gamma = Softplus.value(betaHat.values()[0]);
        double[] z = inputs.values();
        double[] x = new double[z.length];
        double[] logAbsDet = new double[rows];
        for (int row = 0; row < rows; row++) {
            int base = row * d;
            double s = distance(z, base, centre, d);
            double r = radiusFromImage(s, alpha, gamma);
            double shrink = (alpha + r) / (gamma + r);
            for (int i = 0; i < d; i++) {
                x[base + i] = centre[i] + (z[base + i] - centre[i]) * shrink;
            }
            logAbsDet[row] = -logAbsDet(r, alpha, gamma, d);
        }
        return new Mapping(new Batch(x, rows, d), logAbsDet);
    }

    /**
     * The r >= 0 with r (γ + r) / (α + r) = s, i.e. the non-negative root of r² + (γ - s) r - α s = 0. Of the two
     * algebraically equal forms of that root, the one used never subtracts nearly equal numbers.
     */
    static double radiusFromImage(double s, double alpha, double gamma) {
        if (s == 0) {
            return 0;
        }
        double c = gamma - s;
        // sqrt(c² + 4 α s) without overflow for huge s.
        double root = Math.hypot(c, 2 * Math.sqrt(alpha) * Math.sqrt(s));
        return c >= 0 ? 2 * alpha * s / (c + root) : 0.5 * (root - c);
    }

    /** (D - 1) log((γ + r) / (α + r)) + log((r² + 2αr + αγ) / (α + r)²). */
    private static double logAbsDet(double r, double alpha, double gamma, int d) {
        double logQ = Math.log(alpha + r);
        return (d - 1) * (Math.log(gamma + r) - logQ) + Math.log(r * (r + 2 * alpha) + alpha * gamma) - 2 * logQ;
    }

    private static double distance(double[] v, int base, double[] centre, int d) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
            double e = v[base + i] - centre[i];
            sum += e * e;
        }
        return Math.sqrt(sum);
    }
}
