package io.autonf.flow;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A normalizing flow: a transform from data to noise and a standard normal base, so that
 * {@code log p(x) = log N(f(x)) + log|det df/dx|}.
 */
public final class Flow {

    private final Transform transform;
    private final StandardNormal base;

    public Flow(Transform transform) {
        this.transform = transform;
        this.base = new StandardNormal(transform.dimension());
    }

    public int dimension() {
        return transform.dimension();
    }

    public Transform transform() {
        return transform;
    }

    public Map<String, Parameter> parameters() {
        return transform.parameters();
    }

    /** log p(x) per row. */
    public double[] logProb(Batch x) {
        ForwardPass pass = transform.forward(x);
        double[] logProb = base.logProb(pass.outputs());
        double[] logAbsDet = pass.logAbsDet();
        for (int i = 0; i < logProb.length; i++) {
            logProb[i] += logAbsDet[i];
        }
        return logProb;
    }

    /** Draws {@code n} samples: noise from the base, mapped through the inverse transform. */
    public Batch sample(int n, RandomGenerator rng) {
        return transform.inverse(base.sample(n, rng)).outputs();
    }

    /**
     * The mean negative log-likelihood of {@code x}; adds its gradient with respect to every parameter into
     * {@code gradients}, scaled by {@code weight} (pass the batch's share of a larger batch to split work).
     *
     * @return the mean NLL over the rows of {@code x}
     */
    public double meanNllWithGradient(Batch x, Gradients gradients, double weight) {
        ForwardPass pass = transform.forward(x);
        Batch z = pass.outputs();
        double[] logBase = base.logProb(z);
        double[] logAbsDet = pass.logAbsDet();
        int n = x.rows();
        double nll = 0;
        for (int i = 0; i < n; i++) {
            nll -= logBase[i] + logAbsDet[i];
        }
        nll /= n;
        // d(-mean log p)/dz = z / n (from the base), d/d(log|det|) = -1 / n.
        double scale = weight / n;
        double[] gz = z.values().clone();
        for (int i = 0; i < gz.length; i++) {
            gz[i] *= scale;
        }
        double[] gLogDet = new double[n];
        java.util.Arrays.fill(gLogDet, -scale);
        pass.backward(new Batch(gz, n, z.cols()), gLogDet, gradients);
        return nll;
    }
}
