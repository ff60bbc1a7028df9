package io.autonf.cost;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Cost tables kept in a directory, one file per (dimension, layer settings, batch, hardware), so that a search
 * measures once per machine and configuration and reuses the table afterwards.
 *
 * <p>A table's file name is {@code cost-v<format>-d<D>-<hash>.json}, the hash covering the settings, the batch
 * and the hardware; the table's own fields are checked again on reading, so a file copied from another machine
 * under the same name is measured over rather than trusted.
 */
public final class CostTables {

    /** Environment variable that overrides {@link #defaultDirectory()}. */
    public static final String DIRECTORY_ENVIRONMENT = "AUTONF_COST_TABLES";

    private CostTables() {
    }

    /**
     * A table and where it lives.
     *
     * @param table    the table (covering at least the requested kinds)
     * @param file     the file it was read from or saved to
     * @param reused   true when no measurement was needed
     * @param measured the kinds measured by this call (empty when reused)
     */
    public record CostTableFile(CostTable table, Path file, boolean reused, Set<LayerKind> measured) {

        public CostTableFile {
            if (table == null || file == null || measured == null) {
                throw new IllegalArgumentException("a cost table file needs its table, path and measured kinds");
            }
            measured = measured.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(measured));
            if (reused != measured.isEmpty()) {
                throw new IllegalArgumentException("a table is either reused (nothing measured) or measured, got reused="
                        + reused + " with measured " + measured);
            }
        }
    }

    /** {@code $AUTONF_COST_TABLES} when set, else {@code ~/.autonf/cost-tables}. */
    public static Path defaultDirectory() {
        String override = System.getenv(DIRECTORY_ENVIRONMENT);
        if (override != null && !override.isBlank()) {
            return Path.of(override.trim());
        }
        return Path.of(System.getProperty("user.home"), ".autonf", "cost-tables");
    }

    /** The file name a table of these settings measured on {@code hardware} is saved under. */
    public static String fileName(int dimension, LayerSettings settings, int batch, Hardware hardware) {
        if (settings == null || hardware == null) {
            throw new IllegalArgumentException("a cost table file name needs the layer settings and the hardware");
        }
        String key = String.join("\n",
                "hidden=" + settings.hiddenFeatures(), "blocks=" + settings.blocks(), "bins=" + settings.bins(),
                "tail_bound=" + Double.toString(settings.tailBound()),
                "precision=" + settings.precision().name().toLowerCase(Locale.ROOT), "batch=" + batch,
                "cpu=" + hardware.cpuModel(), "cores=" + hardware.cores(), "jvm_vendor=" + hardware.jvmVendor(),
                "jvm_version=" + hardware.jvmVersion(), "os=" + hardware.os(), "arch=" + hardware.arch(),
                "lanes=" + hardware.vectorLanes());
        return "cost-v" + CostTable.FORMAT_VERSION + "-d" + dimension + "-" + sha256(key).substring(0, 16) + ".json";
    }

    /**
     * The table for these settings on this machine: read from {@code directory} when a table there matches the
     * dimension, settings, batch and hardware and covers {@code kinds}; extended with the missing kinds when it
     * matches but lacks some; otherwise measured and saved.
     *
     * @param log receives what was decided and where the table is; may be null
     * @throws IllegalArgumentException naming the file when the table there is corrupt or of a newer format
     *                                  (delete it or measure again with {@link #measureAndSave})
     */
    public static CostTableFile loadOrMeasure(Path directory, int dimension, LayerSettings settings,
                                              Collection<LayerKind> kinds, MeasureOptions options, RandomGenerator rng,
                                              Consumer<String> log) throws IOException {
        CostModel.measurable(dimension, settings, kinds, options, rng);
        Hardware hardware = Hardware.current();
        Path file = file(directory, dimension, settings, options.batch(), hardware);
        if (!Files.exists(file)) {
            return measureInto(file, dimension, settings, kinds, options, rng, log, "no table for these settings yet");
        }
        CostTable stored;
        try {
            stored = CostTable.load(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (delete " + file + " or measure again)", e);
        }
        if (!stored.matches(dimension, settings, hardware) || stored.batch() != options.batch()) {
            return measureInto(file, dimension, settings, kinds, options, rng, log,
                    file + " was measured for other settings or hardware");
        }
        EnumSet<LayerKind> missing = EnumSet.noneOf(LayerKind.class);
        for (LayerKind k : kinds) {
            if (k != LayerKind.IDENTITY && !stored.kinds().contains(k)) {
                missing.add(k);
            }
        }
        if (missing.isEmpty()) {
            say(log, "reusing the cost table " + file + " (measured " + stored.created() + ")");
            return new CostTableFile(stored, file, true, Set.of());
        }
        say(log, "the cost table " + file + " lacks " + missing + "; measuring them");
        CostTable extended = stored.withCosts(
                CostModel.measure(dimension, settings, missing, options, rng, log).layers().values());
        extended.save(file);
        say(log, "saved the cost table " + file);
        return new CostTableFile(extended, file, false, missing);
    }

    /** Measures {@code kinds} and saves the table in {@code directory}, replacing a table of the same settings. */
    public static CostTableFile measureAndSave(Path directory, int dimension, LayerSettings settings,
                                               Collection<LayerKind> kinds, MeasureOptions options,
                                               RandomGenerator rng, Consumer<String> log) throws IOException {
        CostModel.measurable(dimension, settings, kinds, options, rng);
        Path file = file(directory, dimension, settings, options.batch(), Hardware.current());
        return measureInto(file, dimension, settings, kinds, options, rng, log, "measuring as asked");
    }

    private static CostTableFile measureInto(Path file, int dimension, LayerSettings settings,
                                             Collection<LayerKind> kinds, MeasureOptions options,
                                             RandomGenerator rng, Consumer<String> log, String why)
            throws IOException {
        say(log, why + "; measuring " + describe(kinds) + " at D=" + dimension + ", batch " + options.batch()
                + ", single-threaded");
        CostTable table = CostModel.measure(dimension, settings, kinds, options, rng, log);
        table.save(file);
        say(log, "saved the cost table " + file);
        return new CostTableFile(table, file, false, table.kinds());
    }

    private static Path file(Path directory, int dimension, LayerSettings settings, int batch, Hardware hardware) {
        if (directory == null) {
            throw new IllegalArgumentException("a cost-table directory is required");
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("cost-table directory " + directory + " is not a directory");
        }
        return directory.resolve(fileName(dimension, settings, batch, hardware));
    }

    private static String describe(Collection<LayerKind> kinds) {
        EnumSet<LayerKind> k = EnumSet.copyOf(kinds);
        k.remove(LayerKind.IDENTITY);
        return k.toString();
    }

    private static void say(Consumer<String> log, String line) {
        if (log != null) {
            log.accept(line);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }
}
