package io.autonf.train;

import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: a MAF flow trained by the real trainer on a density whose log-density is known in closed form
 * reaches the true test NLL.
 */
class KnownDensityTest {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    /**
     * A non-Gaussian autoregressive density: x1 ~ N(0, 1); x2 = x1²/2 + exp(0.3 x1)·e2; x3 = tanh(x2) + x1/2 + e3/2.
     * Its conditionals are affine in the noise, so a MAF can represent it exactly.
     */
    private static Batch sample(int n, RandomGenerator rng) {
        double[] v = new double[n * 3];
        for (int i = 0; i < n; i++) {
            double x1 = rng.nextGaussian();
            double x2 = 0.5 * x1 * x1 + Math.exp(0.3 * x1) * rng.nextGaussian();
            double x3 = Math.tanh(x2) + 0.5 * x1 + 0.5 * rng.nextGaussian();
            v[3 * i] = x1;
            v[3 * i + 1] = x2;
            v[3 * i + 2] = x3;
        }
        return new Batch(v, n, 3);
    }

    private static double trueLogDensity(double x1, double x2, double x3) {
        double s2 = Math.exp(0.3 * x1);
        double e2 = (x2 - 0.5 * x1 * x1) / s2;
        double e3 = (x3 - Math.tanh(x2) - 0.5 * x1) / 0.5;
        return -0.5 * x1 * x1 - LOG_SQRT_2PI
                - 0.5 * e2 * e2 - LOG_SQRT_2PI - Math.log(s2)
                - 0.5 * e3 * e3 - LOG_SQRT_2PI - Math.log(0.5);
    }

    @Test
    void aMafReachesTheTrueTestNllWithinFiveHundredthsOfANat() {
        Batch train = sample(20_000, new SplittableRandom(1));
        Batch validation = sample(2_000, new SplittableRandom(2));
        Batch test = sample(20_000, new SplittableRandom(3));
        double trueNll = 0;
        for (int i = 0; i < test.rows(); i++) {
            trueNll -= trueLogDensity(test.get(i, 0), test.get(i, 1), test.get(i, 2));
        }
        trueNll /= test.rows();

        Flow flow = Layers.flow(Architecture.parse("maf,maf,maf"), 3,
                new LayerSettings(32, 2, 8, 3.0, Precision.FP32), new SplittableRandom(4));
        TrainingConfig config = TrainingConfig.DEFAULTS
                .withBatchSize(256)
                .withMaxSteps(3000)
                .withLearningRate(3e-3)
                .withValidateEvery(250)
                .withPatience(4)
                .withWorkerThreads(2)
                .withSeed(5);
        try (Trainer trainer = new Trainer(config)) {
            double initial = trainer.evaluate(flow, test).mean();
            trainer.train(flow, train, validation);
            NllEstimate learned = trainer.evaluate(flow, test);
            assertTrue(initial > trueNll + 0.5, "the untrained flow should be far off: " + initial + " vs " + trueNll);
            assertEquals(trueNll, learned.mean(), 0.05,
                    "test NLL of the trained MAF " + learned + " against the true " + trueNll);
        }
    }
}
