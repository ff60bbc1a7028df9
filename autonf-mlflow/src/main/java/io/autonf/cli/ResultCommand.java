package io.autonf.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that ends with a result: its fields are printed on stdout, as one JSON object with {@code --json};
 * anything the command logs goes to stderr.
 */
abstract class ResultCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the result as one JSON object on stdout (logs stay on stderr).")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    /**
     * Does the work and returns the result fields in the order they are printed; throws on failure (an
     * {@link IllegalArgumentException} means bad input).
     *
     * @param log where progress goes (stderr)
     */
    protected abstract Map<String, Object> execute(PrintWriter log) throws Exception;

    /** The result for people (without {@code --json}); by default one aligned {@code name value} line per field. */
    protected String text(Map<String, Object> result) {
        return Results.text(result);
    }

    @Override
    public final Integer call() throws Exception {
        Map<String, Object> result = execute(spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Results.printJson(out, spec.name(), result);
        } else {
            out.print(text(result));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
