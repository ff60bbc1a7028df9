package io.autonf.mlflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags every AutoNF run starts with. The {@code mlflow.*} names are the ones MLflow's UI reads: the run's
 * name, what started it, who, and for a nested run its parent (the UI draws the run under it).
 */
public final class RunTags {

    public static final String RUN_NAME = "mlflow.runName";
    public static final String SOURCE_NAME = "mlflow.source.name";
    public static final String SOURCE_TYPE = "mlflow.source.type";
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";
    public static final String USER = "mlflow.user";
    public static final String GIT_COMMIT = "mlflow.source.git.commit";
    public static final String HOST = "autonf.host";
    public static final String VERSION = "autonf.version";

    private RunTags() {
    }

    /**
     * Tags for a new run.
     *
     * @param runName     shown as the run's name; required
     * @param sourceName  what started it, e.g. {@code autonf search}; required
     * @param parentRunId the enclosing run of a nested run, or null
     * @param version     the AutoNF version, or null when unknown
     * @param gitCommit   the commit AutoNF was built from, or null when unknown
     */
    public static Map<String, String> forRun(String runName, String sourceName, String parentRunId, String version,
                                             String gitCommit) {
        if (runName == null || runName.isBlank()) {
            throw new IllegalArgumentException("a run needs a name");
        }
        if (sourceName == null || sourceName.isBlank()) {
            throw new IllegalArgumentException("run '" + runName + "' needs a source name (what started it)");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RUN_NAME, runName);
        tags.put(SOURCE_NAME, sourceName);
        tags.put(SOURCE_TYPE, "LOCAL");
        tags.put(USER, System.getProperty("user.name", "unknown"));
        tags.put(HOST, hostName());
        if (parentRunId != null) {
            if (parentRunId.isBlank()) {
                throw new IllegalArgumentException("parent run id of '" + runName + "' is blank");
            }
            tags.put(PARENT_RUN_ID, parentRunId);
        }
        if (version != null) {
            tags.put(VERSION, version);
        }
        if (gitCommit != null) {
            tags.put(GIT_COMMIT, gitCommit);
        }
        return tags;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // A machine without a resolvable name still has the name it was given.
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "unknown" : fromEnvironment;
        }
    }
}
