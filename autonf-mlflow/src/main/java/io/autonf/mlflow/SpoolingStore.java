package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A {@link TrackingStore} in front of a tracking server that keeps a run going when the server is lost: every
 * write is first appended to a durable journal and then sent by one background thread, in order, retrying with
 * exponential backoff while the server is unreachable. The search thread waits only for the journal's fsync,
 * never for the network.
 *
 * <h2>The journal</h2>
 * One append-only JSON-lines file per process, {@code <spool dir>/<time>-<id>.jsonl} (the command line's spool
 * dir is {@code .autonf/spool}), described by {@link SpoolJournal}: a header naming the server, then one record
 * per write ({@code create}, {@code batch}, {@code artifact}, {@code finish}) with a sequence number, each forced
 * to the disk before the write returns, and an acknowledgement line per record once the server took it (or
 * refused it for good). Artifact bytes go to {@code <name>.blobs/<seq>.bin} next to it. When everything was
 * acknowledged, {@link #close()} deletes the journal; otherwise it stays, and {@link #resume} (the {@code sync}
 * command) sends what was not acknowledged, in the original order.
 *
 * <h2>Why a replay duplicates nothing</h2>
 * A record may reach the server twice: when the answer was lost (connection reset after the server committed)
 * or when the process stopped between the call and the acknowledgement line. Each kind of record is therefore
 * made safe to apply twice, and the ids it needs are fixed when it is journaled, never at send time:
 * <ul>
 *   <li>{@code batch} is resent exactly as journaled: same keys, values, timestamps and steps. MLflow's SQL store
 *       keys a metric row by (run, key, timestamp, step, value) and skips rows it has already (checked against
 *       mlflow 3.17.2: the same log-batch sent three times leaves each point once in {@code get-history}, NaN
 *       included); a param logged again with the same value is accepted, a tag is overwritten with the same
 *       value. Timestamps are taken when the value is produced, so a resend can never differ.</li>
 *   <li>{@code finish} ({@code runs/update} with status and end time) and {@code artifact} (a PUT of the same
 *       path) overwrite with the same content.</li>
 *   <li>{@code create} is the one call that is not idempotent (a second call makes a second run). Every run
 *       created through this store carries the tag {@value #LOCAL_RUN_TAG} with an id made here; before a
 *       journaled create is sent, the {@link RunFinder} looks for a run with that tag in the experiment and
 *       adopts it. The acknowledgement of a create, which maps the local id to the server's run, is forced to
 *       the disk, so a resumed journal knows the mapping.</li>
 * </ul>
 *
 * <h2>Server lost before the run started</h2>
 * While nothing has reached the server yet, {@link #experimentId} and {@link #createRun} call it directly so
 * that an unreachable server is a clear error within the delegate's connect timeout; with
 * {@link Settings#spoolAtStart()} they instead return a local placeholder ({@code local-...} run id,
 * {@value #PENDING_EXPERIMENT}{@code <name>} experiment id) and journal the creation. Later records name the
 * placeholder; the sender replaces it by the real run id (also in tag values such as {@code mlflow.parentRunId})
 * once the run exists. After the server was reached once, losing it always spools.
 *
 * <h2>Failures that retrying will not cure</h2>
 * A {@link TrackingUnavailableException} is retried forever (until {@link #drain}'s deadline); any other failure
 * of a record means the server refused it: it is acknowledged as rejected with the message, reported by
 * {@link #close()}, and the records after it are still sent, so one bad value does not hold back the run's end.
 */
public final class SpoolingStore implements TrackingStore, AutoCloseable {

    /** Tag of every run created through this store: the local id used to find the run again after a lost answer. */
    public static final String LOCAL_RUN_TAG = "autonf.local_run_id";
    /** Prefix of the placeholder experiment id returned while the server cannot be reached. */
    public static final String PENDING_EXPERIMENT = "pending-experiment:";
    static final String LOCAL_PREFIX = "local-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SENDER_STOP_WAIT = Duration.ofSeconds(2);

    /**
     * @param initialBackoff first wait after a failed attempt; doubled per attempt
     * @param maxBackoff     longest wait between two attempts
     * @param drainTimeout   how long {@link #close()} waits for the journal to drain
     * @param spoolAtStart   whether an unreachable server at the start is spooled instead of reported
     */
    public record Settings(Duration initialBackoff, Duration maxBackoff, Duration drainTimeout, boolean spoolAtStart) {

        public static final Settings DEFAULT = new Settings(Duration.ofMillis(250), Duration.ofSeconds(15),
                Duration.ofSeconds(30), false);

        public Settings {
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (initialBackoff.isNegative() || initialBackoff.isZero()) {
                throw new IllegalArgumentException("initial backoff must be positive, got " + initialBackoff);
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("max backoff " + maxBackoff + " is below the initial backoff "
                        + initialBackoff);
            }
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drain timeout must not be negative, got " + drainTimeout);
            }
        }

        public Settings withDrainTimeout(Duration timeout) {
            return new Settings(initialBackoff, maxBackoff, timeout, spoolAtStart);
        }

        public Settings withSpoolAtStart(boolean spool) {
            return new Settings(initialBackoff, maxBackoff, drainTimeout, spool);
        }
    }

    /** Finds the run of {@code experimentId} whose tag {@code key} is {@code value}, if the server has one. */
    @FunctionalInterface
    public interface RunFinder {
        Optional<TrackedRun> find(String experimentId, String key, String value);
    }

    /**
     * What {@link #drain} achieved.
     *
     * @param sent     records the server took in this process
     * @param unsent   records still waiting (0 when drained)
     * @param rejected the server's reasons for each record it refused for good
     * @param journal  the journal left on disk, or null when everything arrived and it was deleted
     */
    public record Drain(int sent, int unsent, List<String> rejected, Path journal) {

        public Drain {
            rejected = List.copyOf(rejected);
        }

        public boolean complete() {
            return unsent == 0 && rejected.isEmpty();
        }
    }

    private final TrackingStore delegate;
    private final SpoolJournal journal;
    private final String trackingUri;
    private final Settings settings;
    private final RandomGenerator jitter;
    private final RunFinder finder;
    private final PrintWriter log;
    private final String journalId;

    private final ArrayDeque<ObjectNode> pending = new ArrayDeque<>();
    private final Map<String, TrackedRun> created = new ConcurrentHashMap<>();
    private final Set<String> placeholders = ConcurrentHashMap.newKeySet();
    private final Map<String, String> experiments = new ConcurrentHashMap<>();
    private final List<String> rejected = Collections.synchronizedList(new ArrayList<>());
    private long nextSeq = 1;
    private int localRuns;
    private int sent;
    private boolean closed;
    private Thread sender;
    private volatile boolean reached;
    private volatile boolean failing;
    private volatile boolean abandoned;
    private volatile String lastError;

    private SpoolingStore(TrackingStore delegate, SpoolJournal journal, String trackingUri, Settings settings,
                          RandomGenerator jitter, RunFinder finder, PrintWriter log) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.journal = journal;
        this.trackingUri = trackingUri;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.finder = finder;
        this.log = log;
        String name = journal.file().getFileName().toString();
        this.journalId = name.substring(0, name.length() - SpoolJournal.SUFFIX.length());
    }

    /**
     * A store whose journal will be a new file in {@code spoolDir} (created with the first write).
     *
     * @param trackingUri the server's address, written into the journal's header for a later replay (any user
     *                    info is left out)
     * @param jitter      spreads the retries of many clients; only the sender thread draws from it
     * @param finder      finds a run again by its {@value #LOCAL_RUN_TAG} tag; null to always create
     * @param log         where warnings go (the command's stderr); null for none
     */
    public static SpoolingStore open(TrackingStore delegate, Path spoolDir, URI trackingUri, Settings settings,
                                     RandomGenerator jitter, RunFinder finder, PrintWriter log) {
        // A random id, not one drawn from the seeded generator: two processes with the same seed must not share a journal.
        String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        SpoolJournal journal = new SpoolJournal(spoolDir.resolve(id + SpoolJournal.SUFFIX));
        return new SpoolingStore(delegate, journal, withoutUserInfo(trackingUri), settings, jitter, finder, log);
    }

    /** The tracking server a journal was written for (from its header). */
    public static URI trackingUriOf(Path journalFile) {
        SpoolJournal journal = new SpoolJournal(journalFile);
        try {
            String uri = journal.open().header().path("tracking_uri").asText("");
            if (uri.isEmpty()) {
                throw new IllegalArgumentException("journal " + journalFile + " names no tracking server");
            }
            return URI.create(uri);
        } finally {
            journal.close();
        }
    }

    /** The journals in {@code path} (a journal file, or a spool directory holding {@code *.jsonl}). */
    public static List<Path> journals(Path path) {
        return SpoolJournal.find(path);
    }

    /**
     * Reopens a journal left by an earlier process and starts sending what it had not sent, in order; records
     * acknowledged before are not sent again. {@link #drain} then waits for them.
     */
    public static SpoolingStore resume(TrackingStore delegate, Path journalFile, Settings settings,
                                       RandomGenerator jitter, RunFinder finder, PrintWriter log) {
        SpoolJournal journal = new SpoolJournal(journalFile);
        SpoolJournal.Contents contents = journal.open();
        SpoolingStore store = new SpoolingStore(delegate, journal, contents.header().path("tracking_uri").asText(""),
                settings, jitter, finder, log);
        store.reached = true;
        Map<Long, ObjectNode> bySeq = new HashMap<>();
        for (ObjectNode record : contents.records()) {
            bySeq.put(record.path("seq").asLong(), record);
            if ("create".equals(record.path("op").asText())) {
                store.placeholders.add(record.path("run").asText());
            }
            store.nextSeq = Math.max(store.nextSeq, record.path("seq").asLong() + 1);
        }
        Set<Long> acknowledged = new java.util.HashSet<>();
        for (ObjectNode ack : contents.acks()) {
            long seq = ack.path("ack").asLong();
            acknowledged.add(seq);
            ObjectNode record = bySeq.get(seq);
            if (record != null && ack.has("created")) {
                JsonNode run = ack.path("created");
                store.created.put(record.path("run").asText(), new TrackedRun(run.path("run_id").asText(),
                        run.path("experiment_id").asText(), run.path("artifact_uri").asText()));
            }
        }
        synchronized (store) {
            contents.records().stream().filter(r -> !acknowledged.contains(r.path("seq").asLong()))
                    .sorted((a, b) -> Long.compare(a.path("seq").asLong(), b.path("seq").asLong()))
                    .forEach(store.pending::add);
            if (!store.pending.isEmpty()) {
                store.startSender();
            }
        }
        return store;
    }

    /** The journal file (it exists once something was written, and until it drained). */
    public Path journalFile() {
        return journal.file();
    }

    /** Records written and not yet acknowledged. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** The server run behind {@code runId} (a placeholder or a real id), once it exists. */
    public Optional<TrackedRun> serverRun(String runId) {
        return Optional.ofNullable(created.get(runId));
    }

    @Override
    public String experimentId(String name) {
        String known = experiments.get(name);
        if (known != null) {
            return known;
        }
        if (!backlogged()) {
            try {
                String id = delegate.experimentId(name);
                reached = true;
                experiments.put(name, id);
                return id;
            } catch (TrackingUnavailableException e) {
                if (!reached && !settings.spoolAtStart()) {
                    throw e;
                }
                warn("tracking server unreachable (" + e.getMessage() + "); spooling to " + journal.file());
            }
        }
        return PENDING_EXPERIMENT + name;
    }

    @Override
    public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        String local;
        synchronized (this) {
            requireOpen();
            local = LOCAL_PREFIX + journalId + "-" + (++localRuns);
        }
        Map<String, String> tagged = new LinkedHashMap<>(tags);
        tagged.put(LOCAL_RUN_TAG, local);
        if (!backlogged() && !experimentId.startsWith(PENDING_EXPERIMENT) && !namesUncreatedRun(tagged)) {
            try {
                TrackedRun run = delegate.createRun(experimentId, runName, resolveValues(tagged), startTimeMillis);
                reached = true;
                return run;
            } catch (TrackingUnavailableException e) {
                if (!reached && !settings.spoolAtStart()) {
                    throw e;
                }
                warn("tracking server unreachable (" + e.getMessage() + "); run '" + runName
                        + "' starts in the journal " + journal.file());
            }
        }
        ObjectNode record = JSON.createObjectNode().put("op", "create").put("run", local);
        if (experimentId.startsWith(PENDING_EXPERIMENT)) {
            record.put("experiment_name", experimentId.substring(PENDING_EXPERIMENT.length()));
        } else {
            record.put("experiment_id", experimentId);
        }
        if (runName != null) {
            record.put("run_name", runName);
        }
        record.put("start", startTimeMillis);
        ObjectNode tagNode = record.putObject("tags");
        tagged.forEach(tagNode::put);
        placeholders.add(local);
        append(record);
        return new TrackedRun(local, experimentId, "spool:" + local);
    }

    /**
     * Asks the server at once, not through the journal: the run exists already, and its artifact location is only
     * known from the server's answer (so an unreachable server is an error here, even when spooling at start).
     */
    @Override
    public TrackedRun attachRun(String runId) {
        synchronized (this) {
            requireOpen();
        }
        TrackedRun run = delegate.attachRun(runId);
        reached = true;
        return run;
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        ObjectNode record = JSON.createObjectNode().put("op", "batch").put("run", requireRunId(runId));
        ArrayNode m = record.putArray("metrics");
        for (Metric metric : metrics) {
            ArrayNode row = m.addArray().add(metric.key());
            double v = metric.value();
            // JSON has no NaN or infinities; Double.toString's spelling reads back exactly.
            if (Double.isFinite(v)) {
                row.add(v);
            } else {
                row.add(Double.toString(v));
            }
            row.add(metric.timestamp()).add(metric.step());
        }
        ArrayNode p = record.putArray("params");
        params.forEach(param -> p.addArray().add(param.key()).add(param.value()));
        ArrayNode t = record.putArray("tags");
        tags.forEach(tag -> t.addArray().add(tag.key()).add(tag.value()));
        append(record);
    }

    @Override
    public void finishRun(String runId, RunStatus status, long endTimeMillis) {
        append(JSON.createObjectNode().put("op", "finish").put("run", requireRunId(runId))
                .put("status", status.name()).put("end", endTimeMillis));
    }

    @Override
    public void uploadArtifact(TrackedRun run, String path, byte[] content) {
        if (path == null || path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("artifact path must be relative and non-empty, got '" + path + "'");
        }
        ObjectNode record = JSON.createObjectNode().put("op", "artifact").put("run", run.runId())
                .put("experiment_id", run.experimentId()).put("artifact_uri", run.artifactUri()).put("path", path)
                .put("bytes", content.length);
        synchronized (this) {
            requireOpen();
            ensureJournal();
            record.put("blob", journal.putBlob(nextSeq, content));
            append(record);
        }
    }

    /**
     * Asks the server at once: a run is resumed only where it can be read back, and its later values then go
     * through the journal like any other run's.
     */
    @Override
    public ReopenedRun reopenRun(String runId) {
        ReopenedRun reopened = delegate.reopenRun(runId);
        reached = true;
        return reopened;
    }

    @Override
    public Optional<byte[]> findArtifact(TrackedRun run, String path) {
        return delegate.findArtifact(run, path);
    }

    /**
     * Waits at most {@code timeout} for every record to reach the server, then stops the sender. The journal is
     * deleted when all arrived, else left for {@link #resume}. No writes are accepted afterwards.
     */
    public Drain drain(Duration timeout) {
        int unsent;
        synchronized (this) {
            closed = true;
            long deadline = System.nanoTime() + timeout.toNanos();
            long left;
            while (!pending.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            unsent = pending.size();
            abandoned = true;
            notifyAll();
        }
        Thread thread = sender;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(SENDER_STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            // The sender may have taken one more record between the count and its stop.
            unsent = Math.min(unsent, pending.size());
            boolean complete = unsent == 0 && rejected.isEmpty();
            if (complete) {
                journal.delete();
            } else {
                journal.close();
            }
            return new Drain(sent, unsent, List.copyOf(rejected), complete || !journal.exists() ? null : journal.file());
        }
    }

    /**
     * Drains for {@link Settings#drainTimeout()} and says on the log what is left and how to send it later:
     * {@code autonf sync <journal>}.
     */
    @Override
    public void close() {
        Drain drain = drain(settings.drainTimeout());
        for (String reason : drain.rejected()) {
            warn("the tracking server refused a record for good: " + reason);
        }
        if (drain.unsent() > 0) {
            warn(drain.unsent() + " tracking record(s) could not be sent to " + trackingUri + " within "
                    + settings.drainTimeout().toSeconds() + " s" + (lastError == null ? "" : " (" + lastError + ")")
                    + "; they are kept in " + drain.journal() + "; send them when the server is back with: "
                    + "./autonf sync " + drain.journal());
        } else if (!drain.rejected().isEmpty()) {
            warn("the journal of the refused records is kept in " + drain.journal());
        }
    }

    /** The wait before attempt {@code attempt + 1} after {@code attempt} failures: exponential, capped, jittered. */
    long backoffMillis(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        int shift = Math.min(attempt - 1, 30);
        long base = Math.min(max, initial << shift);
        // "Equal jitter": at least half the base, so retries neither stampede nor collapse to zero.
        return base / 2 + jitter.nextLong(base - base / 2 + 1);
    }

    // ---- writing ----

    private synchronized void append(ObjectNode record) {
        requireOpen();
        ensureJournal();
        ObjectNode line = JSON.createObjectNode().put("seq", nextSeq++);
        line.setAll(record);
        journal.append(line, true);
        pending.add(line);
        startSender();
        notifyAll();
    }

    private void ensureJournal() {
        if (!journal.exists()) {
            journal.create(JSON.createObjectNode().put("journal", 1).put("tracking_uri", trackingUri)
                    .put("created", System.currentTimeMillis()));
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new TrackingException("the spooled tracking store was closed; nothing more can be written to "
                    + journal.file());
        }
    }

    private synchronized boolean backlogged() {
        return !pending.isEmpty() || failing;
    }

    private static String requireRunId(String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a run id is needed, got '" + runId + "'");
        }
        return runId;
    }

    // ---- sending ----

    private void startSender() {
        if (sender == null) {
            sender = new Thread(this::sendAll, "autonf-tracking-spool");
            sender.setDaemon(true);
            sender.start();
        }
    }

    private void sendAll() {
        while (true) {
            ObjectNode record;
            synchronized (this) {
                while (pending.isEmpty() && !abandoned) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (abandoned) {
                    return;
                }
                record = pending.peekFirst();
            }
            int attempt = 0;
            ObjectNode ack;
            while (true) {
                try {
                    ack = send(record, attempt);
                    failing = false;
                    reached = true;
                    break;
                } catch (TrackingUnavailableException e) {
                    failing = true;
                    lastError = e.getMessage();
                    attempt++;
                    try {
                        Thread.sleep(backoffMillis(attempt));
                    } catch (InterruptedException stop) {
                        return;
                    }
                    if (abandoned) {
                        return;
                    }
                } catch (RuntimeException refused) {
                    // An interrupted call (the drain gave up) is no refusal: leave the record for a resume.
                    if (abandoned || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    String reason = describe(record) + ": " + refused.getMessage();
                    rejected.add(reason);
                    ack = JSON.createObjectNode().put("rejected", reason);
                    break;
                }
            }
            synchronized (this) {
                ObjectNode line = JSON.createObjectNode().put("ack", record.path("seq").asLong());
                line.setAll(ack);
                try {
                    // A create's answer must survive a crash: without it a resume would make the run again.
                    journal.append(line, ack.has("created"));
                } catch (UncheckedIOException e) {
                    warn("cannot acknowledge record " + record.path("seq").asLong() + " in " + journal.file() + ": "
                            + e.getMessage() + " (a resume sends it again; resending is harmless)");
                }
                if (!ack.has("rejected")) {
                    sent++;
                }
                pending.pollFirst();
                notifyAll();
            }
        }
    }

    /** Sends one record; returns what its acknowledgement line adds (the created run for a create). */
    private ObjectNode send(ObjectNode record, int attempt) {
        ObjectNode ack = JSON.createObjectNode();
        String run = record.path("run").asText();
        switch (record.path("op").asText()) {
            case "create" -> {
                String experiment = record.has("experiment_id") ? record.path("experiment_id").asText()
                        : delegate.experimentId(record.path("experiment_name").asText());
                Map<String, String> tags = new LinkedHashMap<>();
                record.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
                Optional<TrackedRun> earlier = findEarlier(experiment, run);
                TrackedRun real = earlier.orElseGet(() -> delegate.createRun(experiment,
                        record.has("run_name") ? record.path("run_name").asText() : null, resolveValues(tags),
                        record.path("start").asLong()));
                created.put(run, real);
                ack.putObject("created").put("run_id", real.runId()).put("experiment_id", real.experimentId())
                        .put("artifact_uri", real.artifactUri());
            }
            case "batch" -> {
                List<Metric> metrics = new ArrayList<>();
                for (JsonNode row : record.path("metrics")) {
                    JsonNode value = row.get(1);
                    metrics.add(new Metric(row.get(0).asText(),
                            value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText()),
                            row.get(2).asLong(), row.get(3).asLong()));
                }
                List<Param> params = new ArrayList<>();
                record.path("params").forEach(row -> params.add(new Param(row.get(0).asText(), row.get(1).asText())));
                List<Tag> tags = new ArrayList<>();
                record.path("tags").forEach(row -> tags.add(new Tag(row.get(0).asText(),
                        resolveValue(row.get(1).asText()))));
                delegate.logBatch(serverRun(run, record).runId(), metrics, params, tags);
            }
            case "artifact" -> delegate.uploadArtifact(serverRun(run, record), record.path("path").asText(),
                    journal.blob(record.path("blob").asText()));
            case "finish" -> delegate.finishRun(serverRun(run, record).runId(),
                    RunStatus.valueOf(record.path("status").asText()), record.path("end").asLong());
            default -> throw new TrackingException("journal record of unknown kind: " + record);
        }
        return ack;
    }

    /**
     * The run an earlier attempt of this create made, if its answer was lost. A search the server refuses must
     * not cost the run: then it is created (a duplicate is less bad than a lost run); unreachable is retried.
     */
    private Optional<TrackedRun> findEarlier(String experiment, String local) {
        if (finder == null) {
            return Optional.empty();
        }
        try {
            return finder.find(experiment, LOCAL_RUN_TAG, local);
        } catch (TrackingUnavailableException e) {
            throw e;
        } catch (TrackingException e) {
            warn("cannot look for an earlier copy of run " + local + " (" + e.getMessage() + "); creating it");
            return Optional.empty();
        }
    }

    /** The server's run for a record's run id: the mapped run of a placeholder, or the id itself. */
    private TrackedRun serverRun(String run, ObjectNode record) {
        TrackedRun real = created.get(run);
        if (real != null) {
            return real;
        }
        if (placeholders.contains(run) || run.startsWith(LOCAL_PREFIX)) {
            throw new TrackingException("run " + run + " was never created on the server (its creation was refused)");
        }
        String artifactUri = record.path("artifact_uri").asText("");
        String experiment = record.path("experiment_id").asText("");
        return new TrackedRun(run, experiment.isEmpty() ? "0" : experiment, artifactUri);
    }

    private boolean namesUncreatedRun(Map<String, String> tags) {
        return tags.entrySet().stream().anyMatch(e -> !LOCAL_RUN_TAG.equals(e.getKey())
                && placeholders.contains(e.getValue()) && !created.containsKey(e.getValue()));
    }

    private Map<String, String> resolveValues(Map<String, String> tags) {
        Map<String, String> resolved = new LinkedHashMap<>();
        tags.forEach((k, v) -> resolved.put(k, LOCAL_RUN_TAG.equals(k) ? v : resolveValue(v)));
        return resolved;
    }

    /** A tag value that names a placeholder run (e.g. {@code mlflow.parentRunId}) names the server's run instead. */
    private String resolveValue(String value) {
        TrackedRun real = created.get(value);
        return real == null ? value : real.runId();
    }

    private static String describe(ObjectNode record) {
        return record.path("op").asText() + " #" + record.path("seq").asLong() + " of run " + record.path("run").asText();
    }

    private void warn(String message) {
        if (log != null) {
            log.println("tracking: " + message);
            log.flush();
        }
    }

    private static String withoutUserInfo(URI uri) {
        if (uri == null) {
            return "";
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        }
    }
}
