package io.autonf.cost;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a cost table was measured on. Two tables are comparable only when every field agrees: a different CPU,
 * core count, JVM build or vector width changes the timings.
 *
 * @param cpuModel    the CPU's model name ({@code /proc/cpuinfo}), or {@code "unknown"}
 * @param cores       processors available to the JVM
 * @param jvmVendor   {@code java.vendor}
 * @param jvmVersion  the full runtime version, e.g. {@code 25+36-LTS}
 * @param os          {@code os.name}
 * @param arch        {@code os.arch}
 * @param vectorLanes fp32 lanes of the Vector API's preferred species (the width the kernels run at)
 */
public record Hardware(String cpuModel, int cores, String jvmVendor, String jvmVersion, String os, String arch,
                       int vectorLanes) {

    public static final String UNKNOWN = "unknown";

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    public Hardware {
        cpuModel = requireText(cpuModel, "CPU model");
        jvmVendor = requireText(jvmVendor, "JVM vendor");
        jvmVersion = requireText(jvmVersion, "JVM version");
        os = requireText(os, "operating system");
        arch = requireText(arch, "architecture");
        if (cores < 1) {
            throw new IllegalArgumentException("hardware needs at least one core, got " + cores);
        }
        if (vectorLanes < 1) {
            throw new IllegalArgumentException("vector lanes must be positive, got " + vectorLanes);
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required (use \"" + UNKNOWN + "\" when it cannot be told)");
        }
        return value.trim();
    }

    /** The machine and JVM this code runs on. */
    public static Hardware current() {
        return new Hardware(cpuModel(CPU_INFO), Runtime.getRuntime().availableProcessors(),
                property("java.vendor"), Runtime.version().toString(), property("os.name"), property("os.arch"),
                FloatVector.SPECIES_PREFERRED.length());
    }

    /** The first {@code model name} line of a cpuinfo file (x86; ARM kernels may lack it), else {@link #UNKNOWN}. */
    static String cpuModel(Path cpuInfo) {
        try {
            if (!Files.isReadable(cpuInfo)) {
                return UNKNOWN;
            }
            List<String> lines = Files.readAllLines(cpuInfo);
            for (String key : new String[] {"model name", "Hardware", "cpu model", "Processor"}) {
                for (String line : lines) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(key)) {
                        String value = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                        if (!value.isEmpty()) {
                            return value;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable cpuinfo only makes the description less specific; it must not stop a measurement.
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? UNKNOWN : value;
    }

    /** One line for people, e.g. {@code Intel(R) Xeon(R) ... (2 cores), Eclipse Adoptium 25+36-LTS, Linux/amd64, 8 fp32 lanes}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%d core%s), %s %s, %s/%s, %d fp32 vector lanes", cpuModel, cores,
                cores == 1 ? "" : "s", jvmVendor, jvmVersion, os, arch, vectorLanes);
    }
}
