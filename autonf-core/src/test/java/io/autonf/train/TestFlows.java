package io.autonf.train;

import io.autonf.flow.Batch;
import io.autonf.flow.CompositeTransform;
import io.autonf.flow.Flow;
import io.autonf.flow.Transform;
import io.autonf.flow.transforms.ReversePermutation;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Flows and data for the training tests. */
final class TestFlows {

    private TestFlows() {
    }

    /** Builds, per architecture layer, a reversal followed by an {@link ElementwiseAffine}; ignores the layer kind. */
    static final FlowFactory FACTORY = (architecture, dimension, settings, rng) -> {
        List<Transform> parts = new ArrayList<>();
        for (int i = 0; i < architecture.size(); i++) {
            parts.add(new ReversePermutation(dimension));
            parts.add(ElementwiseAffine.random(dimension, rng));
        }
        return new Flow(new CompositeTransform(parts));
    };

    /** Rows of independent Gaussians with the given per-feature means and standard deviations. */
    static Batch gaussian(int rows, double[] mean, double[] std, RandomGenerator rng) {
        int d = mean.length;
        double[] v = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                v[r * d + j] = mean[j] + std[j] * rng.nextGaussian();
            }
        }
        return new Batch(v, rows, d);
    }

    /** Differential entropy of N(mean, diag(std^2)) in nats: the best achievable expected NLL. */
    static double entropy(double[] std) {
        double h = 0;
        for (double s : std) {
            h += 0.5 * Math.log(2 * Math.PI * Math.E * s * s);
        }
        return h;
    }

    /** Mean NLL of the data under the true Gaussian. */
    static double trueNll(Batch data, double[] mean, double[] std) {
        int d = mean.length;
        double sum = 0;
        for (int r = 0; r < data.rows(); r++) {
            for (int j = 0; j < d; j++) {
                double u = (data.get(r, j) - mean[j]) / std[j];
                sum += 0.5 * u * u + Math.log(std[j]) + 0.5 * Math.log(2 * Math.PI);
            }
        }
        return sum / data.rows();
    }
}
