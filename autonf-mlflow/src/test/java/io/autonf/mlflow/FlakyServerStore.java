package io.autonf.mlflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An in-memory tracking server with MLflow's SQL-store semantics where a replay matters: a metric point equal in
 * key, value, timestamp and step to one it has is skipped, a param may be logged again only with the same value,
 * tags and status are overwritten. It can be taken down (calls throw {@link TrackingUnavailableException}), can
 * apply a call and then lose its answer, and can refuse chosen batches for good. Every call is counted.
 */
final class FlakyServerStore implements TrackingStore {

    record Point(String key, double value, long timestamp, long step) {
    }

    static final class ServerRun {
        final TrackedRun info;
        final String name;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, String> params = new LinkedHashMap<>();
        final Set<Point> points = new LinkedHashSet<>();
        final Map<String, byte[]> artifacts = new LinkedHashMap<>();
        RunStatus status;

        ServerRun(TrackedRun info, String name) {
            this.info = info;
            this.name = name;
        }

        List<Point> history(String key) {
            return points.stream().filter(p -> p.key().equals(key)).toList();
        }
    }

    final Map<String, ServerRun> runs = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    private volatile boolean up = true;
    private final Map<String, Integer> answersToLose = new LinkedHashMap<>();
    private long delayMillis;
    private Predicate<List<Metric>> refuse = m -> false;

    synchronized void down() {
        up = false;
    }

    synchronized void up() {
        up = true;
    }

    /** The next {@code n} calls of kind {@code call} are applied but answer as if the connection broke. */
    synchronized void loseAnswers(String call, int n) {
        answersToLose.put(call, n);
    }

    synchronized void delay(long millis) {
        delayMillis = millis;
    }

    synchronized void refuseBatchesWhere(Predicate<List<Metric>> test) {
        refuse = test;
    }

    synchronized int count(String call) {
        return (int) calls.stream().filter(call::equals).count();
    }

    private void enter(String call) {
        long delay;
        synchronized (this) {
            delay = delayMillis;
        }
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackingException("interrupted");
            }
        }
        synchronized (this) {
            if (!up) {
                throw new TrackingUnavailableException("server down (" + call + ")");
            }
            calls.add(call);
        }
    }

    private synchronized void leave() {
        String call = calls.get(calls.size() - 1);
        int left = answersToLose.getOrDefault(call, 0);
        if (left > 0) {
            answersToLose.put(call, left - 1);
            throw new TrackingUnavailableException("connection reset after the call was applied");
        }
    }

    @Override
    public String experimentId(String name) {
        enter("experimentId");
        leave();
        return "7";
    }

    @Override
    public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        enter("createRun");
        synchronized (this) {
            String id = String.format("%032x", runs.size() + 1);
            ServerRun run = new ServerRun(new TrackedRun(id, experimentId, "mlflow-artifacts:/" + experimentId + "/"
                    + id + "/artifacts"), runName);
            run.tags.putAll(tags);
            runs.put(id, run);
            leave();
            return run.info;
        }
    }

    /** The {@link SpoolingStore.RunFinder} of this server. */
    synchronized Optional<TrackedRun> find(String experimentId, String key, String value) {
        enter("find");
        return runs.values().stream().filter(r -> value.equals(r.tags.get(key))).map(r -> r.info).findFirst();
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        enter("logBatch");
        synchronized (this) {
            ServerRun run = existing(runId);
            if (refuse.test(metrics)) {
                throw new TrackingException("INVALID_PARAMETER_VALUE: refused batch");
            }
            for (Param p : params) {
                String old = run.params.putIfAbsent(p.key(), p.value());
                if (old != null && !old.equals(p.value())) {
                    throw new TrackingException("Changing param values is not allowed: " + p.key());
                }
            }
            tags.forEach(t -> run.tags.put(t.key(), t.value()));
            metrics.forEach(m -> run.points.add(new Point(m.key(), m.value(), m.timestamp(), m.step())));
            leave();
        }
    }

    @Override
    public void finishRun(String runId, RunStatus status, long endTimeMillis) {
        enter("finishRun");
        synchronized (this) {
            existing(runId).status = status;
            leave();
        }
    }

    @Override
    public void uploadArtifact(TrackedRun run, String path, byte[] content) {
        enter("uploadArtifact");
        synchronized (this) {
            existing(run.runId()).artifacts.put(path, content.clone());
            leave();
        }
    }

    private ServerRun existing(String runId) {
        ServerRun run = runs.get(runId);
        if (run == null) {
            throw new TrackingException("RESOURCE_DOES_NOT_EXIST: run " + runId);
        }
        return run;
    }
}
