package io.autonf.ga;

import io.autonf.cost.MeasureOptions;
import io.autonf.data.Bundled;
import io.autonf.data.Dataset;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.search.SearchPipeline;
import io.autonf.search.SearchSpace;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.MAF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GA with real (tiny) trainings on a slice of the bundled POWER sample. */
class GaTrainingTest {

    private static final TrainingConfig BUDGET = TrainingConfig.DEFAULTS.withBatchSize(64).withMaxSteps(10)
            .withValidateEvery(5);
    private static final SearchSpace SPACE = GaFixtures.space(2, MAF, AFFINE_C);

    private static Batch train;
    private static Batch validation;
    private static Batch test;

    @BeforeAll
    static void data() {
        Dataset power = Bundled.load(Bundled.POWER_SAMPLE);
        train = power.train().slice(0, 256);
        validation = power.validation().slice(0, 64);
        test = power.test().slice(0, 64);
    }

    @Test
    void flowTrainingCountsLayerEvaluationsAsDocumented() {
        FlowTraining training = new FlowTraining(BUDGET, SPACE.settings(), train, validation);
        TrainingOutcome outcome = training.train(Architecture.parse("maf,affine-c"), 3);
        assertTrue(!outcome.failed() && Double.isFinite(outcome.validationNll()), String.valueOf(outcome));
        assertEquals(10, outcome.stepsRun());
        // 2 layers × (10 steps × 64 rows + 2 validations × 64 rows)
        assertEquals(2 * (10 * 64 + 2 * 64), outcome.layerEvaluations());
        assertEquals(outcome, withoutTime(training.train(Architecture.parse("maf,affine-c"), 3), outcome),
                "a seed gives the same training");
    }

    @Test
    void aDivergingTrainingIsAFailedOutcomeWithItsCompute() {
        double[] values = validation.values().clone();
        values[0] = Double.NaN;
        Batch poisoned = new Batch(values, validation.rows(), validation.cols());
        TrainingOutcome outcome = new FlowTraining(BUDGET, SPACE.settings(), train, poisoned)
                .train(Architecture.parse("maf"), 1);
        assertTrue(outcome.failed());
        assertTrue(outcome.failure().contains("validation NLL"), outcome.failure());
        assertEquals(5, outcome.stepsRun(), "the first validation (step 5) failed");
        assertEquals(5 * 64, outcome.layerEvaluations());
    }

    @Test
    void realTrainingsAreReproducibleWithTwoWorkers() {
        GaConfig config = GaConfig.builder(SPACE).populationSize(4).generations(2).steadyGenerations(0).lambda(0.1)
                .training(BUDGET).seed(5).build();
        GaResult one = GaSearch.withTraining(config, GaFixtures.costs(6), train, validation).run(GaListener.NONE);
        GaResult two = GaSearch.withTraining(config.toBuilder().workers(2).build(), GaFixtures.costs(6), train,
                validation).run(GaListener.NONE);
        assertEquals(one.bestArchitecture(), two.bestArchitecture());
        assertEquals(one.candidates().stream().map(CandidateEvaluation::fitness).toList(),
                two.candidates().stream().map(CandidateEvaluation::fitness).toList());
        assertEquals(one.layerEvaluations(), two.layerEvaluations());
        assertTrue(one.candidates().stream().noneMatch(CandidateEvaluation::failed));
    }

    @Test
    void pipelineRetrainsTheBestAndTheReferenceWithTheSameCode() {
        GaConfig config = GaConfig.builder(SPACE).populationSize(4).generations(2).steadyGenerations(0).lambda(0.1)
                .training(BUDGET).retraining(BUDGET.withMaxSteps(12).withSeed(9)).seed(5).build();
        SearchPipeline.Options options = SearchPipeline.Options.defaults().withCostDirectory(Path.of("unused"))
                .withMeasure(new MeasureOptions(32, 0, 0, 1, 0)).withEvaluationSamples(40).withK(3);
        List<String> evaluated = new ArrayList<>();
        GaPipelineResult result = GaPipeline.run(config, GaFixtures.costs(6), options, train, validation, test,
                new GaListener() {
                    @Override
                    public void onEvaluation(String label, io.autonf.metric.FlowEvaluation evaluation) {
                        evaluated.add(label);
                    }
                }, TrainingListener.NONE, line -> { });
        assertEquals(result.ga().bestArchitecture(), result.found().architecture());
        assertEquals(Architecture.parse("rq-ar,rq-ar"), result.reference().architecture());
        assertEquals(12, result.found().training().stepsRun());
        assertNotNull(result.fom());
        assertEquals(List.of("found", "reference"), evaluated);
        // The same numbers as AutoNF's own retraining of that architecture.
        var direct = SearchPipeline.trainAndEvaluate(result.found().architecture(), SPACE.settings(),
                config.retraining(), config.seed(), config.threads(), options, GaFixtures.costs(6), train, validation,
                test, TrainingListener.NONE, line -> { });
        assertEquals(direct.evaluation().testNll(), result.found().evaluation().testNll());
        assertTrue(result.summary().containsKey("fom"));
    }

    private static TrainingOutcome withoutTime(TrainingOutcome o, TrainingOutcome timeOf) {
        return new TrainingOutcome(o.validationNll(), o.stepsRun(), o.layerEvaluations(), timeOf.wallTime(),
                o.failure());
    }
}
