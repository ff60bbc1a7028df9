package io.autonf.cli;

import io.autonf.data.Dataset;
import io.autonf.data.Datasets;
import io.autonf.flow.Layers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code autonf} command line. See the package documentation for the output and exit-code conventions.
 */
@Command(name = "autonf", description = "Design, train and track normalizing flows.",
        footer = "Run 'autonf COMMAND --help' for a command's options.")
public final class AutoNf extends ResultCommand {

    @Option(names = {"-V", "--version"}, description = "Print the version and exit.")
    boolean version;

    public static void main(String[] args) {
        // Only results belong on stdout; anything a library prints there goes to stderr with the logs.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        System.exit(run(args, stdout, System.err, availableCommands()));
    }

    /** The commands of the shipped tool, wired to the real layer factory and data-set loader. */
    static List<Object> availableCommands() {
        DatasetLoader datasets = (spec, seed) -> {
            Dataset d = Datasets.load(spec, seed);
            return new TrainingData(d.name(), d.train(), d.validation(), d.test());
        };
        return List.of(new TrainCommand(Layers::flow, datasets), new SearchCommand(datasets), new GaCommand(datasets),
                new Fig3Command(datasets), new StudyCommand(datasets),
                new EvaluateCommand(Layers::flow, datasets),
                new CostModelCommand(datasets), new MetricsCommand(), new CompareCommand(System.getenv()),
                new RunsCommand(System.getenv()), new SyncCommand(),
                new BenchCommand(), new VersionCommand(), new InfoCommand());
    }

    /** Runs one command line; returns the process exit code. Never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err, List<?> subcommands) {
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cli = commandLine(subcommands);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        boolean json = Arrays.asList(args).contains("--json");
        cli.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            CommandLine failed = e.getCommandLine();
            String command = failed.getCommandSpec().qualifiedName(" ");
            errWriter.println(command + ": " + e.getMessage());
            if (!UnmatchedArgumentException.printSuggestions(e, errWriter)) {
                errWriter.println("Run '" + command + " --help' for the options.");
            }
            errWriter.flush();
            if (json) {
                Results.printError(outWriter, failed.getCommandName(), ExitCodes.BAD_INPUT, e.getMessage());
            }
            return ExitCodes.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((Exception e, CommandLine failed, CommandLine.ParseResult parsed) -> {
            int code = ExitCodes.of(e);
            String command = failed.getCommandSpec().qualifiedName(" ");
            errWriter.println(command + ": " + (code == ExitCodes.BAD_INPUT ? "" : "failed: ") + message(e));
            if (code != ExitCodes.BAD_INPUT && !(e instanceof java.io.IOException)
                    && !(e instanceof io.autonf.train.TrainingDivergedException)
                    && !(e instanceof io.autonf.mlflow.TrackingException)) {
                // Not the user's fault and not an expected failure: the trace is what a bug report needs.
                e.printStackTrace(errWriter);
            }
            errWriter.flush();
            if (json) {
                Results.printError(outWriter, failed.getCommandName(), code, message(e));
            }
            return code;
        });
        int code = cli.execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    static CommandLine commandLine(List<?> subcommands) {
        CommandLine cli = new CommandLine(new AutoNf());
        for (Object sub : subcommands) {
            cli.addSubcommand(sub);
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        return cli;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    protected Map<String, Object> execute(PrintWriter log) {
        if (!version) {
            throw new ParameterException(spec.commandLine(), "Missing command; one of: "
                    + String.join(", ", spec.subcommands().keySet()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VersionInfo.version());
        return m;
    }

    @Override
    protected String text(Map<String, Object> result) {
        return "autonf " + result.get("version") + System.lineSeparator();
    }
}
