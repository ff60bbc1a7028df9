package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Adam updates whole vectors of values at a time and the remainder one by one; both must give exactly the
 * textbook update {@code torch.optim.Adam} performs, value for value, with weight decay and a clipping factor.
 */
class AdamVectorisedUpdateTest {

    @Test
    void everyValueGetsExactlyTheScalarUpdate() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 8 * 13 + 5;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double epsilon = 1e-8;
        double decay = 1e-2;
        Parameter p = new Parameter(n);
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            w[j] = rng.nextGaussian();
        }
        p.set(w);
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("w", p);
        Adam adam = new Adam(params, beta1, beta2, epsilon, decay);
        double[] m = new double[n];
        double[] v = new double[n];
        for (int t = 1; t <= 3; t++) {
            Gradients g = new Gradients();
            double[] grad = g.of(p);
            for (int j = 0; j < n; j++) {
                grad[j] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 3));
            }
            double scale = t == 2 ? 0.37 : 1.0;
            double rate = 1e-3 * t;
            adam.step(g, rate, scale);
            double stepSize = rate / (1 - Math.pow(beta1, t));
            double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
            for (int j = 0; j < n; j++) {
                double gj = grad[j] * scale + decay * w[j];
                m[j] = beta1 * m[j] + (1 - beta1) * gj;
                v[j] = beta2 * v[j] + (1 - beta2) * gj * gj;
                w[j] -= stepSize * m[j] / (Math.sqrt(v[j]) / sqrtCorrection2 + epsilon);
            }
            assertArrayEquals(w, p.values(), 0.0, "values after step " + t);
            assertArrayEquals(m, adam.firstMoment("w"), 0.0, "first moments after step " + t);
            assertArrayEquals(v, adam.secondMoment("w"), 0.0, "second moments after step " + t);
        }
    }
}
