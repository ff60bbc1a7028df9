package io.autonf.mlflow;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MlflowServerStoreTest {

    @Test
    void tokenWinsOverUserAndPassword() {
        assertEquals("Bearer t0k", MlflowServerStore.authorizationHeader(Map.of("MLFLOW_TRACKING_TOKEN", "t0k",
                "MLFLOW_TRACKING_USERNAME", "u", "MLFLOW_TRACKING_PASSWORD", "p")));
        String basic = MlflowServerStore.authorizationHeader(Map.of("MLFLOW_TRACKING_USERNAME", "ann",
                "MLFLOW_TRACKING_PASSWORD", "s3cret"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("ann:s3cret".getBytes(StandardCharsets.UTF_8)), basic);
        assertNull(MlflowServerStore.authorizationHeader(Map.of()));
        assertEquals("t0k", MlflowServerStore.hostCredentials("http://h", Map.of("MLFLOW_TRACKING_TOKEN", "t0k",
                "MLFLOW_TRACKING_USERNAME", "u")).getToken());
        assertNull(MlflowServerStore.hostCredentials("http://h", Map.of("MLFLOW_TRACKING_TOKEN", "t0k",
                "MLFLOW_TRACKING_USERNAME", "u")).getUsername(), "the client would prefer basic over the token");
        assertEquals("ann", MlflowServerStore.hostCredentials("http://h", Map.of("MLFLOW_TRACKING_USERNAME", "ann",
                "MLFLOW_TRACKING_PASSWORD", "s3cret")).getUsername());
    }

    @Test
    void credentialsNeverAppearInItsDescription() {
        MlflowServerStore store = new MlflowServerStore(URI.create("http://127.0.0.1:1/"),
                Map.of("MLFLOW_TRACKING_TOKEN", "very-secret-token"));
        assertFalse(store.toString().contains("very-secret-token"), store.toString());
        assertTrue(store.toString().contains("with credentials"));
    }

    @Test
    void artifactPathGoesThroughTheProxy() {
        MlflowServerStore store = new MlflowServerStore(URI.create("http://127.0.0.1:5000/"), Map.of());
        TrackedRun run = new TrackedRun("abc", "3", "mlflow-artifacts:/3/abc/artifacts");
        assertEquals(URI.create("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/cost%20table/a.csv"),
                store.artifactUri(run, "cost table/a.csv"));
        TrackedRun hosted = new TrackedRun("abc", "3", "mlflow-artifacts://otherhost:80/3/abc/artifacts");
        assertEquals(URI.create("http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/x.json"),
                store.artifactUri(hosted, "x.json"));
        assertThrows(IllegalArgumentException.class, () -> store.artifactUri(run, "../escape"));
        TrackedRun local = new TrackedRun("abc", "3", "file:///tmp/mlruns/3/abc/artifacts");
        TrackingException e = assertThrows(TrackingException.class, () -> store.artifactUri(local, "x.json"));
        assertTrue(e.getMessage().contains("--serve-artifacts"), e.getMessage());
    }

    @Test
    void unreachableServerFailsWithAClearErrorQuickly() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port);
        long start = System.nanoTime();
        TrackingUnavailableException e = assertThrows(TrackingUnavailableException.class,
                () -> MlflowServerStore.connect(closed, Map.of("MLFLOW_TRACKING_TOKEN", "very-secret-token")));
        assertTrue(System.nanoTime() - start < 3_000_000_000L, "a closed port fails at once");
        assertTrue(e.getMessage().contains("MLflow tracking server " + closed + " is unreachable"), e.getMessage());
        assertFalse(e.getMessage().contains("very-secret-token"), e.getMessage());

        // The client's own calls (no probe) map the connection failure the same way, naming the call.
        MlflowServerStore store = new MlflowServerStore(closed, Map.of());
        e = assertThrows(TrackingUnavailableException.class, () -> store.experimentId("x"));
        assertTrue(e.getMessage().contains("unreachable while looking up experiment 'x'"), e.getMessage());
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsWithinTheTimeouts() throws IOException {
        // The kernel completes the handshake for the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            long start = System.nanoTime();
            TrackingUnavailableException probe = assertThrows(TrackingUnavailableException.class,
                    () -> MlflowServerStore.connect(uri, Map.of()));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= MlflowServerStore.PROBE_TIMEOUT.toSeconds() - 0.5 && seconds < 8, "probe took " + seconds);
            assertTrue(probe.getMessage().contains("no answer to GET /health within 5 s"), probe.getMessage());

            // The MLflow client alone would wait forever: it was given a read timeout.
            MlflowServerStore store = new MlflowServerStore(uri, Map.of(), Duration.ofSeconds(1));
            start = System.nanoTime();
            TrackingUnavailableException call = assertThrows(TrackingUnavailableException.class,
                    () -> store.finishRun("0123456789abcdef0123456789abcdef", RunStatus.FINISHED, 1L));
            seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 4, "the call took " + seconds);
            assertTrue(call.getMessage().contains("while ending run"), call.getMessage());
        }
    }

    @Test
    void answersMapToRetryableOrNotAndCredentialsAreSentButNeverShown() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            if (path.endsWith("/health")) {
                status = 200;
                body = "OK";
            } else if (path.endsWith("/runs/update")) {
                status = 503;
                body = "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"restarting\"}";
            } else {
                status = 400;
                body = "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad filter\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            MlflowServerStore store = MlflowServerStore.connect(uri, Map.of("MLFLOW_TRACKING_TOKEN", "very-secret-token"));
            TrackingException unavailable = assertThrows(TrackingUnavailableException.class,
                    () -> store.finishRun("0123456789abcdef0123456789abcdef", RunStatus.FAILED, 5L));
            assertTrue(unavailable.getMessage().contains("ending run 0123456789abcdef0123456789abcdef as FAILED failed: "
                    + uri + " answered HTTP 503 TEMPORARILY_UNAVAILABLE: restarting"), unavailable.getMessage());
            TrackingException refused = assertThrows(TrackingException.class,
                    () -> store.searchRuns("1", "metrics.x <<< 1", null, 5));
            assertFalse(refused instanceof TrackingUnavailableException, "a 4xx is not worth retrying");
            assertTrue(refused.getMessage().contains("HTTP 400 INVALID_PARAMETER_VALUE: bad filter"), refused.getMessage());
            assertTrue(refused.getMessage().contains("with filter 'metrics.x <<< 1'"), refused.getMessage());
            for (TrackingException e : List.of(unavailable, refused)) {
                assertFalse(e.getMessage().contains("very-secret-token"), e.getMessage());
            }
            assertTrue(authorizations.size() >= 3, authorizations.toString());
            assertTrue(authorizations.stream().allMatch("Bearer very-secret-token"::equals), authorizations.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onlyHttpUrisAreServers() {
        assertThrows(IllegalArgumentException.class, () -> new MlflowServerStore(URI.create("file:///tmp/x"), Map.of()));
    }
}
