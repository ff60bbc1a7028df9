package io.autonf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The AutoNF version and the git commit it was built from, written into a resource by the build. */
final class VersionInfo {

    static final String UNKNOWN = "unknown";

    private VersionInfo() {
    }

    static String version() {
        return property("version");
    }

    /**
     * The full commit id the jar was built from, with {@code -dirty} appended when the checkout had uncommitted
     * changes; {@value #UNKNOWN} for a build outside a git checkout (e.g. from a tarball).
     */
    static String gitCommit() {
        String commit = property("git.commit");
        if (UNKNOWN.equals(commit)) {
            return UNKNOWN;
        }
        return "true".equals(property("git.dirty")) ? commit + "-dirty" : commit;
    }

    /** A property of version.properties, or {@value #UNKNOWN} when missing or left unfiltered by the build. */
    private static String property(String key) {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String value = p.getProperty(key, "").trim();
            // An unset Maven property stays as its ${...} placeholder.
            return value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
