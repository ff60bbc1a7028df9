package io.autonf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MLproject at the repository root against the command line it drives: every entry point's command, with
 * the parameters' defaults filled in as {@code mlflow run} fills them, is a command line our parser accepts, and
 * each parameter's default is the option's own default (so an {@code mlflow run} without {@code -P} runs what
 * {@code ./autonf} without options runs).
 */
class MlprojectTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    /** Parameters whose default differs from the option's on purpose. */
    private static final Set<String> OWN_DEFAULTS = Set.of("out", "data");

    private static JsonNode project() throws IOException {
        Path file = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && file == null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("MLproject"))) {
                file = p.resolve("MLproject");
            }
        }
        assertTrue(file != null, "no MLproject above " + Path.of("").toAbsolutePath());
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    private static Map<String, String> defaults(JsonNode entryPoint) {
        Map<String, String> values = new LinkedHashMap<>();
        entryPoint.path("parameters").properties().forEach(e -> {
            assertTrue(e.getValue().has("default"), "parameter " + e.getKey() + " needs a default");
            assertTrue(Set.of("string", "float").contains(e.getValue().path("type").asText()),
                    "parameter " + e.getKey() + " has an MLflow type");
            values.put(e.getKey(), e.getValue().get("default").asText());
        });
        return values;
    }

    @Test
    void theFourEntryPointsUseEveryParameterAndNoOther() throws IOException {
        JsonNode entryPoints = project().path("entry_points");
        assertEquals(Set.of("search", "ga", "study", "fig3"), toSet(entryPoints.fieldNames()));
        for (String name : List.of("search", "ga", "study", "fig3")) {
            JsonNode entryPoint = entryPoints.path(name);
            Set<String> used = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(entryPoint.path("command").asText());
            while (m.find()) {
                used.add(m.group(1));
            }
            assertEquals(new TreeSet<>(defaults(entryPoint).keySet()), used, name + ": parameters and placeholders");
            assertTrue(entryPoint.path("command").asText().contains("./autonf " + name + " "), name + " runs ./autonf");
        }
    }

    @Test
    void searchGaAndFig3WithTheirDefaultsParseAndMatchTheOptionsDefaults() throws IOException {
        JsonNode entryPoints = project().path("entry_points");
        for (String name : List.of("search", "ga", "fig3")) {
            JsonNode entryPoint = entryPoints.path(name);
            Map<String, String> defaults = defaults(entryPoint);
            String command = entryPoint.path("command").asText();
            for (Map.Entry<String, String> d : defaults.entrySet()) {
                command = command.replace("{" + d.getKey() + "}", d.getValue());
            }
            List<String> args = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
            assertEquals("./autonf", args.remove(0));
            // Parsed as the shipped tool parses it: unknown options or bad values throw.
            AutoNf.commandLine(AutoNf.availableCommands()).parseArgs(args.toArray(String[]::new));

            CommandLine bare = AutoNf.commandLine(AutoNf.availableCommands());
            bare.parseArgs(name, "--data", "power-sample");
            CommandLine sub = bare.getSubcommands().get(name);
            for (Map.Entry<String, String> d : defaults.entrySet()) {
                if (OWN_DEFAULTS.contains(d.getKey())) {
                    continue;
                }
                OptionSpec option = sub.getCommandSpec().findOption("--" + d.getKey().replace('_', '-'));
                assertTrue(option != null, name + ": no option for parameter " + d.getKey());
                assertEquals(spelled(option.getValue()), d.getValue(),
                        name + ": default of " + d.getKey() + " and of " + option.longestName());
            }
        }
    }

    @Test
    void studyParsesWithItsProfileAndWithAConfig() throws IOException {
        Map<String, String> defaults = defaults(project().path("entry_points").path("study"));
        assertEquals("quick", defaults.get("profile"));
        assertEquals("", defaults.get("config"), "no config unless given: the profile decides");
        AutoNf.commandLine(AutoNf.availableCommands()).parseArgs("study", "--profile", "quick", "--out", defaults.get("out"));
        AutoNf.commandLine(AutoNf.availableCommands()).parseArgs("study", "--config", "docs/study.yaml", "--out", "x");
    }

    /** An option's value as MLproject writes it: lists joined with commas, whole numbers without a fraction. */
    private static String spelled(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(MlprojectTest::spelled).collect(Collectors.joining(","));
        }
        if (value instanceof int[] ints) {
            return IntStream.of(ints).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
        if (value instanceof long[] longs) {
            return Arrays.stream(longs).mapToObj(Long::toString).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static Set<String> toSet(java.util.Iterator<String> names) {
        Set<String> set = new TreeSet<>();
        names.forEachRemaining(set::add);
        return set;
    }
}
