package io.autonf.ga;

import io.autonf.data.Bundled;
import io.autonf.data.Dataset;
import io.autonf.flow.LayerSettings;
import io.autonf.search.SearchSpace;
import io.autonf.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Locale;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;

/**
 * Candidate trainings per second on the bundled POWER sample, with two candidates of one thread each against one
 * candidate of two threads. A measurement, not a check: run it with {@code -Dautonf.ga.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "autonf.ga.benchmark", matches = "true")
class GaThroughputBenchmarkTest {

    @Test
    void trainingsPerSecond() {
        Dataset power = Bundled.load(Bundled.POWER_SAMPLE);
        int hidden = Integer.getInteger("autonf.ga.hidden", 64);
        int steps = Integer.getInteger("autonf.ga.steps", 100);
        SearchSpace space = new SearchSpace(4, List.of(MAF, RQ_AR, AFFINE_C, RQ_C),
                LayerSettings.DEFAULT.withHiddenFeatures(hidden));
        TrainingConfig budget = TrainingConfig.DEFAULTS.withBatchSize(256).withMaxSteps(steps).withValidateEvery(steps);
        for (int round = 0; round < 3; round++) {
            for (int[] split : round % 2 == 0 ? new int[][]{{1, 2}, {2, 1}} : new int[][]{{2, 1}, {1, 2}}) {
                GaConfig config = GaConfig.builder(space).populationSize(8).generations(2).steadyGenerations(0)
                        .lambda(0).seed(7).workers(split[0]).training(budget.withWorkerThreads(split[1])).build();
                GaResult r = GaSearch.withTraining(config, null, power.train(), power.validation()).run(GaListener.NONE);
                double seconds = r.wallTime().toNanos() / 1e9;
                System.out.printf(Locale.ROOT, "round %d: %d worker(s) x %d training thread(s): %d trainings in %.1f s "
                                + "= %.2f trainings/s, %.3g layer evaluations/s, best %s %.4f%n", round, split[0],
                        split[1], r.trainings(), seconds, r.trainings() / seconds, r.layerEvaluations() / seconds,
                        r.bestArchitecture(), r.best().fitness());
            }
        }
    }
}
