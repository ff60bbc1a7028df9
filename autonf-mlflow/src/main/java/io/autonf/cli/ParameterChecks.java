package io.autonf.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.function.Supplier;

/**
 * Turns the {@link IllegalArgumentException} with which the library rejects a value into picocli's bad-input
 * error, naming the option when one option is at fault, so that every command reports bad values alike (exit 2,
 * the library's message).
 */
final class ParameterChecks {

    private ParameterChecks() {
    }

    /** Builds something from the value of option {@code name}; a rejected value is that option's error. */
    static <T> T option(CommandLine command, String name, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, "Invalid value for option '" + name + "': " + e.getMessage());
        }
    }

    /** Builds something from several options; a rejection is reported as invalid options. */
    static <T> T settings(CommandLine command, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, "Invalid options: " + e.getMessage());
        }
    }
}
