package io.autonf.metric;

import io.autonf.flow.AbstractTransform;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.CompositeTransform;
import io.autonf.flow.Flow;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Layers;
import io.autonf.flow.Mapping;
import io.autonf.flow.Precision;
import io.autonf.flow.transforms.ReversePermutation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {

    private static Batch standardNormal(int rows, int d, SplittableRandom rng) {
        double[] v = new double[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return new Batch(v, rows, d);
    }

    /** A reversal only: the flow's density is exactly N(0, I), which the test data are drawn from. */
    @Test
    void anExactFlowHasTheTrueNllAndDensityNearOne() {
        int d = 4;
        Flow flow = new Flow(new CompositeTransform(List.of(new ReversePermutation(d))));
        Batch test = standardNormal(3000, d, new SplittableRandom(1));
        FlowEvaluation e = Evaluator.evaluate(flow, test, 2000, 5, new SplittableRandom(2), 2);

        double nll = 0;
        for (int i = 0; i < test.rows(); i++) {
            double sq = 0;
            for (int c = 0; c < d; c++) {
                sq += test.get(i, c) * test.get(i, c);
            }
            nll += 0.5 * sq + 0.5 * d * Math.log(2 * Math.PI);
        }
        assertEquals(nll / test.rows(), e.testNll().mean(), 1e-9);
        assertEquals(3000, e.testNll().count());
        // Same distribution on both sides: density is 1 in expectation, coverage near 1 - 2^-k.
        assertEquals(1.0, e.density(), 0.1, e.toString());
        assertTrue(e.coverage() > 0.9 && e.precision() > 0.8 && e.recall() > 0.8, e.toString());
        assertEquals(2000, e.samples());
        assertEquals(2000, e.referencePoints());
        assertEquals(5, e.k());
        assertTrue(Double.isNaN(e.forwardCost()) && !e.hasCosts());
    }

    @Test
    void aLayersFlowGivesFiniteNumbersThatDependOnTheSeedOnly() {
        int d = 3;
        LayerSettings settings = new LayerSettings(8, 1, 4, 3.0, Precision.FP64);
        Flow flow = Layers.flow(Architecture.parse("maf,rq-c"), d, settings, new SplittableRandom(5));
        Batch test = standardNormal(1500, d, new SplittableRandom(6));
        // More samples than test points: every test point is a reference point.
        FlowEvaluation one = Evaluator.evaluate(flow, test, 2500, 5, new SplittableRandom(7), 1);
        FlowEvaluation two = Evaluator.evaluate(flow, test, 2500, 5, new SplittableRandom(7), 2);
        assertEquals(one, two);
        assertEquals(1500, one.referencePoints());
        assertEquals(2500, one.samples());
        assertTrue(Double.isFinite(one.testNll().mean()) && Double.isFinite(one.testNll().error()), one.toString());
        assertTrue(one.density() > 0 && one.coverage() > 0, one.toString());
        FlowEvaluation otherSeed = Evaluator.evaluate(flow, test, 2500, 5, new SplittableRandom(8), 2);
        assertEquals(one.testNll(), otherSeed.testNll());
        assertTrue(!one.prdc().equals(otherSeed.prdc()), "another seed draws other samples");
        FlowEvaluation costed = one.withCosts(2e-6, 3e-6);
        assertTrue(costed.hasCosts());
        assertEquals(one.prdc(), costed.prdc());
    }

    @Test
    void theSamplesAreTheFlowsOwnSamples() {
        // The chunked, threaded sampling must draw exactly what Flow.sample draws with the same seed.
        int d = 3;
        Flow flow = Layers.flow(Architecture.parse("rq-ar"), d, new LayerSettings(8, 1, 4, 3.0, Precision.FP64),
                new SplittableRandom(9));
        Batch test = standardNormal(1200, d, new SplittableRandom(10));
        Batch samples = flow.sample(2100, new SplittableRandom(11));
        FlowEvaluation e = Evaluator.evaluate(flow, test, 2100, 5, new SplittableRandom(11), 2);
        assertEquals(Prdc.compute(test, samples, 5, 1), e.prdc());
    }

    @Test
    void nonFiniteSamplesFailWithACount() {
        int d = 2;
        Flow flow = new Flow(new NanAboveTwo(d));
        Batch test = standardNormal(500, d, new SplittableRandom(12));
        NonFiniteSamplesException e = assertThrows(NonFiniteSamplesException.class,
                () -> Evaluator.evaluate(flow, test, 400, 5, new SplittableRandom(13), 2));
        // About 2.3% of N(0, 1) draws exceed 2.
        assertTrue(e.nonFinite() > 0 && e.nonFinite() < 40 && e.total() == 400, e.getMessage());
        assertTrue(e.getMessage().contains(e.nonFinite() + " of 400"), e.getMessage());
    }

    @Test
    void badArgumentsFailBeforeAnyWork() {
        Flow flow = new Flow(new CompositeTransform(List.of(new ReversePermutation(3))));
        Batch test = standardNormal(50, 3, new SplittableRandom(14));
        assertThrows(IllegalArgumentException.class,
                () -> Evaluator.evaluate(flow, standardNormal(50, 4, new SplittableRandom(1)), 40, 5, new SplittableRandom(1), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluator.evaluate(flow, test, 5, 5, new SplittableRandom(1), 1));
        assertTrue(e.getMessage().contains("k = 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(flow, test.slice(0, 4), 40, 5, new SplittableRandom(1), 1));
        assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(flow, test, 40, 5, new SplittableRandom(1), 0));
    }

    /** Identity forward; the inverse turns every row whose first coordinate exceeds 2 into NaN. */
    private static final class NanAboveTwo extends AbstractTransform {

        NanAboveTwo(int dimension) {
            super(dimension);
        }

        @Override
        protected ForwardPass forwardInternal(Batch inputs) {
            return new io.autonf.flow.transforms.IdentityTransform(inputs.cols()).forward(inputs);
        }

        @Override
        protected Mapping inverseInternal(Batch inputs) {
            double[] v = inputs.values().clone();
            int d = inputs.cols();
            for (int i = 0; i < inputs.rows(); i++) {
                if (v[i * d] > 2) {
                    v[i * d + 1] = Double.NaN;
                }
            }
            return new Mapping(new Batch(v, inputs.rows(), d), new double[inputs.rows()]);
        }
    }
}
