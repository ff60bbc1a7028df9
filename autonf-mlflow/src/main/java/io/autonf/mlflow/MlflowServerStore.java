package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow_project.apachehttp.client.config.RequestConfig;
import org.mlflow_project.apachehttp.impl.client.CloseableHttpClient;
import org.mlflow_project.apachehttp.impl.client.HttpClientBuilder;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * A {@link TrackingStore} and {@link RunQueries} on a real MLflow tracking server. Experiments, runs, batches,
 * run ends, run reads, searches and metric histories go through the MLflow Java client ({@link MlflowClient},
 * 2.x, speaking the REST API's 2.0 routes that MLflow 2.x and 3.x serve).
 *
 * <p>Artifacts do not: the client's artifact upload starts a Python process. They go in Java through the server's
 * artifact proxy ({@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>}), available when the server serves
 * artifacts (the default since MLflow 2.0), where a run's artifact URI is {@code mlflow-artifacts:/<exp>/<run>/artifacts}.
 *
 * <p>Timeouts: the client builds its Apache HTTP client without any, so a server that accepts connections but
 * never answers would block a call forever. {@link #connect} therefore first asks {@code GET /health} with a
 * 5 s limit, and the client is given an HTTP client with a connect timeout and a read timeout (see
 * {@link #withTimeouts}) so that a server lost in the middle of a run also ends in a
 * {@link TrackingUnavailableException}, not a hang.
 *
 * <p>Credentials come from {@code MLFLOW_TRACKING_TOKEN} (bearer) or {@code MLFLOW_TRACKING_USERNAME} and
 * {@code MLFLOW_TRACKING_PASSWORD} (basic), as MLflow's own clients read them. They are sent only in the
 * Authorization header and appear in no message, log or {@link #toString()}.
 */
public final class MlflowServerStore implements TrackingStore, RunQueries {

    private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String PROXY_SCHEME = "mlflow-artifacts:";
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** runs/search answers at most this many runs per page. */
    private static final int SEARCH_PAGE_LIMIT = 50_000;

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final MlflowClient client;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * A store for the server at {@code trackingUri} (http or https), with credentials from {@code environment}.
     * Contacts nothing yet; {@link #connect} also checks that the server answers.
     */
    public MlflowServerStore(URI trackingUri, Map<String, String> environment) {
        this(trackingUri, environment, REQUEST_TIMEOUT);
    }

    /** As the public constructor, with the read timeout of each client call given (tests use a short one). */
    MlflowServerStore(URI trackingUri, Map<String, String> environment, Duration requestTimeout) {
        Objects.requireNonNull(trackingUri, "tracking URI");
        String scheme = trackingUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || trackingUri.getHost() == null) {
            throw new IllegalArgumentException("a tracking server URI must be http(s)://host[:port][/path], got '"
                    + trackingUri + "'");
        }
        String text = trackingUri.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.authorization = authorizationHeader(environment);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.client = withTimeouts(new MlflowClient(hostCredentials(base.toString(), environment)), requestTimeout);
    }

    /**
     * A store for the server at {@code trackingUri} that has answered: fails within seconds, with a
     * {@link TrackingUnavailableException}, when nothing answers there.
     */
    public static MlflowServerStore connect(URI trackingUri, Map<String, String> environment) {
        MlflowServerStore store = new MlflowServerStore(trackingUri, environment);
        store.requireReachable();
        return store;
    }

    /** A store with credentials from the process environment, checked as {@link #connect} does. */
    public static MlflowServerStore fromEnvironment(URI trackingUri) {
        return connect(trackingUri, System.getenv());
    }

    /**
     * Asks {@code GET /health} with a {@link #PROBE_TIMEOUT} limit. Any HTTP answer counts as reachable (a proxy in
     * front may answer 401 or 404 there); only no answer at all fails.
     */
    public void requireReachable() {
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(base + "/health")))
                .timeout(PROBE_TIMEOUT).GET().build();
        try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new TrackingUnavailableException("MLflow tracking server " + base + " is unreachable: no answer to "
                    + "GET /health within " + PROBE_TIMEOUT.toSeconds() + " s (" + describe(e) + "); start it, "
                    + "check --tracking-uri / MLFLOW_TRACKING_URI, or leave both unset to track into ./mlruns", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while checking " + base, e);
        }
    }

    /** The Authorization header value, or null when the environment gives no credentials. */
    static String authorizationHeader(Map<String, String> environment) {
        String token = environment.get("MLFLOW_TRACKING_TOKEN");
        if (token != null && !token.isEmpty()) {
            return "Bearer " + token;
        }
        String user = environment.get("MLFLOW_TRACKING_USERNAME");
        String password = environment.get("MLFLOW_TRACKING_PASSWORD");
        if (user != null && !user.isEmpty()) {
            String pair = user + ":" + (password == null ? "" : password);
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** The client's credentials: the same choice as {@link #authorizationHeader} (a token wins). */
    static BasicMlflowHostCreds hostCredentials(String host, Map<String, String> environment) {
        String token = environment.get("MLFLOW_TRACKING_TOKEN");
        if (token != null && !token.isEmpty()) {
            return new BasicMlflowHostCreds(host, token);
        }
        String user = environment.get("MLFLOW_TRACKING_USERNAME");
        if (user != null && !user.isEmpty()) {
            String password = environment.get("MLFLOW_TRACKING_PASSWORD");
            return new BasicMlflowHostCreds(host, user, password == null ? "" : password);
        }
        return new BasicMlflowHostCreds(host);
    }

    /**
     * Gives {@code client} an HTTP client with timeouts. The MLflow client offers no way to set them and would
     * otherwise wait forever on a server that stopped answering; its HTTP caller keeps the Apache client in a
     * field that it only fills when empty, so one set beforehand is the one used. Automatic retries are off:
     * a retry belongs to the caller that knows whether a call may be repeated (see the spool), and the Apache
     * client would log each one on stderr. Tied to the pinned client version (2.17.2); a test fails if the
     * fields move.
     */
    static MlflowClient withTimeouts(MlflowClient client, Duration requestTimeout) {
        int readMillis = Math.toIntExact(requestTimeout.toMillis());
        int connectMillis = Math.toIntExact(Math.min(CONNECT_TIMEOUT.toMillis(), readMillis));
        CloseableHttpClient timed = HttpClientBuilder.create()
                .setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(connectMillis)
                        .setConnectionRequestTimeout(connectMillis).setSocketTimeout(readMillis).build())
                .disableAutomaticRetries()
                .build();
        try {
            Field callerField = MlflowClient.class.getDeclaredField("httpCaller");
            callerField.setAccessible(true);
            Object caller = callerField.get(client);
            Field httpField = caller.getClass().getDeclaredField("httpClient");
            httpField.setAccessible(true);
            httpField.set(caller, timed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot give the MLflow client timeouts; its internals changed (the "
                    + "store was written for mlflow-client 2.17.2): " + e, e);
        }
        return client;
    }

    public URI trackingUri() {
        return base;
    }

    @Override
    public String location() {
        return base.toString();
    }

    @Override
    public String experimentId(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        Optional<String> found = findExperimentId(name);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return call("creating experiment '" + name + "'", () -> client.createExperiment(name));
        } catch (TrackingException e) {
            // Another process created it between the two calls: its id is as good as ours.
            if (e.getCause() instanceof MlflowHttpException http
                    && "RESOURCE_ALREADY_EXISTS".equals(errorCode(http.getBodyMessage()))) {
                return findExperimentId(name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    @Override
    public Optional<String> findExperimentId(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        return call("looking up experiment '" + name + "'", () -> client.getExperimentByName(name))
                .map(Service.Experiment::getExperimentId);
    }

    @Override
    public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder().setExperimentId(experimentId)
                .setStartTime(startTimeMillis);
        if (runName != null) {
            request.setRunName(runName);
        }
        tags.forEach((k, v) -> {
            TrackingLimits.requireValidKey("tag", k);
            request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v));
        });
        Service.RunInfo info = call("creating a run in experiment " + experimentId,
                () -> client.createRun(request.build()));
        return new TrackedRun(info.getRunId(), info.getExperimentId(), info.getArtifactUri());
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        List<Service.Metric> m = new ArrayList<>(metrics.size());
        // The client writes non-finite doubles in protobuf's JSON spelling ("NaN", "Infinity"), which the server reads.
        metrics.forEach(metric -> m.add(Service.Metric.newBuilder().setKey(metric.key()).setValue(metric.value())
                .setTimestamp(metric.timestamp()).setStep(metric.step()).build()));
        List<Service.Param> p = new ArrayList<>(params.size());
        params.forEach(param -> p.add(Service.Param.newBuilder().setKey(param.key()).setValue(param.value()).build()));
        List<Service.RunTag> t = new ArrayList<>(tags.size());
        tags.forEach(tag -> t.add(Service.RunTag.newBuilder().setKey(tag.key()).setValue(tag.value()).build()));
        call("logging " + metrics.size() + " metrics, " + params.size() + " params and " + tags.size()
                + " tags to run " + runId, () -> {
            client.logBatch(runId, m, p, t);
            return null;
        });
    }

    @Override
    public void finishRun(String runId, RunStatus status, long endTimeMillis) {
        call("ending run " + runId + " as " + status, () -> {
            client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTimeMillis);
            return null;
        });
    }

    @Override
    public TrackedRun attachRun(String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a run id is needed to log into an existing run, got '" + runId + "'");
        }
        Service.RunInfo info = call("reading run " + runId, () -> client.getRun(runId)).getInfo();
        return new TrackedRun(info.getRunId(), info.getExperimentId(), info.getArtifactUri());
    }

    @Override
    public RunRecord getRun(String runId) {
        return record(call("reading run " + runId, () -> client.getRun(runId)));
    }

    @Override
    public List<RunRecord> searchRuns(String experimentId, String filter, String orderBy, int maxResults) {
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults);
        }
        String what = "searching runs of experiment " + experimentId + " with filter '"
                + (filter == null ? "" : filter) + "'";
        List<String> order = List.of(orderBy == null || orderBy.isBlank() ? RunOrder.NEWEST_FIRST : orderBy);
        List<RunRecord> runs = new ArrayList<>();
        String token = null;
        do {
            int pageSize = Math.min(SEARCH_PAGE_LIMIT, maxResults - runs.size());
            String pageToken = token;
            RunsPage page = call(what, () -> client.searchRuns(List.of(experimentId), filter == null ? "" : filter,
                    Service.ViewType.ACTIVE_ONLY, pageSize, order, pageToken));
            page.getItems().forEach(run -> runs.add(record(run)));
            token = page.getNextPageToken().filter(t -> !t.isEmpty()).orElse(null);
        } while (token != null && runs.size() < maxResults);
        return List.copyOf(runs.subList(0, Math.min(maxResults, runs.size())));
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        List<Metric> points = new ArrayList<>();
        for (Service.Metric m : call("reading the history of metric '" + key + "' of run " + runId,
                () -> client.getMetricHistory(runId, key))) {
            points.add(new Metric(m.getKey(), m.getValue(), m.getTimestamp(), m.getStep()));
        }
        return List.copyOf(points);
    }

    /**
     * A GET of a read-only REST route below {@code /api/2.0/mlflow/} (e.g. {@code artifacts/list}) through the
     * client, for what {@link RunQueries} does not cover; the answer as JSON.
     */
    public JsonNode query(String route, Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.setEmptyValue("");
        parameters.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String body = call("GET " + route, () -> client.sendGet(route + query));
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new TrackingException("GET " + route + " at " + base + " answered no JSON: " + abbreviate(body), e);
        }
    }

    @Override
    public void uploadArtifact(TrackedRun run, String path, byte[] content) {
        HttpRequest request = authorized(HttpRequest.newBuilder(artifactUri(run, path)))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        HttpResponse<byte[]> response = sendArtifactRequest(request, "uploading artifact '" + path + "' of run "
                + run.runId());
        requireSuccess(response, "uploading artifact '" + path + "' of run " + run.runId());
    }

    /**
     * Reads the run, then sets its status back to RUNNING with {@code runs/update} (which accepts any status). The
     * latest value the server reports for a metric is the one with the largest step, so its step is the key's last.
     */
    @Override
    public ReopenedRun reopenRun(String runId) {
        Service.Run run = call("reading run " + runId, () -> client.getRun(runId));
        Map<String, Long> lastSteps = new java.util.LinkedHashMap<>();
        for (Service.Metric m : run.getData().getMetricsList()) {
            lastSteps.merge(m.getKey(), m.getStep(), Math::max);
        }
        String body = json.createObjectNode().put("run_id", runId).put("status", "RUNNING").toString();
        call("reopening run " + runId, () -> client.sendPost("runs/update", body));
        Map<String, String> params = new java.util.LinkedHashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        return new ReopenedRun(new TrackedRun(runId, run.getInfo().getExperimentId(), run.getInfo().getArtifactUri()),
                lastSteps, params);
    }

    /** The artifact at {@code path} of {@code run} through the artifact proxy, or empty when the server has none. */
    @Override
    public Optional<byte[]> findArtifact(TrackedRun run, String path) {
        HttpRequest request = authorized(HttpRequest.newBuilder(artifactUri(run, path))).timeout(REQUEST_TIMEOUT)
                .GET().build();
        String what = "downloading artifact '" + path + "' of run " + run.runId();
        HttpResponse<byte[]> response = sendArtifactRequest(request, what);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireSuccess(response, what);
        return Optional.of(response.body());
    }

    /** The artifact at {@code path} of {@code run}, read through the server's artifact proxy. */
    public byte[] downloadArtifact(TrackedRun run, String path) {
        HttpRequest request = authorized(HttpRequest.newBuilder(artifactUri(run, path))).timeout(REQUEST_TIMEOUT)
                .GET().build();
        String what = "downloading artifact '" + path + "' of run " + run.runId();
        HttpResponse<byte[]> response = sendArtifactRequest(request, what);
        requireSuccess(response, what);
        return response.body();
    }

    /**
     * The proxy URL of a run's artifact. The proxy's paths are relative to the server's artifact root, which is
     * what follows the scheme in the run's {@code mlflow-artifacts:} URI.
     */
    URI artifactUri(TrackedRun run, String path) {
        String uri = run.artifactUri();
        if (!uri.startsWith(PROXY_SCHEME)) {
            throw new TrackingException("run " + run.runId() + " stores artifacts at '" + uri + "', not behind the "
                    + "server's artifact proxy; start the server with --serve-artifacts (the default) so that "
                    + "artifacts can be uploaded without cloud credentials");
        }
        String root = uri.substring(PROXY_SCHEME.length());
        // The URI may name a host (mlflow-artifacts://host/...); the proxy is always this server's.
        if (root.startsWith("//")) {
            int slash = root.indexOf('/', 2);
            root = slash < 0 ? "" : root.substring(slash);
        }
        root = root.replaceAll("^/+", "").replaceAll("/+$", "");
        if (path == null || path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("artifact path must be relative and non-empty, got '" + path + "'");
        }
        StringJoiner encoded = new StringJoiner("/");
        for (String segment : (root + "/" + path).split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("artifact path '" + path + "' has an empty, '.' or '..' segment");
            }
            encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(base + ARTIFACTS_API + encoded);
    }

    /**
     * Runs one client call, turning the client's exceptions into ours: no answer (connection refused or reset,
     * timeout) and HTTP 429 or 5xx become a {@link TrackingUnavailableException}, another refusal a
     * {@link TrackingException}, each naming the server and {@code what} was being done.
     */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (MlflowHttpException e) {
            throw httpFailure(what, e.getStatusCode(), e.getBodyMessage(), e);
        } catch (MlflowClientException e) {
            IOException io = transportFailure(e);
            if (io != null) {
                throw new TrackingUnavailableException("MLflow tracking server " + base + " is unreachable while "
                        + what + ": " + describe(io), e);
            }
            throw new TrackingException(what + " failed at " + base + ": " + e.getMessage(), e);
        }
    }

    /** The I/O failure behind {@code e} when the server gave no (whole) answer, else null. */
    private static IOException transportFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // An answer that is not the expected JSON is a protocol error, not an outage, though protobuf
            // reports it as an IOException; so is a failed TLS handshake, which retrying will not fix.
            if (t.getClass().getName().endsWith("InvalidProtocolBufferException")
                    || t instanceof javax.net.ssl.SSLException) {
                return null;
            }
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private TrackingException httpFailure(String what, int status, String body, Exception cause) {
        String code = errorCode(body);
        String message = errorMessage(body);
        String text = what + " failed: " + base + " answered HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + (message.isEmpty() ? "" : ": " + abbreviate(message));
        // A server that is overloaded or restarting answers 429 or 5xx: worth retrying, unlike a 4xx.
        return status == 429 || status / 100 == 5 ? new TrackingUnavailableException(text, cause)
                : new TrackingException(text, cause);
    }

    private String errorCode(String body) {
        JsonNode node = parseQuietly(body);
        return node == null ? "" : node.path("error_code").asText("");
    }

    private String errorMessage(String body) {
        JsonNode node = parseQuietly(body);
        return node == null ? (body == null ? "" : body.strip()) : node.path("message").asText("");
    }

    private JsonNode parseQuietly(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static RunRecord record(Service.Run run) {
        Service.RunInfo info = run.getInfo();
        Map<String, String> params = new LinkedHashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        Map<String, String> tags = new LinkedHashMap<>();
        run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        Map<String, Double> latest = new LinkedHashMap<>();
        run.getData().getMetricsList().forEach(m -> latest.put(m.getKey(), m.getValue()));
        String name = info.getRunName().isEmpty() ? tags.getOrDefault(RunTags.RUN_NAME, "") : info.getRunName();
        return new RunRecord(info.getRunId(), info.getExperimentId(), name, info.getStatus().name(),
                info.getStartTime(), info.hasEndTime() && info.getEndTime() > 0 ? info.getEndTime() : null,
                params, tags, latest);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<byte[]> sendArtifactRequest(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TrackingUnavailableException("MLflow tracking server " + base + " is unreachable while " + what
                    + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while " + what + " at " + base, e);
        }
    }

    private void requireSuccess(HttpResponse<byte[]> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw httpFailure(what, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), null);
        }
    }

    /** The exception's class and message: the JDK's HttpConnectTimeoutException, for one, has an empty message. */
    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    @Override
    public String toString() {
        return "MlflowServerStore[" + base + (authorization == null ? "" : ", with credentials") + "]";
    }
}
