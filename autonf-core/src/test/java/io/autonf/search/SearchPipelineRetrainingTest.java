package io.autonf.search;

import io.autonf.cost.CostTable;
import io.autonf.cost.MeasureOptions;
import io.autonf.flow.Architecture;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.train.TrainingConfig;
import io.autonf.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The public retraining entry point gives what the pipeline's own retraining gives. */
class SearchPipelineRetrainingTest {

    private static final TrainingConfig BUDGET = TrainingConfig.DEFAULTS.withBatchSize(64).withMaxSteps(12)
            .withValidateEvery(6).withSeed(5);
    private static final SearchPipeline.Options OPTIONS = SearchPipeline.Options.defaults()
            .withCostDirectory(Path.of("unused")).withMeasure(new MeasureOptions(32, 0, 0, 1, 0))
            .withEvaluationSamples(40).withK(3);

    @Test
    void publicEntryPointMatchesTheSearchConfigOne() {
        Batch train = SearchFixtures.skewed(200, 1);
        Batch validation = SearchFixtures.skewed(60, 2);
        Batch test = SearchFixtures.skewed(60, 3);
        CostTable costs = SearchFixtures.costs(2, Map.of(LayerKind.MAF, 1.0, LayerKind.AFFINE_C, 0.5));
        SearchSpace space = new SearchSpace(2, List.of(LayerKind.MAF, LayerKind.AFFINE_C), SearchFixtures.TINY);
        SearchConfig config = SearchConfig.builder(space).retraining(BUDGET).seed(9).build();
        Architecture architecture = Architecture.parse("maf,affine-c");

        Candidate viaConfig = SearchPipeline.trainAndEvaluate(architecture, config, OPTIONS, costs, train, validation,
                test, TrainingListener.NONE, line -> { });
        Candidate viaPublic = SearchPipeline.trainAndEvaluate(architecture, space.settings(), BUDGET, 9, 1, OPTIONS,
                costs, train, validation, test, TrainingListener.NONE, line -> { });

        assertEquals(viaConfig.training().bestValidationNll(), viaPublic.training().bestValidationNll());
        assertEquals(viaConfig.evaluation().testNll(), viaPublic.evaluation().testNll());
        assertEquals(viaConfig.evaluation().density(), viaPublic.evaluation().density());
        assertEquals(viaConfig.evaluation().coverage(), viaPublic.evaluation().coverage());
        assertEquals(viaConfig.trainingCost(), viaPublic.trainingCost());
    }

    @Test
    void rejectsMissingPartsAndBadThreadCounts() {
        Batch data = SearchFixtures.skewed(10, 1);
        CostTable costs = SearchFixtures.costs(2, Map.of(LayerKind.MAF, 1.0));
        Architecture maf = Architecture.parse("maf");
        assertThrows(IllegalArgumentException.class, () -> SearchPipeline.trainAndEvaluate(maf, SearchFixtures.TINY,
                null, 0, 1, OPTIONS, costs, data, data, data, TrainingListener.NONE, line -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchPipeline.trainAndEvaluate(
                maf, SearchFixtures.TINY, BUDGET, 0, 0, OPTIONS, costs, data, data, data, TrainingListener.NONE,
                line -> { }));
        assertEquals("threads must lie in [1, 256], got 0", e.getMessage());
    }
}
