package io.autonf.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Formats a command's final result: one JSON object, or aligned {@code name value} lines for people. */
final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Results() {
    }

    /** One line: {@code {"status": "ok", "command": ..., <fields>}}. */
    static void printJson(PrintWriter out, String command, Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("status", "ok");
        all.put("command", command);
        all.putAll(fields);
        out.println(toJson(all));
        out.flush();
    }

    /** Aligned {@code name  value} lines, numbers rounded for reading. */
    static String text(Map<String, Object> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", e.getKey(), human(e.getValue())));
        }
        return b.toString();
    }

    static void printError(PrintWriter out, String command, int exitCode, String message) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("status", "error");
        all.put("command", command);
        all.put("exit_code", exitCode);
        all.put("error", message);
        out.println(toJson(all));
        out.flush();
    }

    static String toJson(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String human(Object value) {
        if (value instanceof Double d && Double.isFinite(d) && d != Math.rint(d)) {
            return Math.abs(d) >= 1e-3 && Math.abs(d) < 1e6
                    ? String.format(Locale.ROOT, "%.4f", d)
                    : String.format(Locale.ROOT, "%.4e", d);
        }
        return String.valueOf(value);
    }
}
