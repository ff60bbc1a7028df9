package io.autonf.mlflow;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

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
    void unreachableServerFailsWithAClearErrorQuickly() {
        // Port 1 on the loopback refuses connections at once.
        MlflowServerStore store = new MlflowServerStore(URI.create("http://127.0.0.1:1"), Map.of());
        long start = System.nanoTime();
        TrackingException e = assertThrows(TrackingException.class, () -> store.experimentId("x"));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void onlyHttpUrisAreServers() {
        assertThrows(IllegalArgumentException.class, () -> new MlflowServerStore(URI.create("file:///tmp/x"), Map.of()));
    }
}
