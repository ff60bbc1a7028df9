package io.autonf.cli;

import io.autonf.mlflow.MlflowServerStore;
import io.autonf.mlflow.SpoolingStore;
import io.autonf.mlflow.TrackingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code autonf sync}: sends the tracking journals that commands left behind when their server stayed unreachable
 * (see {@link SpoolingStore}) to the server each names, in order, without duplicating what already arrived;
 * a journal that drains is deleted. Exit 0 when everything arrived, 1 when values are still waiting (the journals
 * stay for another try), 2 for a path that is no journal.
 */
@Command(name = "sync", sortOptions = false,
        description = "Send tracking values kept in spool journals (left when the MLflow server was unreachable).")
final class SyncCommand extends ResultCommand {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Journal files (*.jsonl) or spool directories (default: .autonf/spool).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Send to this server instead of the one each journal names (e.g. the server moved).")
    URI trackingUri;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up on a journal after this long without draining it (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    protected Map<String, Object> execute(PrintWriter log) {
        if (waitSeconds < 0) {
            throw new IllegalArgumentException("--wait must not be negative, got " + waitSeconds);
        }
        List<Path> roots = paths.isEmpty() ? List.of(TrackingOptions.DEFAULT_SPOOL_DIR) : paths;
        List<Path> journals = new ArrayList<>();
        for (Path root : roots) {
            if (paths.isEmpty() && !Files.exists(root)) {
                continue;
            }
            journals.addAll(SpoolingStore.journals(root));
        }
        int sent = 0;
        int unsent = 0;
        int rejected = 0;
        List<String> left = new ArrayList<>();
        for (Path journal : journals) {
            URI uri = trackingUri != null ? trackingUri : SpoolingStore.trackingUriOf(journal);
            MlflowServerStore server = MlflowServerStore.fromEnvironment(uri);
            SpoolingStore store = SpoolingStore.resume(server, journal, SpoolingStore.Settings.DEFAULT,
                    new SplittableRandom(), TrackingOptions.runFinder(server), log);
            SpoolingStore.Drain drain = store.drain(Duration.ofSeconds(waitSeconds));
            drain.rejected().forEach(reason -> log.println("sync: refused by " + uri + ": " + reason));
            log.println("sync: " + journal + ": " + drain.sent() + " sent, " + drain.unsent() + " still waiting, "
                    + drain.rejected().size() + " refused" + (drain.journal() == null ? "; removed" : "; kept"));
            log.flush();
            sent += drain.sent();
            unsent += drain.unsent();
            rejected += drain.rejected().size();
            if (drain.unsent() > 0) {
                left.add(journal.toString());
            }
        }
        if (unsent > 0) {
            throw new TrackingException(unsent + " tracking record(s) could not be sent; still kept in "
                    + String.join(", ", left) + "; run autonf sync again when the server answers");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("journals", journals.size());
        result.put("sent", sent);
        result.put("refused", rejected);
        return result;
    }
}
