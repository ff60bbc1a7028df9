package io.autonf.search;

import io.autonf.cost.CostTable;
import io.autonf.cost.MixtureCosts;
import io.autonf.metric.Fom;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a {@link SearchPipeline} run produced.
 *
 * @param reference the reference trained with the same budget; null when it was not asked for
 * @param fom       the found architecture's figure of merit against the reference (null without one)
 * @param costTime  time spent loading or measuring the cost table
 * @param wallTime  the whole run
 */
public record PipelineResult(SearchConfig config, SearchResult search, CostTable costs, Candidate found,
                             Candidate reference, Fom fom, Duration costTime, Duration wallTime) {

    public PipelineResult {
        if (config == null || search == null || costs == null || found == null || costTime == null || wallTime == null) {
            throw new IllegalArgumentException("a pipeline result needs its configuration, search, costs, found "
                    + "architecture and times");
        }
        if ((reference == null) != (fom == null)) {
            throw new IllegalArgumentException("a figure of merit needs a reference and a reference gives one");
        }
    }

    /**
     * (search + retraining of the found architecture) / training of the reference: how many reference trainings a
     * search costs. NaN without a reference.
     */
    public double searchToReferenceTime() {
        if (reference == null) {
            return Double.NaN;
        }
        double searchAndRetrain = search.wallTime().toNanos() + found.training().wallTime().toNanos();
        return searchAndRetrain / reference.training().wallTime().toNanos();
    }

    /** By snake_case name, for the command line and run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", found.architecture().toString());
        m.put("weights", SearchResult.weightsByName(search.weights(), config.space().options()));
        m.put("emphasis", config.emphasis().id());
        m.put("found", found.summary());
        if (reference != null) {
            m.put("reference", reference.summary());
            m.put("cost_reduction_percent", fom.costReductionPercent());
            m.put("density_change_percent", fom.densityChangePercent());
            m.put("fom", fom.value());
        }
        Map<String, Object> normalised = new LinkedHashMap<>();
        double[] c = MixtureCosts.normalisedCosts(config.space().options(), costs, config.emphasis());
        for (int j = 0; j < c.length; j++) {
            normalised.put(config.space().option(j).id(), c[j]);
        }
        m.put("normalised_option_costs", normalised);
        m.put("expected_cost_start", search.trajectory().expectedCost(0));
        m.put("expected_cost_end", search.trajectory().expectedCost(search.steps()));
        m.put("search", search.summary());
        m.put("cost_table_wall_time_s", costTime.toNanos() / 1e9);
        m.put("search_wall_time_s", search.wallTime().toNanos() / 1e9);
        m.put("retraining_wall_time_s", found.training().wallTime().toNanos() / 1e9);
        if (reference != null) {
            m.put("reference_training_wall_time_s", reference.training().wallTime().toNanos() / 1e9);
            m.put("search_and_retraining_over_reference_training", searchToReferenceTime());
        }
        m.put("wall_time_s", wallTime.toNanos() / 1e9);
        return m;
    }
}
