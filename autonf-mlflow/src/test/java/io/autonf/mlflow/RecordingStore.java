package io.autonf.mlflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store that keeps every call in memory, for tests without a server. */
final class RecordingStore implements TrackingStore {

    record Call(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
    }

    final List<Call> batches = new ArrayList<>();
    final Map<String, byte[]> artifacts = new LinkedHashMap<>();
    final Map<String, RunStatus> finished = new LinkedHashMap<>();
    int failuresToThrow;

    static TrackedRun run() {
        return new TrackedRun("run1", "0", "mlflow-artifacts:/0/run1/artifacts");
    }

    @Override
    public String experimentId(String name) {
        return "0";
    }

    @Override
    public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        return run();
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        if (failuresToThrow > 0) {
            failuresToThrow--;
            throw new TrackingException("server lost");
        }
        batches.add(new Call(runId, List.copyOf(metrics), List.copyOf(params), List.copyOf(tags)));
    }

    @Override
    public void finishRun(String runId, RunStatus status, long endTimeMillis) {
        finished.put(runId, status);
    }

    @Override
    public void uploadArtifact(TrackedRun run, String path, byte[] content) {
        artifacts.put(path, content.clone());
    }

    List<Metric> allMetrics() {
        return batches.stream().flatMap(c -> c.metrics().stream()).toList();
    }

    List<Param> allParams() {
        return batches.stream().flatMap(c -> c.params().stream()).toList();
    }

    List<Tag> allTags() {
        return batches.stream().flatMap(c -> c.tags().stream()).toList();
    }
}
