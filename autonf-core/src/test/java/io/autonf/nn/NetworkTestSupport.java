package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;

import java.util.Map;
import java.util.SplittableRandom;

/** Shared helpers of the network tests: random batches, a linear loss and finite differences. */
final class NetworkTestSupport {

    private NetworkTestSupport() {
    }

    static Batch randomBatch(SplittableRandom rng, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble(-1.5, 1.5);
        }
        return new Batch(v, rows, cols);
    }

    /** Re-draws every parameter from U(-scale, scale), so that every layer matters in a gradient check. */
    static void randomiseParameters(Network net, SplittableRandom rng, double scale) {
        for (Parameter p : net.parameters().values()) {
            double[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextDouble(-scale, scale);
            }
            p.markUpdated();
        }
    }

    /** L = sum of coefficient * output. */
    static double loss(Network net, Batch inputs, Batch coefficients) {
        double[] y = net.forward(inputs).outputs().values();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += coefficients.values()[i] * y[i];
        }
        return s;
    }

    /** Central difference of the loss with respect to values[index], restoring the value afterwards. */
    static double centralDifference(Network net, Batch inputs, Batch coefficients, double[] values, int index,
                                    Parameter owner, double step) {
        double saved = values[index];
        values[index] = saved + step;
        if (owner != null) {
            owner.markUpdated();
        }
        double plus = loss(net, inputs, coefficients);
        values[index] = saved - step;
        if (owner != null) {
            owner.markUpdated();
        }
        double minus = loss(net, inputs, coefficients);
        values[index] = saved;
        if (owner != null) {
            owner.markUpdated();
        }
        return (plus - minus) / (2 * step);
    }

    /**
     * Checks dL/d(inputs) and dL/d(every parameter entry) against central differences. Per tensor, norm-wise:
     * ||a - b|| <= 1e-6 (||a|| + ||b||). Per entry: |a - b| <= 1e-6 (|a| + |b|), or |a - b| <= 1e-8, the
     * round-off of a central difference of step 1e-6 on losses of this size (a wrong gradient is off by its own
     * order of magnitude, which the norm-wise test catches).
     */
    static void checkGradients(Network net, Batch inputs, Batch coefficients) {
        Gradients gradients = new Gradients();
        Batch gradInputs = net.forward(inputs).backward(coefficients, gradients);
        double step = 1e-6;
        double[] x = inputs.values();
        double[] numericInputs = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            numericInputs[i] = centralDifference(net, inputs, coefficients, x, i, null, step);
        }
        compare("inputs", gradInputs.values(), numericInputs);
        for (Map.Entry<String, Parameter> e : net.parameters().entrySet()) {
            Parameter p = e.getValue();
            double[] numeric = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                numeric[i] = centralDifference(net, inputs, coefficients, p.values(), i, p, step);
            }
            compare(e.getKey(), gradients.of(p), numeric);
        }
    }

    private static void compare(String what, double[] analytic, double[] numeric) {
        double diff = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < analytic.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += analytic[i] * analytic[i];
            b += numeric[i] * numeric[i];
            double error = Math.abs(analytic[i] - numeric[i]);
            double relative = error / Math.max(1e-8, Math.abs(analytic[i]) + Math.abs(numeric[i]));
            if (relative > 1e-6 && error > 1e-8) {
                throw new AssertionError("gradient of " + what + "[" + i + "]: analytic " + analytic[i]
                        + ", finite difference " + numeric[i] + " (relative error " + relative + ")");
            }
        }
        double normRelative = Math.sqrt(diff) / Math.max(1e-8, Math.sqrt(a) + Math.sqrt(b));
        if (normRelative > 1e-6) {
            throw new AssertionError("gradient of " + what + ": norm-wise relative error " + normRelative);
        }
    }
}
