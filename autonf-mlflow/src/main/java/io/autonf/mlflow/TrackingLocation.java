package io.autonf.mlflow;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where runs are tracked, as a user writes it: an MLflow tracking server ({@code http(s)://host[:port]}) or a local
 * file store ({@code file:DIR} or a plain {@code DIR}). The one place that reads {@code --tracking-uri} and
 * {@code MLFLOW_TRACKING_URI}, so the tracking commands and the reading ones ({@code runs}, {@code compare})
 * resolve them alike.
 */
public sealed interface TrackingLocation {

    String ENVIRONMENT_VARIABLE = "MLFLOW_TRACKING_URI";

    /** The local file store under {@code root} ({@link LocalFileStore}). */
    record LocalStore(Path root) implements TrackingLocation {
        public LocalStore {
            Objects.requireNonNull(root, "root");
        }

        @Override
        public RunQueries openQueries(Map<String, String> environment) {
            return LocalFileStore.openExisting(root);
        }
    }

    /** The tracking server at {@code uri} ({@link MlflowServerStore}). */
    record Server(URI uri) implements TrackingLocation {
        public Server {
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public RunQueries openQueries(Map<String, String> environment) {
            return MlflowServerStore.connect(uri, environment);
        }
    }

    /**
     * The location written {@code text}.
     *
     * @throws IllegalArgumentException naming {@code text} and why it is neither a server nor a local store
     *                                  (e.g. {@code sqlite:///mlflow.db}, which only Python MLflow can write)
     */
    static TrackingLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty tracking URI");
        }
        String trimmed = text.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URI: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null) {
            return new LocalStore(Path.of(trimmed));
        }
        if ("file".equals(uri.getScheme())) {
            return new LocalStore(uri.getPath() != null && !uri.getPath().isEmpty() ? Path.of(uri.getPath())
                    : Path.of(uri.getSchemeSpecificPart()));
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is neither an http(s)://host URI of a tracking server "
                    + "nor a local store (file:DIR or DIR)");
        }
        return new Server(uri);
    }

    /**
     * {@code option} when given, else {@code $MLFLOW_TRACKING_URI} from {@code environment}, else the local store
     * {@link LocalFileStore#DEFAULT_ROOT}.
     *
     * @throws IllegalArgumentException when the chosen text is not a location, naming where it came from
     */
    static TrackingLocation resolve(String option, Map<String, String> environment) {
        boolean fromOption = option != null;
        String text = fromOption ? option : environment.get(ENVIRONMENT_VARIABLE);
        if (text == null || text.isBlank()) {
            if (fromOption) {
                throw new IllegalArgumentException("--tracking-uri is empty");
            }
            return new LocalStore(LocalFileStore.DEFAULT_ROOT);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((fromOption ? "--tracking-uri " : "$" + ENVIRONMENT_VARIABLE + " ")
                    + e.getMessage(), e);
        }
    }

    /**
     * Opens the runs at this location for reading: a server must answer within seconds
     * ({@link TrackingUnavailableException} otherwise), a local store must exist ({@link IllegalArgumentException}
     * otherwise). {@code environment} gives a server's credentials.
     */
    RunQueries openQueries(Map<String, String> environment);
}
