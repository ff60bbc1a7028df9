package io.autonf.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A {@link TrackingStore} that talks to a real MLflow tracking server over its REST API (version 2.0 routes,
 * served by MLflow 2.x and 3.x), with {@link HttpClient} and Jackson.
 *
 * <p>Why not the MLflow Java client: its artifact upload starts a Python process, the one thing this store must
 * not do, and the REST calls it would replace are a few lines each; staying on the JDK's client also keeps the
 * command line's jar free of the client's protobuf and HTTP stacks. Artifacts go through the server's artifact
 * proxy ({@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>}), available when the server serves artifacts
 * (the default since MLflow 2.0), where a run's artifact URI is {@code mlflow-artifacts:/<exp>/<run>/artifacts}.
 *
 * <p>Credentials come from {@code MLFLOW_TRACKING_TOKEN} (bearer) or {@code MLFLOW_TRACKING_USERNAME} and
 * {@code MLFLOW_TRACKING_PASSWORD} (basic), as MLflow's own clients read them. They are sent only in the
 * Authorization header and appear in no message, log or {@link #toString()}.
 */
public final class MlflowRestStore implements TrackingStore {

    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String PROXY_SCHEME = "mlflow-artifacts:";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** A store for the server at {@code trackingUri} (http or https), with credentials from {@code environment}. */
    public MlflowRestStore(URI trackingUri, Map<String, String> environment) {
        Objects.requireNonNull(trackingUri, "tracking URI");
        String scheme = trackingUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("a tracking server URI must start with http:// or https://, got '"
                    + trackingUri + "'");
        }
        String text = trackingUri.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.authorization = authorizationHeader(environment);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A store with credentials from the process environment. */
    public static MlflowRestStore fromEnvironment(URI trackingUri) {
        return new MlflowRestStore(trackingUri, System.getenv());
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

    public URI trackingUri() {
        return base;
    }

    @Override
    public String experimentId(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("experiment name is empty");
        }
        Response found = send(get(API + "experiments/get-by-name", Map.of("experiment_name", name)));
        if (found.ok()) {
            return found.body().path("experiment").path("experiment_id").asText();
        }
        if (!found.isErrorCode("RESOURCE_DOES_NOT_EXIST")) {
            throw found.failure("looking up experiment '" + name + "'");
        }
        ObjectNode create = json.createObjectNode().put("name", name);
        Response created = send(post(API + "experiments/create", create));
        if (created.ok()) {
            return created.body().path("experiment_id").asText();
        }
        // Another process created it between the two calls: its id is as good as ours.
        if (created.isErrorCode("RESOURCE_ALREADY_EXISTS")) {
            Response again = send(get(API + "experiments/get-by-name", Map.of("experiment_name", name)));
            return again.require("looking up experiment '" + name + "'").path("experiment").path("experiment_id").asText();
        }
        throw created.failure("creating experiment '" + name + "'");
    }

    @Override
    public TrackedRun createRun(String experimentId, String runName, Map<String, String> tags, long startTimeMillis) {
        ObjectNode body = json.createObjectNode().put("experiment_id", experimentId).put("start_time", startTimeMillis);
        if (runName != null) {
            body.put("run_name", runName);
        }
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach((k, v) -> {
            TrackingLimits.requireValidKey("tag", k);
            tagArray.addObject().put("key", k).put("value", v);
        });
        JsonNode info = send(post(API + "runs/create", body)).require("creating a run in experiment " + experimentId)
                .path("run").path("info");
        return new TrackedRun(info.path("run_id").asText(), info.path("experiment_id").asText(),
                info.path("artifact_uri").asText());
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        ObjectNode body = json.createObjectNode().put("run_id", runId);
        ArrayNode m = body.putArray("metrics");
        for (Metric metric : metrics) {
            ObjectNode node = m.addObject().put("key", metric.key());
            double v = metric.value();
            // Protobuf's JSON mapping, which the server parses with, spells non-finite doubles as strings.
            if (Double.isNaN(v)) {
                node.put("value", "NaN");
            } else if (Double.isInfinite(v)) {
                node.put("value", v > 0 ? "Infinity" : "-Infinity");
            } else {
                node.put("value", v);
            }
            node.put("timestamp", metric.timestamp()).put("step", metric.step());
        }
        ArrayNode p = body.putArray("params");
        params.forEach(param -> p.addObject().put("key", param.key()).put("value", param.value()));
        ArrayNode t = body.putArray("tags");
        tags.forEach(tag -> t.addObject().put("key", tag.key()).put("value", tag.value()));
        send(post(API + "runs/log-batch", body)).require("logging " + metrics.size() + " metrics, " + params.size()
                + " params and " + tags.size() + " tags to run " + runId);
    }

    @Override
    public void finishRun(String runId, RunStatus status, long endTimeMillis) {
        ObjectNode body = json.createObjectNode().put("run_id", runId).put("status", status.name())
                .put("end_time", endTimeMillis);
        send(post(API + "runs/update", body)).require("ending run " + runId + " as " + status);
    }

    @Override
    public void uploadArtifact(TrackedRun run, String path, byte[] content) {
        HttpRequest request = authorized(HttpRequest.newBuilder(artifactUri(run, path)))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        send(request).require("uploading artifact '" + path + "' of run " + run.runId());
    }

    /** The artifact at {@code path} of {@code run}, read through the server's artifact proxy. */
    public byte[] downloadArtifact(TrackedRun run, String path) {
        HttpRequest request = authorized(HttpRequest.newBuilder(artifactUri(run, path))).timeout(REQUEST_TIMEOUT)
                .GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new TrackingException("downloading artifact '" + path + "' of run " + run.runId()
                        + " failed: HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while talking to " + base, e);
        }
    }

    /** A GET of a read-only REST route below {@code /api/2.0/mlflow/}, e.g. {@code runs/get}; for queries. */
    public JsonNode query(String route, Map<String, String> parameters) {
        return send(get(API + route, parameters)).require("GET " + route);
    }

    /**
     * Runs of {@code experimentId} matching the MLflow filter string {@code filter} (empty: all), sorted by
     * {@code orderBy} (e.g. {@code start_time DESC}), at most {@code maxResults}: the answer of {@code runs/search}.
     */
    public JsonNode searchRuns(String experimentId, String filter, String orderBy, int maxResults) {
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults);
        }
        ObjectNode body = json.createObjectNode().put("filter", filter == null ? "" : filter)
                .put("max_results", maxResults);
        body.putArray("experiment_ids").add(experimentId);
        if (orderBy != null && !orderBy.isBlank()) {
            body.putArray("order_by").add(orderBy);
        }
        return send(post(API + "runs/search", body)).require("searching runs of experiment " + experimentId
                + " with filter '" + filter + "'");
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

    private HttpRequest get(String route, Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.setEmptyValue("");
        parameters.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return authorized(HttpRequest.newBuilder(URI.create(base + route + query))).timeout(REQUEST_TIMEOUT).GET()
                .build();
    }

    private HttpRequest post(String route, JsonNode body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a request body as JSON", e);
        }
        return authorized(HttpRequest.newBuilder(URI.create(base + route))).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                String text = response.body();
                body = text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
            } catch (IOException notJson) {
                body = json.createObjectNode().put("message", abbreviate(response.body()));
            }
            return new Response(response.statusCode(), body, request.method() + " " + request.uri().getPath());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("interrupted while talking to " + base, e);
        }
    }

    private TrackingException unreachable(IOException e) {
        return new TrackingUnavailableException("MLflow tracking server " + base + " is unreachable: " + e, e);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    @Override
    public String toString() {
        return "MlflowRestStore[" + base + (authorization == null ? "" : ", with credentials") + "]";
    }

    private record Response(int status, JsonNode body, String call) {

        boolean ok() {
            return status / 100 == 2;
        }

        boolean isErrorCode(String code) {
            return code.equals(body.path("error_code").asText());
        }

        JsonNode require(String what) {
            if (!ok()) {
                throw failure(what);
            }
            return body;
        }

        TrackingException failure(String what) {
            String code = body.path("error_code").asText("");
            String message = body.path("message").asText("");
            String text = what + " failed: " + call + " answered HTTP " + status
                    + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + abbreviate(message));
            // A server that is overloaded or restarting answers 429 or 5xx: worth retrying, unlike a 4xx.
            return status == 429 || status / 100 == 5 ? new TrackingUnavailableException(text)
                    : new TrackingException(text);
        }
    }
}
