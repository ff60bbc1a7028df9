package io.autonf.ga;

import io.autonf.search.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GA stopped after a generation and resumed from its checkpoint ends as the uninterrupted run. */
class GaCheckpointTest {

    private static final SearchSpace LARGE = GaFixtures.space(8, MAF, RQ_AR, AFFINE_C, RQ_C);

    @TempDir
    Path directory;

    private static GaConfig config() {
        return GaConfig.builder(LARGE).populationSize(8).generations(9).steadyGenerations(0).lambda(0.5).seed(42)
                .build();
    }

    private static GaSearch search(GaConfig config, CandidateTraining training) {
        return new GaSearch(config, GaFixtures.costs(2), training);
    }

    /** Records candidates and generations; throws at the start of generation {@code stopAt} (0: never). */
    private static final class Recorder implements GaListener {
        final List<String> events = new ArrayList<>();
        final int stopAt;

        Recorder(int stopAt) {
            this.stopAt = stopAt;
        }

        @Override
        public void onStart(GaConfig config) {
            events.add("start");
        }

        @Override
        public void onResume(GaCheckpoint checkpoint) {
            events.add("resume " + checkpoint.completedGenerations());
        }

        @Override
        public void onCandidate(CandidateEvaluation c) {
            events.add("candidate " + c.index() + " of generation " + c.generation() + " " + c.architecture());
        }

        @Override
        public void onGeneration(GenerationStatistics g) {
            if (g.generation() == stopAt) {
                throw new IllegalStateException("killed at generation " + stopAt);
            }
            events.add("generation " + g.generation() + " best " + g.bestFitness());
        }

        @Override
        public void onFinish(GaResult result) {
            events.add("finish");
        }
    }

    private static int generationOf(String event) {
        String[] w = event.split(" ");
        return w[0].equals("generation") ? Integer.parseInt(w[1]) : w[0].equals("candidate")
                ? Integer.parseInt(w[4]) : -1;
    }

    @Test
    void aRunResumedAfterGenerationKEndsAsTheUninterruptedRunAndTellsNothingTwice() throws Exception {
        int k = 3;
        Recorder whole = new Recorder(0);
        List<GaCheckpoint> all = new ArrayList<>();
        GaResult uninterrupted = search(config(), new GaFixtures.FakeTraining()).run(whole, 1, all::add);
        assertEquals(9, all.size(), "one after each of generations 1-8 and one after the last");
        assertTrue(all.getLast().finished());

        Path file = directory.resolve("ga-checkpoint.json");
        Recorder first = new Recorder(k + 1);
        GaFixtures.FakeTraining firstTraining = new GaFixtures.FakeTraining();
        assertThrows(IllegalStateException.class, () -> search(config(), firstTraining).run(first, 1, c -> {
            try {
                c.write(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        GaCheckpoint checkpoint = GaCheckpoint.read(file);
        assertEquals(k, checkpoint.completedGenerations());
        assertEquals(all.get(k - 1).population(), checkpoint.population(), "the file keeps the population exactly");
        assertEquals(GaCheckpoint.FORMAT_VERSION, CheckpointJson.read(file).get("format_version").asInt());
        try (var files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }

        Recorder second = new Recorder(0);
        GaFixtures.FakeTraining secondTraining = new GaFixtures.FakeTraining();
        GaResult resumed = search(config(), secondTraining).resume(checkpoint, second, 1, c -> { });

        assertEquals(uninterrupted.bestArchitecture(), resumed.bestArchitecture());
        assertEquals(uninterrupted.best().fitness(), resumed.best().fitness());
        assertEquals(fitnessHistory(uninterrupted), fitnessHistory(resumed));
        assertEquals(withoutTimes(uninterrupted.candidates()), withoutTimes(resumed.candidates()));
        assertEquals(uninterrupted.layerEvaluations(), resumed.layerEvaluations());
        assertEquals(uninterrupted.trainings(), resumed.trainings());
        assertEquals(uninterrupted.stopReason(), resumed.stopReason());
        assertEquals(uninterrupted.trainings() - checkpoint.candidates().size(), secondTraining.calls.get(),
                "no candidate of the checkpoint trains again");
        secondTraining.perArchitecture.keySet().forEach(a -> assertTrue(checkpoint.candidates().stream()
                .noneMatch(c -> c.architecture().equals(a)), a + " was trained before the checkpoint"));

        // The resumed listener hears only what came after generation k; what the first run's listener heard up to
        // generation k, then the resumed one, is what the uninterrupted run's heard.
        assertEquals("resume " + k, second.events.getFirst());
        List<String> after = second.events.subList(1, second.events.size());
        assertTrue(after.stream().filter(e -> !e.equals("finish")).allMatch(e -> generationOf(e) > k), after::toString);
        List<String> stitched = new ArrayList<>(first.events.stream().filter(e -> generationOf(e) <= k).toList());
        stitched.addAll(after);
        assertEquals(whole.events, stitched);
    }

    @Test
    void theSteadyFitnessCountAndTheWallTimeCarryOverAResume() {
        GaFixtures.FakeTraining flat = new GaFixtures.FakeTraining(a -> false, 1000, 2.0);
        GaConfig config = config().toBuilder().lambda(0).generations(50).steadyGenerations(3).build();
        GaResult whole = search(config, flat).run(GaListener.NONE);
        assertEquals(4, whole.generations().size());
        List<GaCheckpoint> taken = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> search(config, flat).run(new Recorder(3), 1, taken::add));
        GaCheckpoint afterTwo = taken.getLast();
        assertEquals(2, afterTwo.completedGenerations());
        assertEquals(2, afterTwo.steadyCount());
        GaCheckpoint reread = GaCheckpoint.fromJson(CheckpointJson.parse(CheckpointJson.text(afterTwo.toJson()),
                "checkpoint"));
        assertEquals(afterTwo, reread, "the JSON round trip is exact");
        GaResult resumed = search(config, flat).resume(reread, GaListener.NONE, 0, null);
        assertEquals(GaStopReason.STEADY_FITNESS, resumed.stopReason());
        assertEquals(4, resumed.generations().size(), "the steady count went on from 2");
        assertTrue(resumed.wallTime().compareTo(afterTwo.wallTime()) >= 0, "wall time adds up");
    }

    @Test
    void aFinishedCheckpointRebuildsTheResultWithoutTrainingOrTelling() {
        List<GaCheckpoint> taken = new ArrayList<>();
        GaConfig config = config().toBuilder().generations(4).build();
        GaResult whole = search(config, new GaFixtures.FakeTraining()).run(GaListener.NONE, 2, taken::add);
        assertEquals(List.of(2, 4), taken.stream().map(GaCheckpoint::completedGenerations).toList(),
                "every second generation; the last is the final checkpoint");
        assertEquals(GaStopReason.GENERATIONS, taken.getLast().stopReason());
        GaFixtures.FakeTraining training = new GaFixtures.FakeTraining();
        Recorder events = new Recorder(0);
        GaResult rebuilt = search(config, training).resume(taken.getLast(), events, 0, null);
        assertEquals(0, training.calls.get());
        assertEquals(List.of("resume 4"), events.events);
        assertEquals(whole, rebuilt);
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefused() {
        List<GaCheckpoint> taken = new ArrayList<>();
        search(config().toBuilder().generations(2).build(), new GaFixtures.FakeTraining())
                .run(GaListener.NONE, 1, taken::add);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> search(config().toBuilder().seed(7).generations(2).build(), new GaFixtures.FakeTraining())
                        .resume(taken.getFirst(), GaListener.NONE, 0, null));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> search(config(), new GaFixtures.FakeTraining()).run(GaListener.NONE, 0, c -> { }));
        assertThrows(IllegalArgumentException.class, () -> GaCheckpoint.fromJson(CheckpointJson.parse(
                "{\"kind\":\"autonf-ga-checkpoint\",\"format_version\":99}", "file")));
    }

    private static List<List<Object>> fitnessHistory(GaResult r) {
        return r.generations().stream().map(g -> List.<Object>of(g.generation(), g.bestFitness(),
                g.bestArchitecture(), g.meanFitness(), g.bestSoFar(), g.failedMembers(), g.distinctGenotypes(),
                g.meanHammingDistance(), g.trainings(), g.layerEvaluations())).toList();
    }

    private static List<CandidateEvaluation> withoutTimes(List<CandidateEvaluation> candidates) {
        return candidates.stream().map(c -> new CandidateEvaluation(c.index(), c.generation(), c.architecture(),
                c.seed(), c.validationNll(), c.cost(), c.fitness(), c.stepsRun(), c.layerEvaluations(), Duration.ZERO,
                c.failure())).toList();
    }
}
