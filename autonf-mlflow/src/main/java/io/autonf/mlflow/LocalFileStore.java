package io.autonf.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link TrackingStore} that needs no server: it writes runs in the directory layout of MLflow's file store
 * ({@code ./mlruns} by default), which the real MLflow opens afterwards
 * ({@code MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ./mlruns}, or once converted with
 * {@code mlflow migrate-filestore}).
 *
 * <p>Layout, as MLflow's own file store reads it:
 * <pre>
 * root/0/meta.yaml                      experiment "Default", always present
 * root/&lt;exp&gt;/meta.yaml                  experiment: artifact_location, creation_time, experiment_id, ...
 * root/&lt;exp&gt;/&lt;run&gt;/meta.yaml            run info; status as MLflow's integer enum (RUNNING = 1, ...)
 * root/&lt;exp&gt;/&lt;run&gt;/metrics/&lt;key&gt;        one line per value: "timestamp value step"
 * root/&lt;exp&gt;/&lt;run&gt;/params/&lt;key&gt;         the value, nothing else
 * root/&lt;exp&gt;/&lt;run&gt;/tags/&lt;key&gt;           the value, nothing else
 * root/&lt;exp&gt;/&lt;run&gt;/artifacts/...         artifact files
 * </pre>
 * A key with '/' (e.g. {@code alpha/layer03/rq-c}) becomes sub-directories, which is how MLflow names it back.
 *
 * <p>Why this layout and not MLflow's sqlite database: writing the database from Java would tie this store to the
 * schema revision (alembic head) of one MLflow release, while the file layout has been stable across releases.
 * Metric files are only ever appended to, so a process that dies loses at most the line it was writing; the
 * meta.yaml files are replaced atomically (temporary file, then rename), so a reader never sees half of one.
 *
 * <p>It also reads its runs back ({@link RunQueries}) for {@code autonf runs} and {@code autonf compare}, with
 * the subset of MLflow's filter language that {@link RunFilter} evaluates.
 *
 * <p>Safe for one writing process at a time per experiment creation; runs and their values are independent
 * files, so several processes may write different runs.
 */
public final class LocalFileStore implements TrackingStore, RunQueries {

    /** Where runs go when no tracking URI is given. */
    public static final Path DEFAULT_ROOT = Path.of("mlruns");
    static final String DEFAULT_EXPERIMENT_ID = "0";
    static final String DEFAULT_EXPERIMENT_NAME = "Default";
    private static final String META = "meta.yaml";
    /** MLflow's RunStatus enum as stored in meta.yaml. */
    private static final int RUNNING = 1;
    /** MLflow's SourceType.LOCAL. */
    private static final int SOURCE_LOCAL = 4;

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    /** A store under {@code root}, created (with experiment 0 "Default") when it does not exist yet. */
    public LocalFileStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
            if (!Files.exists(this.root.resolve(DEFAULT_EXPERIMENT_ID).resolve(META))) {
                writeExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, System.currentTimeMillis());
            }
        } catch (IOException e) {
            throw new TrackingException("cannot create the MLflow file store at " + this.root + ": " + e, e);
        }
    }

    /**
     * The store already written under {@code root}, for reading: unlike the constructor it creates nothing, so
     * that listing runs in the wrong directory does not leave an empty store behind.
     *
     * @throws IllegalArgumentException when {@code root} holds no MLflow file store
     */
    public static LocalFileStore openExisting(Path root) {
        Path dir = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(DEFAULT_EXPERIMENT_ID).resolve(META))) {
            throw new IllegalArgumentException("no MLflow file store at " + dir + " (no " + DEFAULT_EXPERIMENT_ID
                    + "/" + META + "); nothing was tracked there yet, or give --tracking-uri");
        }
        return new LocalFileStore(dir);
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public synchronized Optional<String> findExperimentId(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        try {
            return findExperiment(name);
        } catch (IOException e) {
            throw new TrackingException("cannot read the experiments in " + root + ": " + e, e);
        }
    }

    @Override
    public List<RunRecord> searchRuns(String experimentId, String filter, String orderBy, int maxResults) {
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults);
        }
        // Parse both before reading anything: a refused filter is the user's mistake, whatever the store holds.
        RunFilter matches = RunFilter.parse(filter);
        Comparator<RunRecord> order = RunOrder.parse(orderBy);
        Path experimentDir = experimentDir(experimentId);
        if (!Files.isRegularFile(experimentDir.resolve(META))) {
            throw new TrackingException("experiment " + experimentId + " does not exist in " + root);
        }
        List<RunRecord> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(experimentDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("[0-9a-f]{32}")
                    && Files.isRegularFile(d.resolve(META))).toList()) {
                Map<String, String> info = readYaml(dir.resolve(META));
                if ("deleted".equals(unquote(info.getOrDefault("lifecycle_stage", "active")))) {
                    continue;
                }
                RunRecord run = readRun(dir, info);
                if (matches.test(run)) {
                    found.add(run);
                }
            }
        } catch (IOException e) {
            throw new TrackingException("cannot read the runs of experiment " + experimentId + " in " + root + ": "
                    + e, e);
        }
        found.sort(order);
        return List.copyOf(found.subList(0, Math.min(maxResults, found.size())));
    }

    @Override
    public RunRecord getRun(String runId) {
        Path dir = runDir(runId);
        try {
            return readRun(dir, readYaml(dir.resolve(META)));
        } catch (IOException | RuntimeException e) {
            if (e instanceof TrackingException known) {
                throw known;
            }
            throw new TrackingException("cannot read run " + runId + " in " + dir + ": " + e, e);
        }
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        Path dir = runDir(runId);
        Path file = resolveKey(dir, "metrics", key);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<Metric> points = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    points.add(metricLine(key, line, file));
                }
            }
            return List.copyOf(points);
        } catch (IOException e) {
            throw new TrackingException("cannot read metric '" + key + "' of run " + runId + ": " + e, e);
        }
    }

    /** A run read back from its directory: meta.yaml, then its params, tags and the latest value of each metric. */
    private RunRecord readRun(Path dir, Map<String, String> info) throws IOException {
        String runId = dir.getFileName().toString();
        Map<String, Double> latest = new LinkedHashMap<>();
        Path metrics = dir.resolve("metrics");
        for (Map.Entry<String, Path> entry : keyFiles(metrics).entrySet()) {
            Metric best = null;
            for (String line : Files.readAllLines(entry.getValue(), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                Metric m = metricLine(entry.getKey(), line, entry.getValue());
                // MLflow's latest value: largest step, then latest timestamp, then largest value.
                if (best == null || m.step() > best.step() || m.step() == best.step()
                        && (m.timestamp() > best.timestamp() || m.timestamp() == best.timestamp()
                        && Double.compare(m.value(), best.value()) > 0)) {
                    best = m;
                }
            }
            if (best != null) {
                latest.put(entry.getKey(), best.value());
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, Path> entry : keyFiles(dir.resolve("params")).entrySet()) {
            params.put(entry.getKey(), Files.readString(entry.getValue(), StandardCharsets.UTF_8));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, Path> entry : keyFiles(dir.resolve("tags")).entrySet()) {
            tags.put(entry.getKey(), Files.readString(entry.getValue(), StandardCharsets.UTF_8));
        }
        String name = unquote(info.getOrDefault("run_name", "''"));
        if (name == null || name.isEmpty()) {
            name = tags.getOrDefault(RunTags.RUN_NAME, "");
        }
        String end = info.getOrDefault("end_time", "null");
        return new RunRecord(runId, unquote(info.getOrDefault("experiment_id", "''")), name,
                statusName(info.getOrDefault("status", "")), Long.parseLong(info.getOrDefault("start_time", "0")),
                end.equals("null") || end.isEmpty() ? null : Long.valueOf(end), params, tags, latest);
    }

    /** Every value file below {@code folder}, by key: sub-directories are the '/' of a key such as loss/train. */
    private static Map<String, Path> keyFiles(Path folder) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String key = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (!file.getFileName().toString().startsWith(".")) {
                    files.put(key, file);
                }
            }
        }
        return files;
    }

    /** One line "timestamp value step" of a metric file (older MLflow files have no step: 0). */
    private static Metric metricLine(String key, String line, Path file) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 2 && parts.length != 3) {
            throw new TrackingException("malformed metric line '" + line + "' in " + file);
        }
        try {
            return new Metric(key, parseValue(parts[1]), Long.parseLong(parts[0]),
                    parts.length == 3 ? Long.parseLong(parts[2]) : 0);
        } catch (NumberFormatException e) {
            throw new TrackingException("malformed metric line '" + line + "' in " + file, e);
        }
    }

    /** Java's spelling of non-finite values as we write them, or Python's (nan, inf) as MLflow writes them. */
    private static double parseValue(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** MLflow's name for the integer status of its file store. */
    private static String statusName(String code) {
        return switch (code.strip()) {
            case "1" -> "RUNNING";
            case "2" -> "SCHEDULED";
            case "3" -> "FINISHED";
            case "4" -> "FAILED";
            case "5" -> "KILLED";
            default -> code.strip();
        };
    }

    @Override
    public synchronized String experimentId(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        try {
            Optional<String> found = findExperiment(name);
            if (found.isPresent()) {
                return found.get();
            }
            // Claim the next free numeric id by creating its directory: creation is atomic, so two stores never
            // share an id even when they race.
            long id = nextExperimentId();
            while (true) {
                try {
                    Files.createDirectory(root.resolve(Long.toString(id)));
                    break;
                } catch (FileAlreadyExistsException taken) {
                    id++;
                }
            }
            writeExperiment(Long.toString(id), name, System.currentTimeMillis());
            return Long.toString(id);
        } catch (IOException e) {
            throw new TrackingException("cannot find or create experiment '" + name + "' in " + root + ": " + e, e);
        }
    }

    @Override
    public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        Path experimentDir = experimentDir(experimentId);
        if (!Files.isRegularFile(experimentDir.resolve(META))) {
            throw new TrackingException("experiment " + experimentId + " does not exist in " + root);
        }
        String tagName = tags.get(RunTags.RUN_NAME);
        if (runName != null && tagName != null && !runName.equals(tagName)) {
            throw new IllegalArgumentException("run name '" + runName + "' differs from its " + RunTags.RUN_NAME
                    + " tag '" + tagName + "'");
        }
        String name = runName != null ? runName : tagName != null ? tagName : "";
        String runId = UUID.randomUUID().toString().replace("-", "");
        Path runDir = experimentDir.resolve(runId);
        String artifactUri = fileUri(runDir.resolve("artifacts"));
        try {
            Files.createDirectories(runDir.resolve("metrics"));
            Files.createDirectories(runDir.resolve("params"));
            Files.createDirectories(runDir.resolve("tags"));
            Files.createDirectories(runDir.resolve("artifacts"));
            String user = tags.getOrDefault(RunTags.USER, System.getProperty("user.name", ""));
            writeYaml(runDir.resolve(META), runInfo(runId, experimentId, name, artifactUri, user, RUNNING,
                    startTimeMillis, null));
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                writeValue(runDir, "tags", tag.getKey(), tag.getValue());
            }
            if (!name.isEmpty() && tagName == null) {
                writeValue(runDir, "tags", RunTags.RUN_NAME, name);
            }
        } catch (IOException e) {
            throw new TrackingException("cannot create run in " + experimentDir + ": " + e, e);
        }
        return new TrackedRun(runId, experimentId, artifactUri);
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        Path runDir = runDir(runId);
        try {
            for (Param param : params) {
                Path file = resolveKey(runDir, "params", param.key());
                // MLflow's params are write-once: the same value again is fine, another value is an error.
                if (Files.exists(file)) {
                    String old = Files.readString(file, StandardCharsets.UTF_8);
                    if (!old.equals(param.value())) {
                        throw new TrackingException("param '" + param.key() + "' of run " + runId
                                + " is already '" + old + "'; MLflow params cannot change");
                    }
                    continue;
                }
                writeValue(runDir, "params", param.key(), param.value());
            }
            for (Tag tag : tags) {
                writeValue(runDir, "tags", tag.key(), tag.value());
            }
            // One append per key: each line is written whole, in the order given.
            Map<String, StringBuilder> lines = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                lines.computeIfAbsent(metric.key(), k -> new StringBuilder()).append(metric.timestamp()).append(' ')
                        .append(formatValue(metric.value())).append(' ').append(metric.step()).append('\n');
            }
            for (Map.Entry<String, StringBuilder> entry : lines.entrySet()) {
                Path file = resolveKey(runDir, "metrics", entry.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw new TrackingException("cannot log to run " + runId + " in " + runDir + ": " + e, e);
        }
    }

    @Override
    public void finishRun(String runId, RunStatus status, long endTimeMillis) {
        Path runDir = runDir(runId);
        Path meta = runDir.resolve(META);
        try {
            Map<String, String> info = readYaml(meta);
            String user = unquote(info.getOrDefault("user_id", "''"));
            long start = Long.parseLong(info.get("start_time"));
            writeYaml(meta, runInfo(runId, unquote(info.get("experiment_id")), unquote(info.get("run_name")),
                    unquote(info.get("artifact_uri")), user, statusCode(status), start, endTimeMillis));
        } catch (IOException | RuntimeException e) {
            throw new TrackingException("cannot end run " + runId + " as " + status + " in " + runDir + ": " + e, e);
        }
    }

    @Override
    public TrackedRun attachRun(String runId) {
        Path runDir = runDir(runId);
        try {
            Map<String, String> info = readYaml(runDir.resolve(META));
            return new TrackedRun(runId, unquote(info.get("experiment_id")), unquote(info.get("artifact_uri")));
        } catch (IOException | RuntimeException e) {
            if (e instanceof TrackingException known) {
                throw known;
            }
            throw new TrackingException("cannot read run " + runId + " in " + runDir + ": " + e, e);
        }
    }

    @Override
    public void uploadArtifact(TrackedRun run, String path, byte[] content) {
        Path runDir = runDir(run.runId());
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("artifact path must be relative and non-empty, got '" + path + "'");
        }
        Path file = resolveKey(runDir, "artifacts", path);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(runDir, ".upload-", ".tmp");
            Files.write(temp, content);
            moveAtomically(temp, file);
        } catch (IOException e) {
            throw new TrackingException("cannot store artifact '" + path + "' of run " + run.runId() + ": " + e, e);
        }
    }

    @Override
    public ReopenedRun reopenRun(String runId) {
        Path runDir = runDir(runId);
        Path meta = runDir.resolve(META);
        try {
            Map<String, String> info = readYaml(meta);
            String experimentId = unquote(info.get("experiment_id"));
            String artifactUri = unquote(info.get("artifact_uri"));
            writeYaml(meta, runInfo(runId, experimentId, unquote(info.get("run_name")), artifactUri,
                    unquote(info.getOrDefault("user_id", "''")), RUNNING, Long.parseLong(info.get("start_time")), null));
            Map<String, Long> lastSteps = new LinkedHashMap<>();
            for (Map.Entry<String, Path> entry : keyFiles(runDir.resolve("metrics")).entrySet()) {
                for (String line : Files.readAllLines(entry.getValue(), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        lastSteps.merge(entry.getKey(), metricLine(entry.getKey(), line, entry.getValue()).step(),
                                Math::max);
                    }
                }
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (Map.Entry<String, Path> entry : keyFiles(runDir.resolve("params")).entrySet()) {
                params.put(entry.getKey(), Files.readString(entry.getValue(), StandardCharsets.UTF_8));
            }
            return new ReopenedRun(new TrackedRun(runId, experimentId, artifactUri), lastSteps, params);
        } catch (IOException | RuntimeException e) {
            if (e instanceof TrackingException known) {
                throw known;
            }
            throw new TrackingException("cannot reopen run " + runId + " in " + runDir + ": " + e, e);
        }
    }

    @Override
    public Optional<byte[]> findArtifact(TrackedRun run, String path) {
        Path file = resolveKey(runDir(run.runId()), "artifacts", path);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new TrackingException("cannot read artifact '" + path + "' of run " + run.runId() + ": " + e, e);
        }
    }

    /** The directory of run {@code runId}, searched in every experiment. */
    Path runDir(String runId) {
        if (runId == null || !runId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a run id of this store: '" + runId + "'");
        }
        try (Stream<Path> experiments = Files.list(root)) {
            return experiments.filter(dir -> isExperimentDir(dir))
                    .map(dir -> dir.resolve(runId))
                    .filter(dir -> Files.isRegularFile(dir.resolve(META)))
                    .findFirst()
                    .orElseThrow(() -> new TrackingException("run " + runId + " does not exist in " + root));
        } catch (IOException e) {
            throw new TrackingException("cannot list " + root + ": " + e, e);
        }
    }

    /** MLflow's integer for a run status, as its file store keeps it. */
    static int statusCode(RunStatus status) {
        return switch (status) {
            case FINISHED -> 3;
            case FAILED -> 4;
            case KILLED -> 5;
        };
    }

    private Path experimentDir(String experimentId) {
        if (experimentId == null || !experimentId.matches("[0-9]+")) {
            throw new IllegalArgumentException("not an experiment id of this store: '" + experimentId + "'");
        }
        return root.resolve(experimentId);
    }

    private static boolean isExperimentDir(Path dir) {
        return dir.getFileName().toString().matches("[0-9]+") && Files.isDirectory(dir);
    }

    private Optional<String> findExperiment(String name) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(LocalFileStore::isExperimentDir).sorted().toList()) {
                Path meta = dir.resolve(META);
                if (!Files.isRegularFile(meta)) {
                    continue;
                }
                Map<String, String> info = readYaml(meta);
                if (name.equals(unquote(info.get("name")))
                        && !"deleted".equals(unquote(info.getOrDefault("lifecycle_stage", "active")))) {
                    return Optional.of(dir.getFileName().toString());
                }
            }
        }
        return Optional.empty();
    }

    private long nextExperimentId() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(LocalFileStore::isExperimentDir)
                    .mapToLong(dir -> {
                        try {
                            return Long.parseLong(dir.getFileName().toString());
                        } catch (NumberFormatException tooLong) {
                            return 0;
                        }
                    })
                    .max().orElse(0) + 1;
        }
    }

    private void writeExperiment(String id, String name, long now) throws IOException {
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("artifact_location", quote(fileUri(dir)));
        meta.put("creation_time", Long.toString(now));
        meta.put("experiment_id", quote(id));
        meta.put("last_update_time", Long.toString(now));
        meta.put("lifecycle_stage", "active");
        meta.put("name", quote(name));
        writeYaml(dir.resolve(META), meta);
    }

    private Map<String, String> runInfo(String runId, String experimentId, String name, String artifactUri,
                                        String user, int status, long start, Long end) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("artifact_uri", quote(artifactUri));
        meta.put("deleted_time", "null");
        meta.put("end_time", end == null ? "null" : end.toString());
        meta.put("entry_point_name", "''");
        meta.put("experiment_id", quote(experimentId));
        meta.put("lifecycle_stage", "active");
        meta.put("run_id", runId);
        meta.put("run_name", quote(name));
        meta.put("run_uuid", runId);
        meta.put("source_name", "''");
        meta.put("source_type", Integer.toString(SOURCE_LOCAL));
        meta.put("source_version", "''");
        meta.put("start_time", Long.toString(start));
        meta.put("status", Integer.toString(status));
        meta.put("tags", "[]");
        meta.put("user_id", quote(user));
        return meta;
    }

    /** Writes {@code value} as the whole content of the file for {@code key} under {@code folder}, atomically. */
    private void writeValue(Path runDir, String folder, String key, String value) throws IOException {
        Path file = resolveKey(runDir, folder, key);
        Files.createDirectories(file.getParent());
        // The temporary file lives beside the run's folders, not in them: MLflow would read a leftover in tags/
        // as a tag.
        Path temp = Files.createTempFile(runDir, ".value-", ".tmp");
        Files.writeString(temp, value, StandardCharsets.UTF_8);
        moveAtomically(temp, file);
    }

    /** {@code runDir/folder/key}, refusing keys that would leave the folder. */
    private static Path resolveKey(Path runDir, String folder, String key) {
        Path base = runDir.resolve(folder);
        Path file = base.resolve(key).normalize();
        if (key.startsWith("/") || !file.startsWith(base) || file.equals(base)) {
            throw new IllegalArgumentException("key '" + key + "' does not name a file inside " + folder + "/");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("key '" + key + "' has an empty, '.' or '..' segment");
            }
        }
        return file;
    }

    /** A file URI without the trailing slash {@link Path#toUri()} adds to existing directories, as MLflow writes it. */
    private static String fileUri(Path path) {
        String uri = path.toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** Python's float() reads Java's spelling of NaN and the infinities, so values round-trip exactly. */
    private static String formatValue(double value) {
        return Double.toString(value);
    }

    /** A double-quoted YAML scalar: JSON's string syntax is valid YAML and escapes everything that needs it. */
    private String quote(String value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot quote a string", e);
        }
    }

    /** Reads back a scalar written by {@link #quote}, or a plain or single-quoted one as MLflow itself writes. */
    private String unquote(String scalar) {
        if (scalar == null) {
            return null;
        }
        if (scalar.startsWith("\"")) {
            try {
                return json.readValue(scalar, String.class);
            } catch (JsonProcessingException e) {
                throw new TrackingException("cannot read YAML string " + scalar + ": " + e.getOriginalMessage());
            }
        }
        if (scalar.startsWith("'") && scalar.endsWith("'") && scalar.length() >= 2) {
            return scalar.substring(1, scalar.length() - 1).replace("''", "'");
        }
        return scalar;
    }

    /**
     * The top-level {@code key: scalar} pairs of a flat meta.yaml, scalars still in their YAML spelling. Enough for
     * the files this store and MLflow write (one scalar per line); nested values are not needed here.
     */
    private static Map<String, String> readYaml(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0)) || line.startsWith("-")
                    || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    private static void writeYaml(Path file, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        Path temp = Files.createTempFile(file.getParent(), ".meta-", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        moveAtomically(temp, file);
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "LocalFileStore[" + root + "]";
    }
}
