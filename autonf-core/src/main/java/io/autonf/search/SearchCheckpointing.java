package io.autonf.search;

import io.autonf.train.RollbackPolicy;

import java.util.function.Consumer;

/**
 * How a search keeps its progress: every {@code every} steps (0: never) it hands a {@link SearchProgress} to
 * {@code sink} (which typically writes a {@link SearchCheckpoint}), and a non-finite step is rolled back as
 * {@code rollback} allows.
 */
public record SearchCheckpointing(int every, Consumer<SearchProgress> sink, RollbackPolicy rollback) {

    /** No checkpoints, no rollback: the first non-finite step fails the search. */
    public static final SearchCheckpointing NONE = new SearchCheckpointing(0, progress -> { }, RollbackPolicy.NONE);

    public SearchCheckpointing {
        if (every < 0) {
            throw new IllegalArgumentException("the checkpoint interval must be zero (off) or a number of steps, got "
                    + every);
        }
        if (sink == null || rollback == null) {
            throw new IllegalArgumentException("checkpointing needs a sink and a rollback policy");
        }
    }

    /** Rollbacks as {@code policy} says, no checkpoints. */
    public static SearchCheckpointing rollbackOnly(RollbackPolicy policy) {
        return new SearchCheckpointing(0, progress -> { }, policy);
    }
}
