package io.autonf.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.autonf.cost.CostEmphasis;
import io.autonf.flow.LayerKind;
import io.autonf.flow.Precision;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchLoss;
import io.autonf.search.SearchMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a study from YAML ({@code study.yaml}; an example is {@code docs/study.yaml}). Every key is optional; the
 * study starts from {@code profile} ({@code quick} or {@code paper}; the library defaults without one) and the
 * other keys override its fields. An unknown key is an error naming it, its section and the file, as is a value of
 * the wrong type or out of range.
 *
 * <pre>
 * profile: quick
 * name: my-study
 * datasets: [power-sample, miniboone-sample]   # as --data takes them
 * emphases: [forward, inverse]
 * seeds: [1, 2, 3]
 * layers: 4
 * options: [maf, rq-ar, affine-c, rq-c]        # or "maf,rq-ar,affine-c,rq-c"
 * lambda: 0.5
 * hidden: 32
 * blocks: 2
 * bins: 8
 * precision: fp32
 * threads: 2
 * search:   {loss: upper-bound, method: block, block_size: 1, rounds: 2, steps_per_block: 40, warmup_steps: 0,
 *            batch: 128, alpha_batch: 128, theta_lr: 0.001, alpha_lr: 0.01}
 * ga:       {population: 6, generations: 3, steady_generations: 2, mutation_rate: 0.2, crossover_rate: 0.3,
 *            tournament_size: 3, elites: 1, workers: 1, compute_budget: 0, wall_time_limit_s: 0,
 *            candidate_steps: 60, candidate_batch: 128, candidate_lr: 0.001, candidate_validate_every: 30}
 * final_training: {steps: 400, batch: 256, lr: 0.001, validate_every: 50, patience: 3}
 * evaluation: {samples: 2000, k: 5}
 * costs:    {directory: ~/.autonf/cost-tables, quick: true}
 * </pre>
 */
public final class StudyYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Set<String> TOP = Set.of("profile", "name", "datasets", "emphases", "seeds", "layers",
            "options", "lambda", "hidden", "blocks", "bins", "precision", "threads", "search", "ga",
            "final_training", "evaluation", "costs");
    private static final Set<String> SEARCH = Set.of("loss", "method", "block_size", "rounds", "steps_per_block",
            "warmup_steps", "batch", "alpha_batch", "theta_lr", "alpha_lr");
    private static final Set<String> GA = Set.of("population", "generations", "steady_generations", "mutation_rate",
            "crossover_rate", "tournament_size", "elites", "workers", "compute_budget", "wall_time_limit_s",
            "candidate_steps", "candidate_batch", "candidate_lr", "candidate_validate_every");
    private static final Set<String> FINAL = Set.of("steps", "batch", "lr", "validate_every", "patience");
    private static final Set<String> EVALUATION = Set.of("samples", "k");
    private static final Set<String> COSTS = Set.of("directory", "quick");

    private StudyYaml() {
    }

    /**
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException naming the file and the key for bad YAML, an unknown key or a bad value
     */
    public static StudyConfig load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("a study file is required");
        }
        return parse(Files.readString(file), file.toString());
    }

    /** Parses YAML text; {@code source} names it in messages. */
    public static StudyConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException(source + ": the study file is empty");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + ": a study file is a mapping of keys (profile, datasets, "
                    + "seeds, ...), got " + root.getNodeType().name().toLowerCase());
        }
        Reader r = new Reader(source);
        r.requireKnown(root, TOP, null);
        StudyConfig.Builder b = root.has("profile")
                ? r.value(root, "profile", null, n -> StudyConfig.profile(text(n))).toBuilder()
                : StudyConfig.builder();
        r.apply(root, "name", null, n -> b.name(text(n)));
        r.apply(root, "datasets", null, n -> b.datasets(list(n, StudyYaml::text)));
        r.apply(root, "emphases", null, n -> b.emphases(list(n, x -> CostEmphasis.parse(text(x)))));
        r.apply(root, "seeds", null, n -> b.seeds(list(n, StudyYaml::integer)));
        r.apply(root, "layers", null, n -> b.layers(toInt(n)));
        r.apply(root, "options", null, n -> b.options(n.isTextual() ? SearchConfig.parseOptions(n.asText())
                : list(n, x -> LayerKind.parse(text(x)))));
        r.apply(root, "lambda", null, n -> b.lambda(number(n)));
        r.apply(root, "hidden", null, n -> b.settings(b.settings().withHiddenFeatures(toInt(n))));
        r.apply(root, "blocks", null, n -> b.settings(b.settings().withBlocks(toInt(n))));
        r.apply(root, "bins", null, n -> b.settings(b.settings().withBins(toInt(n))));
        r.apply(root, "precision", null, n -> b.precision(Precision.parse(text(n))));
        r.apply(root, "threads", null, n -> b.threads(toInt(n)));

        JsonNode search = r.section(root, "search", SEARCH);
        r.apply(search, "loss", "search", n -> b.loss(SearchLoss.parse(text(n))));
        r.apply(search, "method", "search", n -> b.method(SearchMethod.parse(text(n))));
        r.apply(search, "block_size", "search", n -> b.blockSize(toInt(n)));
        r.apply(search, "rounds", "search", n -> b.rounds(toInt(n)));
        r.apply(search, "steps_per_block", "search", n -> b.stepsPerBlock(toInt(n)));
        r.apply(search, "warmup_steps", "search", n -> b.warmupSteps(toInt(n)));
        r.apply(search, "batch", "search", n -> b.batch(toInt(n)));
        r.apply(search, "alpha_batch", "search", n -> b.alphaBatch(toInt(n)));
        r.apply(search, "theta_lr", "search", n -> b.thetaLearningRate(number(n)));
        r.apply(search, "alpha_lr", "search", n -> b.alphaLearningRate(number(n)));

        JsonNode ga = r.section(root, "ga", GA);
        r.apply(ga, "population", "ga", n -> b.population(toInt(n)));
        r.apply(ga, "generations", "ga", n -> b.generations(toInt(n)));
        r.apply(ga, "steady_generations", "ga", n -> b.steadyGenerations(toInt(n)));
        r.apply(ga, "mutation_rate", "ga", n -> b.mutationRate(number(n)));
        r.apply(ga, "crossover_rate", "ga", n -> b.crossoverRate(number(n)));
        r.apply(ga, "tournament_size", "ga", n -> b.tournamentSize(toInt(n)));
        r.apply(ga, "elites", "ga", n -> b.elites(toInt(n)));
        r.apply(ga, "workers", "ga", n -> b.workers(toInt(n)));
        r.apply(ga, "compute_budget", "ga", n -> b.computeBudget(integer(n)));
        r.apply(ga, "wall_time_limit_s", "ga", n -> b.wallTimeLimit(Duration.ofMillis(Math.round(1000 * number(n)))));
        r.apply(ga, "candidate_steps", "ga", n -> b.candidateTraining(b.candidateTraining().withMaxSteps(toInt(n))));
        r.apply(ga, "candidate_batch", "ga", n -> b.candidateTraining(b.candidateTraining().withBatchSize(toInt(n))));
        r.apply(ga, "candidate_lr", "ga", n -> b.candidateTraining(b.candidateTraining().withLearningRate(number(n))));
        r.apply(ga, "candidate_validate_every", "ga",
                n -> b.candidateTraining(b.candidateTraining().withValidateEvery(toInt(n))));

        JsonNode training = r.section(root, "final_training", FINAL);
        r.apply(training, "steps", "final_training", n -> b.finalTraining(b.finalTraining().withMaxSteps(toInt(n))));
        r.apply(training, "batch", "final_training", n -> b.finalTraining(b.finalTraining().withBatchSize(toInt(n))));
        r.apply(training, "lr", "final_training", n -> b.finalTraining(b.finalTraining().withLearningRate(number(n))));
        r.apply(training, "validate_every", "final_training",
                n -> b.finalTraining(b.finalTraining().withValidateEvery(toInt(n))));
        r.apply(training, "patience", "final_training", n -> b.finalTraining(b.finalTraining().withPatience(toInt(n))));

        JsonNode evaluation = r.section(root, "evaluation", EVALUATION);
        r.apply(evaluation, "samples", "evaluation", n -> b.evaluationSamples(toInt(n)));
        r.apply(evaluation, "k", "evaluation", n -> b.k(toInt(n)));

        JsonNode costs = r.section(root, "costs", COSTS);
        r.apply(costs, "directory", "costs", n -> b.costDirectory(expandHome(text(n))));
        r.apply(costs, "quick", "costs", n -> b.quickCosts(bool(n)));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Applies keys, adding the file and key to every message. */
    private record Reader(String source) {

        void requireKnown(JsonNode node, Set<String> known, String section) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (!known.contains(key)) {
                    throw new IllegalArgumentException(source + ": unknown key '" + where(section, key) + "'; known "
                            + (section == null ? "keys" : "keys of '" + section + "'") + ": "
                            + known.stream().sorted().toList());
                }
            }
        }

        JsonNode section(JsonNode root, String name, Set<String> known) {
            JsonNode node = root.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException(source + ": '" + name + "' must be a mapping of keys, e.g. "
                        + known.stream().sorted().findFirst().orElse("") + ": ...");
            }
            requireKnown(node, known, name);
            return node;
        }

        <T> T value(JsonNode node, String key, String section, Function<JsonNode, T> read) {
            try {
                return read.apply(node.get(key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": '" + where(section, key) + "': " + e.getMessage(), e);
            }
        }

        void apply(JsonNode node, String key, String section, java.util.function.Consumer<JsonNode> set) {
            if (node == null || !node.has(key)) {
                return;
            }
            value(node, key, section, n -> {
                if (n.isNull()) {
                    throw new IllegalArgumentException("has no value");
                }
                set.accept(n);
                return null;
            });
        }

        private static String where(String section, String key) {
            return section == null ? key : section + "." + key;
        }
    }

    private static String text(JsonNode n) {
        if (!n.isValueNode() || n.asText().isBlank()) {
            throw new IllegalArgumentException("expected a word, got " + n);
        }
        return n.asText().strip();
    }

    private static long integer(JsonNode n) {
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("expected a whole number, got " + n);
        }
        return n.asLong();
    }

    private static int toInt(JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("expected a whole number, got " + n);
        }
        return n.asInt();
    }

    private static double number(JsonNode n) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException("expected a number, got " + n);
        }
        return n.asDouble();
    }

    private static boolean bool(JsonNode n) {
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("expected true or false, got " + n);
        }
        return n.asBoolean();
    }

    private static <T> List<T> list(JsonNode n, Function<JsonNode, T> item) {
        List<T> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(item.apply(x)));
        } else {
            out.add(item.apply(n));
        }
        return out;
    }

    private static Path expandHome(String path) {
        return path.startsWith("~/") ? Path.of(System.getProperty("user.home"), path.substring(2)) : Path.of(path);
    }
}
