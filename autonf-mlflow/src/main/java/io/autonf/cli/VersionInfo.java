package io.autonf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The AutoNF version, written into a resource by the build. */
final class VersionInfo {

    private VersionInfo() {
    }

    static String version() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
