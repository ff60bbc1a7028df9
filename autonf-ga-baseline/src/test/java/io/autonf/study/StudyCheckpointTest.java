package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.data.Bundled;
import io.autonf.ga.CheckpointJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny real study interrupted after a few methods and resumed gives the uninterrupted study's report. */
class StudyCheckpointTest {

    @TempDir
    Path directory;

    private StudyConfig config() {
        StudyConfig c = StudyRunnerTest.tiny(List.of(Bundled.POWER_SAMPLE), List.of(3L), directory.resolve("costs"));
        return new StudyConfig(c.name(), c.datasets(), List.of(CostEmphasis.FORWARD, CostEmphasis.INVERSE),
                c.seeds(), c.search(), c.ga(), c.options());
    }

    /** Records every finished method and convergence; throws at the {@code killAt}-th onCellFinish (0: never). */
    private static final class Recorder implements StudyListener {
        final List<String> events = new ArrayList<>();
        final int killAt;
        int finishes;

        Recorder(int killAt) {
            this.killAt = killAt;
        }

        @Override
        public void onStart(StudyConfig config) {
            events.add("start");
        }

        @Override
        public void onResume(StudyCheckpoint checkpoint) {
            events.add("resume " + checkpoint.entries().size());
        }

        @Override
        public void onCellStart(StudyCell cell, StudyMethod method) {
            events.add("start " + cell.label() + " " + method.id());
        }

        @Override
        public void onCellFinish(StudyCell cell, StudyMethod method, MethodResult result) {
            if (++finishes == killAt) {
                throw new IllegalStateException("killed at " + cell.label() + " " + method.id());
            }
            events.add("finish " + cell.label() + " " + method.id() + " " + result.withWallTime(0).architecture()
                    + " " + result.testNll() + " " + result.fom());
        }

        @Override
        public void onConvergence(Convergence convergence) {
            events.add("convergence " + convergence.cell().label() + " " + convergence.autonfComputeToReach());
        }
    }

    @Test
    void aStudyKilledAfterAFewMethodsResumesToTheSameReportWithoutTellingFinishedWorkAgain() throws IOException {
        StudyConfig config = config();
        Recorder whole = new Recorder(0);
        StudyReport uninterrupted = new StudyRunner(config, StudyRunnerTest.SLICES, whole, line -> { }).run();

        // Finishes: RQ-AF, RQ-C, forward AutoNF, forward GA, inverse AutoNF (killed), inverse GA.
        Path file = directory.resolve("study-checkpoint.json");
        Recorder first = new Recorder(5);
        assertThrows(IllegalStateException.class, () -> new StudyRunner(config, StudyRunnerTest.SLICES, first,
                line -> { }).run(c -> {
                    try {
                        c.write(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
        StudyCheckpoint checkpoint = StudyCheckpoint.read(file);
        assertEquals(4, checkpoint.entries().size(), "both references and the forward cell's two searches");
        assertEquals(1, checkpoint.convergencesTold().size());
        assertEquals(StudyCheckpoint.FORMAT_VERSION, CheckpointJson.read(file).get("format_version").asInt());
        assertEquals(checkpoint, StudyCheckpoint.fromJson(checkpoint.toJson()), "the JSON round trip is exact");

        Recorder second = new Recorder(0);
        List<StudyCheckpoint> later = new ArrayList<>();
        StudyReport resumed = new StudyRunner(config, StudyRunnerTest.SLICES, second, line -> { })
                .resume(checkpoint, later::add);

        assertEquals(withoutTimes(uninterrupted), withoutTimes(resumed));
        assertEquals(uninterrupted.convergences(), resumed.convergences());
        assertEquals(uninterrupted.candidates(), resumed.candidates());
        assertEquals(uninterrupted.rows().stream().map(r -> r.method() + " " + r.succeeded()).toList(),
                resumed.rows().stream().map(r -> r.method() + " " + r.succeeded()).toList());
        // The reference rows are rebuilt from the checkpoint with their whole records (types included).
        for (int i = 0; i < uninterrupted.results().size(); i++) {
            MethodResult a = uninterrupted.results().get(i);
            MethodResult b = resumed.results().get(i);
            if (a.method().isReference()) {
                assertEquals(withoutTimes(a.details()), withoutTimes(b.details()), a.method() + " details");
            }
        }

        // What the first run told and the resumed one told make up exactly what the uninterrupted one told.
        assertEquals("resume 4", second.events.getFirst());
        List<String> stitched = new ArrayList<>(first.events);
        stitched.addAll(second.events.subList(1, second.events.size()));
        stitched.remove("start " + config.cells().get(1).label() + " autonf");
        assertEquals(whole.events.subList(1, whole.events.size()), stitched.subList(1, stitched.size()),
                "no finished method is told twice; the killed one is started again");
        assertTrue(second.events.stream().noneMatch(e -> e.contains("rq-af") || e.contains("forward")),
                second.events::toString);
        assertEquals(3, later.size(), "checkpoints after the inverse cell's AutoNF, GA and convergence");
        assertEquals(6, later.getLast().entries().size());
        assertEquals(config.cells(), later.getLast().convergencesTold());

        // Resuming a finished study runs nothing and tells nothing but the resume.
        Recorder third = new Recorder(0);
        StudyReport again = new StudyRunner(config, StudyRunnerTest.SLICES, third, line -> { })
                .resume(later.getLast());
        assertEquals(List.of("resume 6"), third.events);
        assertEquals(withoutTimes(uninterrupted), withoutTimes(again));
        assertEquals(uninterrupted.convergenceRows(), again.convergenceRows());
    }

    @Test
    void aCheckpointOfAnotherStudyIsRefused() {
        StudyCheckpoint empty = new StudyCheckpoint("{}", List.of(), List.of(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StudyRunner(config(), StudyRunnerTest.SLICES, StudyListener.NONE, line -> { })
                        .resume(empty));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StudyCheckpoint.fromJson(CheckpointJson.parse(
                "{\"kind\":\"autonf-ga-checkpoint\",\"format_version\":1}", "file")));
    }

    private static List<String> withoutTimes(StudyReport report) {
        return report.results().stream().map(r -> {
            MethodResult m = r.withWallTime(0);
            return m.cell() + " " + m.method() + " " + m.architecture() + " " + m.testNll() + " " + m.testNllError()
                    + " " + m.density() + " " + m.coverage() + " " + m.costMicros() + " " + m.fom() + " "
                    + m.layerEvaluations() + " " + m.failure();
        }).toList();
    }

    /** A record without its timings (keys ending in _s or wall_time), recursively. */
    private static Map<String, Object> withoutTimes(Map<String, Object> details) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        details.forEach((k, v) -> {
            if (k.endsWith("_s") || k.contains("wall_time") || k.endsWith("_us")) {
                m.put(k, v == null ? null : v.getClass());
            } else if (v instanceof Map<?, ?> inner) {
                @SuppressWarnings("unchecked")
                Map<String, Object> cast = (Map<String, Object>) inner;
                m.put(k, withoutTimes(cast));
            } else {
                m.put(k, v);
            }
        });
        return m;
    }
}
