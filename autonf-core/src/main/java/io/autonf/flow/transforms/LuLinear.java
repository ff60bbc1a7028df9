package io.autonf.flow.transforms;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.flow.numeric.Softplus;
import io.autonf.nn.Kernels;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An invertible linear layer z = L U x + bias whose weight is kept in LU form (the {@code lu} layer, nflows'
 * {@code LULinear}): L is unit lower-triangular, U upper-triangular with diagonal softplus(u) + 1e-3, so the
 * weight is invertible for every parameter value and log|det| = sum log diag(U) costs O(D).
 *
 * <p>Parameters, by their nflows names: {@code bias} [D], {@code lower_entries} [D(D-1)/2] (strictly-lower
 * entries in row-major order), {@code upper_entries} [D(D-1)/2] (strictly-upper entries, row-major) and
 * {@code unconstrained_upper_diag} [D]. With D = 1 the two triangles are empty and the layer has only
 * {@code bias} and {@code unconstrained_upper_diag} (a {@link Parameter} cannot be empty).
 *
 * <p>It starts as the identity. The dense weight L U, L, U and log|det| are derived once per parameter
 * version and shared by every pass: a cache entry is immutable and published through a volatile field, so
 * concurrent passes at worst both rebuild it.
 */
public final class LuLinear extends AbstractTransform {

    /** Keeps the diagonal of U away from zero; nflows' {@code eps}. */
    static final double DIAGONAL_FLOOR = 1e-3;

    private final Parameter bias;
    private final Parameter lowerEntries;
    private final Parameter upperEntries;
    private final Parameter unconstrainedUpperDiag;
    private final Map<String, Parameter> parameters;
    private volatile Factors factors;

    public LuLinear(int dimension) {
        super(dimension);
        int d = dimension;
        int triangle = d * (d - 1) / 2;
        bias = new Parameter(d);
        lowerEntries = triangle > 0 ? new Parameter(triangle) : null;
        upperEntries = triangle > 0 ? new Parameter(triangle) : null;
        unconstrainedUpperDiag = new Parameter(d);
        // softplus(u) + floor = 1 makes U, and with zero triangles the whole layer, the identity.
        Arrays.fill(unconstrainedUpperDiag.values(), Softplus.inverse(1.0 - DIAGONAL_FLOOR));
        Map<String, Parameter> byName = new LinkedHashMap<>();
        byName.put("bias", bias);
        if (triangle > 0) {
            byName.put("lower_entries", lowerEntries);
            byName.put("upper_entries", upperEntries);
        }
        byName.put("unconstrained_upper_diag", unconstrainedUpperDiag);
        parameters = Collections.unmodifiableMap(byName);
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The dense weight L U, row-major [D, D] (a copy). */
    public double[] weight() {
        return current().weight.clone();
    }

    /** log|det| of the weight, the same for every input. */
    public double logAbsDet() {
        return current().logAbsDet;
    }

    @Override
    protected ForwardPass forwardInternal(Batch inputs) {
        Factors f = current();
        int d = dimension();
        int rows = inputs.rows();
        // z = x W^T + bias on the padded layout of the network kernels (fp64, register-blocked).
        double[] x = Kernels.pad(inputs.values(), rows, d);
        double[] b = new double[Kernels.doubleStride(d)];
        System.arraycopy(bias.values(), 0, b, 0, d);
        double[] z = new double[x.length];
        Kernels.forward(rows, d, d, x, f.weightTransposed, b, z, null);
        double[] logAbsDet = new double[rows];
        Arrays.fill(logAbsDet, f.logAbsDet);
        Batch outputs = new Batch(Kernels.unpad(z, rows, d), rows, d);
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
                return backwardPass(f, x, rows, gradOutputs, gradLogAbsDet, gradients);
            }
        };
    }

    /** @param x the forward inputs, padded */
    private Batch backwardPass(Factors f, double[] x, int rows, Batch gradOutputs, double[] gradLogAbsDet,
                               Gradients gradients) {
        int d = dimension();
        gradOutputs.requireCols(d, "LuLinear backward");
        if (gradOutputs.rows() != rows || gradLogAbsDet.length != rows) {
            throw new IllegalArgumentException("LuLinear backward expects gradients for " + rows + " rows, got "
                    + gradOutputs.rows() + " outputs and " + gradLogAbsDet.length + " log-determinants");
        }
        int stride = Kernels.doubleStride(d);
        double[] gz = Kernels.pad(gradOutputs.values(), rows, d);
        // dL/dx = dL/dz W, dL/dW = (dL/dz)^T x, dL/dbias = column sums of dL/dz.
        double[] gx = new double[rows * stride];
        Kernels.inputGrad(rows, d, d, gz, f.weightRows, null, gx, false);
        double[] gWeightPadded = new double[d * stride];
        Kernels.weightGrad(rows, d, d, gz, x, gWeightPadded, false);
        double[] gWeight = Kernels.unpad(gWeightPadded, d, d);
        double[] gBias = new double[stride];
        Kernels.biasGrad(rows, d, gz, gBias);
        double gLogDetSum = 0;
        for (int r = 0; r < rows; r++) {
            gLogDetSum += gradLogAbsDet[r];
        }
        addInto(gradients.of(bias), gBias);
        // W = L U: dL/dL = dL/dW U^T (strictly-lower part), dL/dU = L^T dL/dW (upper part).
        if (d > 1) {
            double[] gLower = gradients.of(lowerEntries);
            int k = 0;
            for (int i = 1; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    double s = 0;
                    for (int m = j; m < d; m++) {
                        s += gWeight[i * d + m] * f.upper[j * d + m];
                    }
                    gLower[k++] += s;
                }
            }
            double[] gUpper = gradients.of(upperEntries);
            k = 0;
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    gUpper[k++] += upperGradient(f, gWeight, i, j, d);
                }
            }
        }
        double[] gDiag = gradients.of(unconstrainedUpperDiag);
        double[] u = f.unconstrainedDiag;
        for (int i = 0; i < d; i++) {
            double gU = upperGradient(f, gWeight, i, i, d) + gLogDetSum / f.upper[i * d + i];
            gDiag[i] += gU * Softplus.derivative(u[i]);
        }
        return new Batch(Kernels.unpad(gx, rows, d), rows, d);
    }

    /** (L^T dL/dW)_ij = sum_{m >= i} L_mi dW_mj, with L's unit diagonal. */
    private static double upperGradient(Factors f, double[] gWeight, int i, int j, int d) {
        double s = gWeight[i * d + j];
        for (int m = i + 1; m < d; m++) {
            s += f.lower[m * d + i] * gWeight[m * d + j];
        }
        return s;
    }

    @Override
    protected Mapping inverseInternal(Batch inputs) {
        Factors f = current();
        int d = dimension();
        int rows = inputs.rows();
        double[] z = inputs.values();
        double[] b = bias.values();
        double[] x = new double[z.length];
        double[] y = new double[d];
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            // L y = z - bias (unit diagonal), then U x = y: two substitutions instead of an explicit inverse.
            for (int i = 0; i < d; i++) {
                double s = z[base + i] - b[i];
                int row = i * d;
                for (int j = 0; j < i; j++) {
                    s -= f.lower[row + j] * y[j];
                }
                y[i] = s;
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = y[i];
                int row = i * d;
                for (int j = i + 1; j < d; j++) {
                    s -= f.upper[row + j] * x[base + j];
                }
                x[base + i] = s / f.upper[row + i];
            }
        }
        double[] logAbsDet = new double[rows];
        Arrays.fill(logAbsDet, -f.logAbsDet);
        return new Mapping(new Batch(x, rows, d), logAbsDet);
    }

    private Factors current() {
        long lv = lowerEntries == null ? 0 : lowerEntries.version();
        long uv = upperEntries == null ? 0 : upperEntries.version();
        long dv = unconstrainedUpperDiag.version();
        Factors f = factors;
        if (f != null && f.lowerVersion == lv && f.upperVersion == uv && f.diagVersion == dv) {
            return f;
        }
        // Versions are read before the values, so a concurrent update can only make this entry look stale.
        f = build(lv, uv, dv);
        factors = f;
        return f;
    }

    private Factors build(long lv, long uv, long dv) {
        int d = dimension();
        double[] lower = new double[d * d];
        double[] upper = new double[d * d];
        double[] unconstrained = unconstrainedUpperDiag.values().clone();
        if (d > 1) {
            double[] le = lowerEntries.values();
            double[] ue = upperEntries.values();
            int k = 0;
            for (int i = 1; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    lower[i * d + j] = le[k++];
                }
            }
            k = 0;
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    upper[i * d + j] = ue[k++];
                }
            }
        }
        double logAbsDet = 0;
        for (int i = 0; i < d; i++) {
            lower[i * d + i] = 1.0;
            double diag = Softplus.value(unconstrained[i]) + DIAGONAL_FLOOR;
            upper[i * d + i] = diag;
            logAbsDet += Math.log(diag);
        }
        double[] weight = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int m = 0; m <= i; m++) {
                double l = lower[i * d + m];
                // Row m of U is zero left of column m.
                for (int j = m; j < d; j++) {
                    weight[i * d + j] += l * upper[m * d + j];
                }
            }
        }
        return new Factors(lv, uv, dv, unconstrained, lower, upper, weight, Kernels.packTransposed(weight, d, d),
                Kernels.packRows(weight, d, d), logAbsDet);
    }

    private static void addInto(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    /**
     * Everything derived from one version of the parameters; never mutated after construction. The weight comes
     * dense [D][D] and in the two padded layouts the {@link Kernels} products read.
     */
    private record Factors(long lowerVersion, long upperVersion, long diagVersion, double[] unconstrainedDiag,
                           double[] lower, double[] upper, double[] weight, double[] weightTransposed,
                           double[] weightRows, double logAbsDet) {
    }
}
