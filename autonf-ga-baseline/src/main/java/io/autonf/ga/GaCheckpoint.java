package io.autonf.ga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything a GA run needs to go on after its last completed generation exactly as if it had not stopped (see
 * the package documentation): written by {@link GaSearch} to a sink every few generations, read back by
 * {@link GaSearch#resume}. A checkpoint whose {@link #stopReason()} is set was taken after the last generation:
 * resuming from it trains nothing and rebuilds the result.
 *
 * @param configFingerprint the run's configuration ({@link CheckpointJson#fingerprint} of {@link GaConfig#summary()});
 *                          a resume with another configuration is refused
 * @param population        the population after the last completed generation, the engine's next start
 * @param candidates        every candidate trained so far, in index order: the evaluation cache
 * @param generations       the statistics of every completed generation (from 1, without gaps)
 * @param steadyBest        the best fitness the steady-fitness limit compares with (NaN before generation 1)
 * @param steadyCount       generations that best has held, counting the one that set it
 * @param wallTime          the run's wall time so far ({@link System#nanoTime()}, as the results report it)
 * @param limitElapsed      the time the wall-time limit has counted so far (on the run's clock)
 * @param stopReason        why the run ended, or null while it goes on
 */
public record GaCheckpoint(String configFingerprint, List<Member> population, List<CandidateEvaluation> candidates,
                           List<GenerationStatistics> generations, double steadyBest, int steadyCount,
                           Duration wallTime, Duration limitElapsed, GaStopReason stopReason) {

    /** Version of the JSON file; a reader refuses any other. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the file's {@code kind} field. */
    public static final String KIND = "autonf-ga-checkpoint";

    /**
     * One member of the population.
     *
     * @param choice          the option index of every layer (the genotype)
     * @param birthGeneration the generation it was created in (Jenetics retires members by age)
     * @param fitness         its fitness
     */
    public record Member(int[] choice, long birthGeneration, double fitness) {

        public Member {
            if (choice == null || choice.length == 0) {
                throw new IllegalArgumentException("a population member needs its genotype");
            }
            choice = choice.clone();
        }

        @Override
        public int[] choice() {
            return choice.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && Arrays.equals(choice, m.choice) && birthGeneration == m.birthGeneration
                    && Double.compare(fitness, m.fitness) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(choice) + Long.hashCode(birthGeneration)) + Double.hashCode(fitness);
        }

        @Override
        public String toString() {
            return "Member" + Arrays.toString(choice) + "@" + birthGeneration + "=" + fitness;
        }
    }

    public GaCheckpoint {
        if (configFingerprint == null || population == null || candidates == null || generations == null
                || wallTime == null || limitElapsed == null) {
            throw new IllegalArgumentException("a GA checkpoint needs its configuration, population, candidates, "
                    + "generations and times");
        }
        if (generations.isEmpty() || population.isEmpty()) {
            throw new IllegalArgumentException("a GA checkpoint is taken after a generation, with its population");
        }
        for (int i = 0; i < generations.size(); i++) {
            if (generations.get(i).generation() != i + 1) {
                throw new IllegalArgumentException("the checkpoint's generations must run 1, 2, ... without gaps; "
                        + "place " + i + " holds generation " + generations.get(i).generation());
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).index() != i) {
                throw new IllegalArgumentException("the checkpoint's candidates must be in index order; place " + i
                        + " holds candidate " + candidates.get(i).index());
            }
        }
        population = List.copyOf(population);
        candidates = List.copyOf(candidates);
        generations = List.copyOf(generations);
    }

    /** Generations completed; the resumed run starts with the next. */
    public int completedGenerations() {
        return generations.size();
    }

    /** Whether the run had ended (nothing is left to evolve). */
    public boolean finished() {
        return stopReason != null;
    }

    /** Layer evaluations of every training so far. */
    public long layerEvaluations() {
        return candidates.stream().mapToLong(CandidateEvaluation::layerEvaluations).sum();
    }

    public JsonNode toJson() {
        ObjectNode o = CheckpointJson.object();
        o.put("kind", KIND);
        o.put("format_version", FORMAT_VERSION);
        o.put("config", configFingerprint);
        ArrayNode members = o.putArray("population");
        for (Member m : population) {
            ObjectNode node = members.addObject();
            ArrayNode genes = node.putArray("choice");
            for (int g : m.choice) {
                genes.add(g);
            }
            node.put("birth_generation", m.birthGeneration);
            node.set("fitness", CheckpointJson.number(m.fitness));
        }
        ArrayNode cache = o.putArray("candidates");
        candidates.forEach(c -> cache.add(CheckpointJson.candidate(c)));
        ArrayNode history = o.putArray("generations");
        generations.forEach(g -> history.add(CheckpointJson.generation(g)));
        o.set("steady_best", CheckpointJson.number(steadyBest));
        o.put("steady_count", steadyCount);
        o.put("wall_time_ns", wallTime.toNanos());
        o.put("limit_elapsed_ns", limitElapsed.toNanos());
        o.put("stop_reason", stopReason == null ? null : stopReason.name());
        return o;
    }

    public static GaCheckpoint fromJson(JsonNode o) {
        CheckpointJson.requireFormat(o, KIND, FORMAT_VERSION);
        List<Member> population = new ArrayList<>();
        for (JsonNode node : CheckpointJson.field(o, "population")) {
            JsonNode genes = CheckpointJson.field(node, "choice");
            int[] choice = new int[genes.size()];
            for (int i = 0; i < choice.length; i++) {
                choice[i] = genes.get(i).asInt();
            }
            population.add(new Member(choice, CheckpointJson.longField(node, "birth_generation"),
                    CheckpointJson.doubleField(node, "fitness")));
        }
        List<CandidateEvaluation> candidates = new ArrayList<>();
        CheckpointJson.field(o, "candidates").forEach(c -> candidates.add(CheckpointJson.candidate(c)));
        List<GenerationStatistics> generations = new ArrayList<>();
        CheckpointJson.field(o, "generations").forEach(g -> generations.add(CheckpointJson.generation(g)));
        String stop = CheckpointJson.textField(o, "stop_reason");
        return new GaCheckpoint(CheckpointJson.textField(o, "config"), population, candidates, generations,
                CheckpointJson.doubleField(o, "steady_best"), CheckpointJson.intField(o, "steady_count"),
                Duration.ofNanos(CheckpointJson.longField(o, "wall_time_ns")),
                Duration.ofNanos(CheckpointJson.longField(o, "limit_elapsed_ns")),
                stop == null ? null : GaStopReason.valueOf(stop));
    }

    /** Writes this checkpoint to {@code file} atomically (a temporary file renamed over it). */
    public void write(Path file) throws IOException {
        CheckpointJson.writeAtomically(file, toJson());
    }

    /**
     * @throws IllegalArgumentException when the file is not a GA checkpoint of {@link #FORMAT_VERSION}
     */
    public static GaCheckpoint read(Path file) throws IOException {
        return fromJson(CheckpointJson.read(file));
    }
}
