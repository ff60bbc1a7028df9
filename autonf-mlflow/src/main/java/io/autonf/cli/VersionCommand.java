package io.autonf.cli;

import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code autonf version}: the versions of AutoNF (and the commit it was built from) and of the Java runtime, and whether the Vector API is on. */
@Command(name = "version", description = "Show the AutoNF and Java versions.")
final class VersionCommand extends ResultCommand {

    @Override
    protected Map<String, Object> execute(PrintWriter log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VersionInfo.version());
        m.put("git_commit", VersionInfo.gitCommit());
        m.put("java", Runtime.version().toString());
        m.put("vector_api", VersionInfo.vectorApiAvailable());
        m.put("processors", Runtime.getRuntime().availableProcessors());
        return m;
    }
}
