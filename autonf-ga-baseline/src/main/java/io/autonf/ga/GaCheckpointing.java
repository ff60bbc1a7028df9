package io.autonf.ga;

import java.util.function.Consumer;

/**
 * How a GA run checkpoints and whether it resumes: what the command line hands to {@link GaPipeline} and
 * {@link GaSearch#run(GaListener, GaCheckpointing)}.
 *
 * @param every      generations between checkpoints (0 with a null sink: none)
 * @param sink       takes each {@link GaCheckpoint} (e.g. writes it with {@link GaCheckpoint#write}); null for none
 * @param resumeFrom the checkpoint of an interrupted run to go on from, or null to start afresh
 */
public record GaCheckpointing(int every, Consumer<GaCheckpoint> sink, GaCheckpoint resumeFrom) {

    /** No checkpoints, a fresh run. */
    public static final GaCheckpointing NONE = new GaCheckpointing(0, null, null);

    public GaCheckpointing {
        if ((sink == null) != (every == 0) || every < 0) {
            throw new IllegalArgumentException("checkpoints need an interval of at least 1 generation and a sink "
                    + "(or 0 and none), got " + every + " and " + sink);
        }
    }

    /** A checkpoint to {@code sink} every {@code every} generations and after the last. */
    public static GaCheckpointing every(int every, Consumer<GaCheckpoint> sink) {
        return new GaCheckpointing(every, sink, null);
    }

    /** The same checkpoints, going on from {@code checkpoint}. */
    public GaCheckpointing resumingFrom(GaCheckpoint checkpoint) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("a checkpoint to resume from is required");
        }
        return new GaCheckpointing(every, sink, checkpoint);
    }
}
