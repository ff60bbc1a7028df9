package io.autonf.cli;

import io.autonf.data.DataException;

/** Process exit codes of the {@code autonf} command. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The run itself failed: training diverged, a file could not be written, an internal error. */
    public static final int RUN_FAILED = 1;
    /** The user's input is wrong: unknown option or value, unreadable data or model file. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }

    /**
     * The exit code for an exception that ended a command: input problems are {@link #BAD_INPUT}, anything
     * else is {@link #RUN_FAILED}. Bad data files ({@link DataException}) are input problems.
     */
    public static int of(Throwable failure) {
        if (failure instanceof IllegalArgumentException || failure instanceof DataException) {
            return BAD_INPUT;
        }
        return RUN_FAILED;
    }
}
