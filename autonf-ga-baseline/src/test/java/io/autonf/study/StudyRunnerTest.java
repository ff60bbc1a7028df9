package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.cost.MeasureOptions;
import io.autonf.data.Bundled;
import io.autonf.data.Dataset;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real study, end to end, on a slice of the bundled POWER sample with tiny budgets. */
class StudyRunnerTest {

    @TempDir
    static Path costs;

    /** power-sample cut to 512/128/128 rows, so that a cell takes about a second. */
    static final DatasetSource SLICES = spec -> {
        if (!spec.equals(Bundled.POWER_SAMPLE)) {
            throw new IllegalArgumentException("no such data set in this test: " + spec);
        }
        Dataset d = Bundled.load(spec);
        return Dataset.of(spec, d.train().slice(0, 512), d.validation().slice(0, 128), d.test().slice(0, 128),
                "test slice");
    };

    static StudyConfig tiny(List<String> datasets, List<Long> seeds) {
        return tiny(datasets, seeds, costs);
    }

    static StudyConfig tiny(List<String> datasets, List<Long> seeds, Path costs) {
        StudyConfig c = StudyConfig.builder().name("tiny").datasets(datasets).emphases(List.of(CostEmphasis.FORWARD))
                .seeds(seeds).layers(2).options(List.of(LayerKind.MAF, LayerKind.AFFINE_C, LayerKind.RQ_C))
                .settings(new LayerSettings(8, 1, 4, 3.0, Precision.FP64)).lambda(0.5).threads(1)
                .stepsPerBlock(4).rounds(2).batch(64).alphaBatch(64)
                .population(3).generations(2).steadyGenerations(0).tournamentSize(2)
                .candidateTraining(TrainingConfig.DEFAULTS.withMaxSteps(8).withBatchSize(64).withValidateEvery(4))
                .finalTraining(TrainingConfig.DEFAULTS.withMaxSteps(12).withBatchSize(64).withValidateEvery(6))
                .evaluationSamples(60).k(3).costDirectory(costs).build();
        return new StudyConfig(c.name(), c.datasets(), c.emphases(), c.seeds(), c.search(), c.ga(),
                c.options().withMeasure(new MeasureOptions(32, 0, 0, 1, 0)));
    }

    @Test
    void aTinyStudyHasEveryMethodRowTheConvergenceAndFiniteNumbers() {
        List<String> events = new ArrayList<>();
        StudyReport report = new StudyRunner(tiny(List.of(Bundled.POWER_SAMPLE), List.of(1L)), SLICES,
                new StudyListener() {
                    @Override
                    public void onCellStart(StudyCell cell, StudyMethod method) {
                        events.add("start " + method.id());
                    }

                    @Override
                    public void onCellFinish(StudyCell cell, StudyMethod method, MethodResult result) {
                        events.add("finish " + method.id());
                    }
                }, line -> { }).run();
        assertEquals(List.of("start rq-af", "finish rq-af", "start rq-c", "finish rq-c", "start autonf",
                "finish autonf", "start ga", "finish ga"), events);
        List<StudyReport.Row> rows = report.rows();
        assertEquals(List.of(StudyMethod.values()), rows.stream().map(StudyReport.Row::method).toList());
        for (MethodResult r : report.results()) {
            assertFalse(r.failed(), () -> r.method() + " failed: " + r.failure());
            for (double v : new double[]{r.testNll(), r.testNllError(), r.density(), r.coverage(), r.costMicros(),
                    r.fom(), r.wallTimeSeconds()}) {
                assertTrue(Double.isFinite(v), () -> r.method() + " has a number that is not finite: " + r);
            }
            assertEquals(!r.method().isReference(), r.layerEvaluations() > 0, r.method() + " compute");
        }
        assertEquals(0.0, report.results().get(0).fom(), "RQ-AF against itself");
        Convergence c = report.convergences().get(0);
        assertFalse(c.failed(), c.failure());
        assertEquals(4, c.autonf().size(), "one point per block visit: 2 blocks x 2 rounds");
        assertEquals(2, c.ga().size(), "one point per generation");
        assertTrue(c.gaCompute() > 0 && Double.isFinite(c.gaBest()));
        assertEquals(c.reached(), Double.isFinite(c.fraction()));
        StudyReport.ConvergenceRow row = report.convergenceRows().get(0);
        assertEquals(1, row.cells());
        assertTrue(report.markdown().contains(c.reached() ? String.format(java.util.Locale.ROOT, "%.3f",
                c.fraction()) : "not reached"));
        assertFalse(report.candidates().isEmpty());
    }

    @Test
    void theSameSeedGivesTheSameReportButForWallTimes() {
        StudyConfig config = tiny(List.of(Bundled.POWER_SAMPLE), List.of(2L));
        StudyReport one = new StudyRunner(config, SLICES, StudyListener.NONE, line -> { }).run();
        StudyReport two = new StudyRunner(config, SLICES, StudyListener.NONE, line -> { }).run();
        assertEquals(withoutTimes(one), withoutTimes(two));
        assertEquals(one.convergences(), two.convergences());
        assertEquals(one.candidates(), two.candidates());
    }

    @Test
    void aDataSetThatFailsIsRecordedAndTheStudyGoesOn() {
        StudyReport report = new StudyRunner(tiny(List.of("broken-sample", Bundled.POWER_SAMPLE), List.of(1L)),
                SLICES, StudyListener.NONE, line -> { }).run();
        List<MethodResult> broken = report.results().stream()
                .filter(r -> r.cell().dataset().equals("broken-sample")).toList();
        assertEquals(4, broken.size());
        assertTrue(broken.stream().allMatch(r -> r.failed() && r.failure().contains("no such data set")));
        assertTrue(report.results().stream().filter(r -> r.cell().dataset().equals(Bundled.POWER_SAMPLE))
                .noneMatch(MethodResult::failed));
        assertTrue(report.markdown().contains("failed: data set broken-sample"));
        assertEquals(0, report.rows().get(0).succeeded());
    }

    private static List<String> withoutTimes(StudyReport report) {
        return report.results().stream().map(r -> {
            MethodResult m = r.withWallTime(0);
            return m.cell() + " " + m.method() + " " + m.architecture() + " " + m.testNll() + " " + m.testNllError()
                    + " " + m.density() + " " + m.coverage() + " " + m.costMicros() + " " + m.fom() + " "
                    + m.layerEvaluations();
        }).toList();
    }
}
