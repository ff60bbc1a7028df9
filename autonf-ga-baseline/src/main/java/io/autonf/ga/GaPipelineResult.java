package io.autonf.ga;

import io.autonf.cost.CostTable;
import io.autonf.metric.Fom;
import io.autonf.search.Candidate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a {@link GaPipeline} run produced; the counterpart of {@code io.autonf.search.PipelineResult}.
 *
 * @param reference the reference trained with the same budget; null when it was not asked for
 * @param fom       the found architecture's figure of merit against the reference (null without one)
 * @param costTime  time spent loading or measuring the cost table (zero when the table was given)
 * @param wallTime  the whole run
 */
public record GaPipelineResult(GaConfig config, GaResult ga, CostTable costs, Candidate found, Candidate reference,
                               Fom fom, Duration costTime, Duration wallTime) {

    public GaPipelineResult {
        if (config == null || ga == null || costs == null || found == null || costTime == null || wallTime == null) {
            throw new IllegalArgumentException("a GA pipeline result needs its configuration, GA result, costs, "
                    + "found architecture and times");
        }
        if ((reference == null) != (fom == null)) {
            throw new IllegalArgumentException("a figure of merit needs a reference and a reference gives one");
        }
    }

    /** By snake_case name, for the command line and run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", found.architecture().toString());
        m.put("emphasis", config.emphasis().id());
        m.put("found", found.summary());
        if (reference != null) {
            m.put("reference", reference.summary());
            m.put("cost_reduction_percent", fom.costReductionPercent());
            m.put("density_change_percent", fom.densityChangePercent());
            m.put("fom", fom.value());
        }
        m.put("ga", ga.summary());
        m.put("cost_table_wall_time_s", costTime.toNanos() / 1e9);
        m.put("ga_wall_time_s", ga.wallTime().toNanos() / 1e9);
        m.put("retraining_wall_time_s", found.training().wallTime().toNanos() / 1e9);
        if (reference != null) {
            m.put("reference_training_wall_time_s", reference.training().wallTime().toNanos() / 1e9);
        }
        m.put("wall_time_s", wallTime.toNanos() / 1e9);
        return m;
    }
}
