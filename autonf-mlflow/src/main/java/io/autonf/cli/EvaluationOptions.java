package io.autonf.cli;

import io.autonf.cost.CostTables;
import io.autonf.cost.MeasureOptions;
import io.autonf.metric.Evaluator;
import io.autonf.metric.Prdc;
import io.autonf.search.SearchPipeline;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a search's result is evaluated and what it is compared with, and where its cost table comes from (a picocli
 * mixin shared by {@code search} and {@code ga}).
 */
final class EvaluationOptions {

    @Option(names = "--samples", paramLabel = "N", description = "Flow samples for density and coverage (default: ${DEFAULT-VALUE}).")
    int samples = Evaluator.DEFAULT_SAMPLES;

    @Option(names = "--k", paramLabel = "K", description = "Neighbours for density and coverage (default: ${DEFAULT-VALUE}).")
    int k = Prdc.DEFAULT_K;

    @Option(names = "--no-reference", description = "Skip training the reference (no figure of merit).")
    boolean noReference;

    @Option(names = "--cost-dir", paramLabel = "DIR", description = "Where cost tables are kept (default: $"
            + CostTables.DIRECTORY_ENVIRONMENT + " or ~/.autonf/cost-tables).")
    Path costDirectory;

    @Option(names = "--quick-costs", description = "Measure a missing cost table quickly (shorter, noisier timing).")
    boolean quickCosts;

    /** The pipeline's options; a value the library rejects is bad input of {@code command}. */
    SearchPipeline.Options pipeline(CommandLine command) {
        SearchPipeline.Options o = SearchPipeline.Options.defaults();
        if (costDirectory != null) {
            o = o.withCostDirectory(costDirectory);
        }
        SearchPipeline.Options base = o.withTrainReference(!noReference);
        return ParameterChecks.settings(command, () -> base.withEvaluationSamples(samples).withK(k)
                .withMeasure(quickCosts ? MeasureOptions.DEFAULT.quick() : MeasureOptions.DEFAULT));
    }

    /** The run params {@code evaluation.*}: how the result was evaluated and where the costs came from. */
    Map<String, Object> params(SearchPipeline.Options pipeline) {
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("samples", pipeline.evaluationSamples());
        evaluation.put("k", pipeline.k());
        evaluation.put("train_reference", pipeline.trainReference());
        evaluation.put("quick_costs", quickCosts);
        evaluation.put("cost_directory", pipeline.costDirectory().toAbsolutePath().toString());
        return Map.of("evaluation", evaluation);
    }
}
