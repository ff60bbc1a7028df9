package io.autonf.mlflow;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real {@code mlflow server} on 127.0.0.1 (sqlite backend and proxied artifacts in a test directory) for
 * integration tests. Needs the {@code mlflow} executable on PATH: without it the calling test is skipped
 * locally, and fails when the environment variable {@code CI} is set.
 */
public final class MlflowTestServer implements AutoCloseable {

    private final ProcessBuilder builder;
    private final Path log;
    private final URI uri;
    private Process process;

    private MlflowTestServer(ProcessBuilder builder, Path log, URI uri) {
        this.builder = builder;
        this.log = log;
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }

    /** Starts a server storing in {@code dir} and waits until it answers {@code /health}. */
    public static MlflowTestServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(), Map.of());
    }

    /**
     * Starts a server on {@code backendStoreUri} (a sqlite URI or a file-store directory), logging to and keeping
     * proxied artifacts in {@code dir}, with {@code environment} added to its environment.
     */
    public static MlflowTestServer start(Path dir, String backendStoreUri, Map<String, String> environment)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return start(dir, backendStoreUri, environment, port);
    }

    /** Like {@link #start(Path, String, Map)}, on {@code port} (e.g. one a test keeps down until later). */
    public static MlflowTestServer start(Path dir, String backendStoreUri, Map<String, String> environment, int port)
            throws IOException, InterruptedException {
        MlflowTestServer server = prepare(dir, backendStoreUri, environment, port);
        server.restart();
        return server;
    }

    /** A server configured like {@link #start(Path, String, Map, int)} but not started: {@link #restart()} starts it. */
    public static MlflowTestServer prepare(Path dir, String backendStoreUri, Map<String, String> environment, int port)
            throws IOException {
        Path executable = mlflowExecutable();
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "server", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--workers", "1",
                "--backend-store-uri", backendStoreUri,
                "--artifacts-destination", dir.resolve("artifacts").toAbsolutePath().toString())
                .redirectErrorStream(true);
        builder.environment().remove("MLFLOW_TRACKING_URI");
        builder.environment().putAll(environment);
        return new MlflowTestServer(builder, dir.resolve("server.log"), URI.create("http://127.0.0.1:" + port));
    }

    /**
     * Starts the server (again, after {@link #stop()}) on the same port, store and artifact directory, and waits
     * until it answers {@code /health}.
     */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
        process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("mlflow server exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // The server is still starting.
            }
            Thread.sleep(250);
        }
        stop();
        fail("mlflow server did not answer /health within 120 s:\n" + tail(log));
    }

    /** Stops the server and every process it started (the store and artifacts stay for {@link #restart()}). */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        // The executable may be a launcher (e.g. a pyenv shim) whose children are the real server.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception stillAlive) {
                child.destroyForcibly();
            }
        }
        process = null;
    }

    /** Stops the server and every process it started. */
    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * The {@code mlflow} executable on PATH; without it the calling test is skipped, or fails when {@code CI} is
     * set.
     */
    public static Path mlflowExecutable() {
        Path executable = findOnPath("mlflow");
        if (executable == null) {
            String message = "the mlflow executable is not on PATH; install it with "
                    + "'python3 -m pip install mlflow==3.17.2' to run this integration test";
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                fail(message + " (CI is set, so the test fails instead of skipping)");
            }
            Assumptions.abort(message);
        }
        return executable;
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
