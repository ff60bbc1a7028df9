package io.autonf.search;

import io.autonf.event.SearchListener;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.telemetry.AutoNfMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The search times every θ and α update and counts the layer evaluations it reports. */
class AutoNfSearchMetersTest {

    @Test
    void thetaAndAlphaStepsAndLayerEvaluationsAreRecorded() {
        Batch train = SearchFixtures.skewed(256, 1);
        Batch validation = SearchFixtures.skewed(128, 2);
        SearchConfig config = SearchConfig.builder(new SearchSpace(2, List.of(LayerKind.MAF, LayerKind.AFFINE_C),
                        SearchFixtures.TINY)).thetaBatchSize(64).alphaBatchSize(64).seed(7)
                .stepsPerBlock(4).warmupSteps(1).lambda(0).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SearchResult result;
        try (MixtureFlow mixture = new MixtureFlow(config.space(), 2, config.initialisationRandom(), config.threads())) {
            result = new AutoNfSearch(config, mixture, null, registry).run(train, validation, SearchListener.NONE);
        }
        int steps = result.steps();
        int phases = SearchSchedule.of(config).size();
        assertEquals(phases * 4, steps);
        assertEquals(steps, registry.get(AutoNfMeters.SEARCH_STEP).tag("phase", "theta").timer().count(),
                "one θ update per step");
        assertEquals(phases * 3, registry.get(AutoNfMeters.SEARCH_STEP).tag("phase", "alpha").timer().count(),
                "one α update per step after the warm-up of each visit");
        assertEquals(result.layerEvaluations(), registry.get(AutoNfMeters.SEARCH_LAYER_EVALUATIONS).counter().count());
    }
}
