/**
 * The {@code autonf} command line ({@link io.autonf.cli.AutoNf}, picocli).
 *
 * <p>Conventions every command follows: with {@code --json} the final result is printed as exactly one JSON
 * object on stdout ({@code "status": "ok"} or {@code "status": "error"}); progress and logs always go to stderr.
 * Exit codes: {@value io.autonf.cli.ExitCodes#OK} success, {@value io.autonf.cli.ExitCodes#RUN_FAILED} the run
 * failed, {@value io.autonf.cli.ExitCodes#BAD_INPUT} bad input (unknown options or values, unreadable data or
 * model files).
 */
package io.autonf.cli;
