package io.autonf.train;

import io.autonf.flow.Batch;
import io.autonf.flow.Flow;
import io.autonf.flow.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final double[] MEAN = {1.5, -2.0};
    private static final double[] STD = {0.5, 2.0};

    private static final TrainingConfig FAST = TrainingConfig.DEFAULTS
            .withBatchSize(256).withMaxSteps(2_000).withLearningRate(2e-2).withValidateEvery(100).withPatience(100);

    private static Map<String, double[]> values(Flow flow) {
        Map<String, double[]> m = new LinkedHashMap<>();
        flow.parameters().forEach((name, p) -> m.put(name, p.values().clone()));
        return m;
    }

    private static void assertSameValues(Map<String, double[]> expected, Map<String, double[]> actual, double tolerance) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), tolerance, name);
        }
    }

    @Test
    void fitsAKnownGaussian() {
        Batch train = TestFlows.gaussian(20_000, MEAN, STD, new SplittableRandom(1));
        Batch validation = TestFlows.gaussian(5_000, MEAN, STD, new SplittableRandom(2));
        Batch test = TestFlows.gaussian(100_000, MEAN, STD, new SplittableRandom(3));
        ElementwiseAffine affine = new ElementwiseAffine(2);
        Flow flow = new Flow(affine);
        try (Trainer trainer = new Trainer(FAST)) {
            TrainingResult result = trainer.train(flow, train, validation);
            NllEstimate testNll = trainer.evaluate(flow, test);

            // The maximum-likelihood fit of z = exp(s) x + t to N(mu, sigma^2) is s = -log sigma, t = -mu / sigma.
            for (int j = 0; j < 2; j++) {
                assertEquals(-Math.log(STD[j]), affine.s()[j], 0.02, "s[" + j + "]");
                assertEquals(-MEAN[j] / STD[j], affine.t()[j], 0.02, "t[" + j + "]");
            }
            double entropy = TestFlows.entropy(STD);
            assertEquals(entropy, testNll.mean(), 0.01, "test NLL against the true entropy");
            assertEquals(TestFlows.trueNll(test, MEAN, STD), testNll.mean(), 1e-3, "test NLL against the true model on the same data");
            assertTrue(testNll.error() > 0 && testNll.error() < 0.01, "error " + testNll.error());
            assertEquals(100_000, testNll.count());
            assertEquals(StopReason.MAX_STEPS, result.stopReason());
            assertEquals(2_000, result.stepsRun());
            assertTrue(result.bestValidationNll() < entropy + 0.05);
            assertTrue(result.samplesPerSecond() > 0);
        }
    }

    private record Run(Map<String, double[]> parameters, TrainingResult result, List<Double> losses) {
    }

    private static Run run(int workers, long seed) {
        Batch train = TestFlows.gaussian(3_000, MEAN, STD, new SplittableRandom(11));
        Batch validation = TestFlows.gaussian(1_000, MEAN, STD, new SplittableRandom(12));
        Flow flow = TestFlows.FACTORY.build(io.autonf.flow.Architecture.parse("maf,maf"), 2,
                io.autonf.flow.LayerSettings.DEFAULT, new SplittableRandom(13));
        List<Double> losses = new ArrayList<>();
        TrainingConfig config = FAST.withMaxSteps(300).withValidateEvery(50).withWorkerThreads(workers)
                .withClipNorm(0.5);
        try (Trainer trainer = new Trainer(config)) {
            TrainingResult result = trainer.train(flow, train, validation, new SplittableRandom(seed), new TrainingListener() {
                @Override
                public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
                    losses.add(trainLoss);
                }
            });
            return new Run(values(flow), result, losses);
        }
    }

    @Test
    void theSameSeedGivesBitIdenticalParametersWithOneAndWithTwoWorkers() {
        for (int workers : new int[] {1, 2}) {
            Run a = run(workers, 99);
            Run b = run(workers, 99);
            assertSameValues(a.parameters(), b.parameters(), 0.0);
            assertEquals(a.losses(), b.losses());
            assertEquals(a.result().bestValidationNll(), b.result().bestValidationNll(), 0.0);
            assertEquals(a.result().bestStep(), b.result().bestStep());
        }
        Run other = run(1, 100);
        assertTrue(!other.losses().equals(run(1, 99).losses()), "another shuffling seed must give another run");
    }

    @Test
    void oneAndTwoWorkersAgreeUpToRounding() {
        Run one = run(1, 7);
        Run two = run(2, 7);
        // Two workers add the two halves' gradients instead of all rows in one sum: the same maths, rounded
        // differently, so the runs agree to rounding error amplified by 300 steps.
        assertSameValues(one.parameters(), two.parameters(), 1e-12);
        assertEquals(one.result().bestValidationNll(), two.result().bestValidationNll(), 1e-12);
        for (int i = 0; i < one.losses().size(); i++) {
            assertEquals(one.losses().get(i), two.losses().get(i), 1e-12, "loss of step " + (i + 1));
        }
    }

    @Test
    void twoWorkersReallyShareTheBatch() {
        ElementwiseAffine affine = new ElementwiseAffine(2);
        Flow flow = new Flow(affine);
        Batch data = TestFlows.gaussian(1_000, MEAN, STD, new SplittableRandom(5));
        try (Trainer trainer = new Trainer(FAST.withMaxSteps(20).withWorkerThreads(2))) {
            trainer.train(flow, data, data);
        }
        assertEquals(2, affine.forwardThreads.stream().filter(n -> n.startsWith("autonf-train-")).count(),
                "threads used: " + affine.forwardThreads);

        // Below two chunks of MIN_ROWS_PER_CHUNK rows a step runs on the caller's thread. Validation (only after
        // the last step here) may still use the pool, so look at the threads before it.
        ElementwiseAffine small = new ElementwiseAffine(2);
        List<String> stepThreads = new ArrayList<>();
        try (Trainer trainer = new Trainer(FAST.withBatchSize(100).withMaxSteps(5).withWorkerThreads(2))) {
            trainer.train(new Flow(small), data.slice(0, 100), data.slice(0, 100), new SplittableRandom(1),
                    new TrainingListener() {
                        @Override
                        public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
                            stepThreads.addAll(small.forwardThreads);
                        }
                    });
        }
        assertEquals(List.of(Thread.currentThread().getName()), stepThreads.stream().distinct().toList());
    }

    @Test
    void evaluationDoesNotDependOnTheNumberOfWorkers() {
        Batch data = TestFlows.gaussian(3_001, MEAN, STD, new SplittableRandom(21));
        Flow flow = TestFlows.FACTORY.build(io.autonf.flow.Architecture.parse("maf"), 2,
                io.autonf.flow.LayerSettings.DEFAULT, new SplittableRandom(22));
        NllEstimate one;
        NllEstimate two;
        try (Trainer t1 = new Trainer(FAST.withValidationBatchSize(1_000))) {
            one = t1.evaluate(flow, data);
        }
        try (Trainer t2 = new Trainer(FAST.withValidationBatchSize(333).withWorkerThreads(2))) {
            two = t2.evaluate(flow, data);
        }
        assertEquals(one, two);
        double[] logProb = flow.logProb(data);
        double sum = 0;
        for (double v : logProb) {
            sum -= v;
        }
        assertEquals(sum / data.rows(), one.mean(), 1e-12);
    }

    @Test
    void earlyStoppingTriggersAndRestoresTheBestParameters() {
        // Training data centred on 3, validation data on 1: as the shift t of z = x + t travels from 0 towards
        // -3, validation NLL falls until t passes -1 and rises after, so patience runs out on the way.
        double[] one = {1.0};
        Batch train = TestFlows.gaussian(2_000, new double[] {3.0}, one, new SplittableRandom(31));
        Batch validation = TestFlows.gaussian(2_000, one, one, new SplittableRandom(32));
        ElementwiseAffine affine = new ElementwiseAffine(1);
        Flow flow = new Flow(affine);
        List<Double> validationNlls = new ArrayList<>();
        AtomicReference<Map<String, double[]>> atBest = new AtomicReference<>();
        TrainingConfig config = FAST.withLearningRate(1e-2).withMaxSteps(5_000).withValidateEvery(10).withPatience(3);
        try (Trainer trainer = new Trainer(config)) {
            TrainingResult result = trainer.train(flow, train, validation, new SplittableRandom(33), new TrainingListener() {
                @Override
                public void onValidation(int step, double validationNll, boolean isBest) {
                    validationNlls.add(validationNll);
                    if (isBest) {
                        atBest.set(values(flow));
                    }
                }
            });
            assertEquals(StopReason.EARLY_STOPPED, result.stopReason());
            assertTrue(result.stepsRun() < 5_000);
            assertEquals(result.bestStep() + 3 * 10, result.stepsRun(), "stops after exactly 'patience' worse validations");
            assertSameValues(atBest.get(), values(flow), 0.0);
            assertEquals(result.bestValidationNll(), trainer.meanNll(flow, validation), 0.0,
                    "the restored parameters are the ones validated as best");
            int bestIndex = result.bestStep() / 10 - 1;
            assertEquals(result.bestValidationNll(), validationNlls.get(bestIndex), 0.0);
            for (int i = bestIndex + 1; i < validationNlls.size(); i++) {
                assertTrue(validationNlls.get(i) >= result.bestValidationNll());
            }
            assertTrue(validationNlls.get(validationNlls.size() - 1) > result.bestValidationNll() + 1e-3,
                    "training went on past the validation optimum");
            assertTrue(bestIndex > 0, "validation improved for a while first");
        }
    }

    @Test
    void aNanLossStopsWithTheStepNamed() {
        Batch train = TestFlows.gaussian(100, MEAN, STD, new SplittableRandom(41));
        train.values()[17] = Double.NaN;
        Batch validation = TestFlows.gaussian(100, MEAN, STD, new SplittableRandom(42));
        ElementwiseAffine affine = new ElementwiseAffine(2);
        try (Trainer trainer = new Trainer(FAST)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.train(new Flow(affine), train, validation));
            assertEquals(1, e.step());
            assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("training loss"), e.getMessage());
        }
        assertArrayEquals(new double[2], affine.s(), 0.0, "no update may be applied from a NaN loss");
    }

    @Test
    void divergenceAfterSomeValidationsRestoresTheBestParameters() {
        // One NaN row among 1000: the step whose shuffled batch holds it fails, after earlier steps validated.
        Batch train = TestFlows.gaussian(1_000, MEAN, STD, new SplittableRandom(51));
        train.values()[2 * 400] = Double.NaN;
        Batch validation = TestFlows.gaussian(200, MEAN, STD, new SplittableRandom(52));
        ElementwiseAffine affine = new ElementwiseAffine(2);
        Flow flow = new Flow(affine);
        AtomicReference<Map<String, double[]>> atBest = new AtomicReference<>();
        TrainingConfig config = FAST.withBatchSize(100).withValidateEvery(1);
        try (Trainer trainer = new Trainer(config)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.train(flow, train, validation, new SplittableRandom(53), new TrainingListener() {
                        @Override
                        public void onValidation(int step, double validationNll, boolean isBest) {
                            if (isBest) {
                                atBest.set(values(flow));
                            }
                        }
                    }));
            assertTrue(e.step() > 1 && e.step() <= 10, e.getMessage());
        }
        assertSameValues(atBest.get(), values(flow), 0.0);
    }

    @Test
    void rejectsDataOfTheWrongWidth() {
        Flow flow = new Flow(new ElementwiseAffine(3));
        Batch twoWide = TestFlows.gaussian(10, MEAN, STD, new SplittableRandom(1));
        try (Trainer trainer = new Trainer(FAST)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(flow, twoWide, twoWide));
            assertTrue(e.getMessage().contains("training"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> trainer.evaluate(flow, Batch.zeros(0, 3)));
        }
    }
}
