package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.Locale;

/**
 * Times one cell of the {@code quick} profile (seed 1, forward emphasis, with both references) on the data set
 * named by {@code -Dautonf.study.calibrate=power-sample}: the measurement behind the profile's budgets. A
 * measurement, not a check.
 */
@EnabledIfSystemProperty(named = "autonf.study.calibrate", matches = ".+")
class StudyCalibrationTest {

    @Test
    void timeOneQuickCell() {
        String dataset = System.getProperty("autonf.study.calibrate");
        StudyConfig config = StudyConfig.quick().toBuilder().datasets(List.of(dataset)).seeds(List.of(1L))
                .emphases(List.of(CostEmphasis.FORWARD)).build();
        long start = System.nanoTime();
        StudyReport report = new StudyRunner(config, DatasetSource.DEFAULT, new StudyListener() {
            @Override
            public void onCellFinish(StudyCell cell, StudyMethod method, MethodResult result) {
                System.out.printf(Locale.ROOT, "[%6.1f s] %s %s: %s%n", (System.nanoTime() - start) / 1e9,
                        cell.label(), method.label(), result.failed() ? result.failure()
                                : String.format(Locale.ROOT, "%s test NLL %.3f density %.3f wall %.1f s",
                                result.architecture(), result.testNll(), result.density(), result.wallTimeSeconds()));
            }

            @Override
            public void onConvergence(Convergence c) {
                System.out.printf(Locale.ROOT, "[%6.1f s] convergence: reached %s fraction %.3f%n",
                        (System.nanoTime() - start) / 1e9, c.reached(), c.fraction());
            }
        }, line -> System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line)).run();
        System.out.printf(Locale.ROOT, "one quick cell on %s: %.1f s%n", dataset, report.wallTime().toNanos() / 1e9);
        System.out.println(report.markdown());
    }
}
