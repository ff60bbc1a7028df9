package io.autonf.cli;

import io.autonf.search.SearchCheckpoint;
import io.autonf.train.RollbackPolicy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checkpoint, resume and rollback options of the long commands (a picocli mixin).
 *
 * <p>A checkpoint goes to two places: the file {@value SearchCheckpoint#FILE_NAME} in {@code --out} when given
 * (written atomically), and the run's artifact {@value #ARTIFACT} (replaced each time), so that a run can be
 * resumed from the tracking store alone. {@code --resume RUN_ID} reopens that run and reads its checkpoint back:
 * from the artifact, else from {@code --out}.
 */
final class ResumeOptions {

    /** The run artifact holding the latest checkpoint. */
    static final String ARTIFACT = "checkpoints/latest";
    static final int DEFAULT_CHECKPOINT_EVERY = 100;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Save a checkpoint every N steps to --out "
            + "and the run's artifact " + ARTIFACT + "; 0 = never. Steps are θ/α step pairs for search (default "
            + DEFAULT_CHECKPOINT_EVERY + ", and one when the search ends), generations for ga (default 1); study "
            + "saves one after every finished method unless 0.")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "RUN_ID", description = "Continue this killed or failed run, in the "
            + "same MLflow run, from its last checkpoint; give the same options as the first time.")
    String resume;

    @Option(names = "--max-rollbacks", paramLabel = "N", description = "A NaN or infinite loss undoes the step and "
            + "halves the learning rates, at most N times; then the run fails (default: ${DEFAULT-VALUE}).")
    int maxRollbacks = RollbackPolicy.DEFAULT_MAX_ROLLBACKS;

    /** Checks the values; call before any work. */
    void validate(CommandSpec spec) {
        if (checkpointEvery != null && checkpointEvery < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--checkpoint-every': "
                    + checkpointEvery + " is negative (0 turns checkpoints off)");
        }
        if (maxRollbacks < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--max-rollbacks': "
                    + maxRollbacks + " is negative");
        }
        if (resume != null && !resume.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--resume': '" + resume
                    + "' is not a run id");
        }
    }

    /** {@code --checkpoint-every}, or the command's own default when it is not given. */
    int checkpointEvery(int commandDefault) {
        return checkpointEvery == null ? commandDefault : checkpointEvery;
    }

    RollbackPolicy rollback() {
        return new RollbackPolicy(maxRollbacks, RollbackPolicy.DEFAULT_LEARNING_RATE_FACTOR);
    }

    /**
     * Saves {@code bytes} as the latest checkpoint: atomically as {@code dir/<fileName>} when {@code dir} is not
     * null, and as the run's artifact {@value #ARTIFACT}.
     */
    static void save(byte[] bytes, Path dir, String fileName, RunScope tracking) {
        try {
            if (dir != null) {
                Path file = dir.resolve(fileName);
                Path temp = Files.createTempFile(dir, fileName, ".tmp");
                try {
                    Files.write(temp, bytes);
                    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            tracking.artifact(ARTIFACT, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save the checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint of the resumed run: its artifact {@value #ARTIFACT}, else {@code dir/<fileName>}; empty
     * when this invocation does not resume.
     *
     * @throws IllegalArgumentException when the run is resumed but has no checkpoint anywhere
     */
    Optional<byte[]> load(RunScope tracking, Path dir, String fileName, PrintWriter log) throws IOException {
        if (resume == null) {
            return Optional.empty();
        }
        Optional<byte[]> artifact = tracking.findArtifact(ARTIFACT);
        if (artifact.isPresent()) {
            log.println("resuming run " + resume + " from its checkpoint artifact " + ARTIFACT);
            log.flush();
            return artifact;
        }
        if (dir != null && Files.isRegularFile(dir.resolve(fileName))) {
            log.println("resuming run " + resume + " from " + dir.resolve(fileName));
            log.flush();
            return Optional.of(Files.readAllBytes(dir.resolve(fileName)));
        }
        throw new IllegalArgumentException("run " + resume + " has no checkpoint to resume from: no artifact "
                + ARTIFACT + (dir == null ? "" : " and no " + dir.resolve(fileName)) + " (was it started with "
                + "--checkpoint-every 0, or killed before its first checkpoint?)");
    }
}
