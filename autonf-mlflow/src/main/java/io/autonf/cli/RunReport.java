package io.autonf.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The short report of a run, {@code report.md} and {@code report.html}: headed sections of name/value pairs and
 * tables, and a chart (a search's α trajectories, a GA run's fitness per generation; linked from the markdown,
 * embedded in the HTML so that the MLflow artifact viewer shows it without a second file).
 * Built section by section, rendered twice from the same content.
 */
final class RunReport {

    static final String MARKDOWN_FILE = "report.md";
    static final String HTML_FILE = "report.html";

    private sealed interface Section permits Pairs, Table {
    }

    private record Pairs(String heading, Map<String, String> values) implements Section {
    }

    private record Table(String heading, List<String> header, List<List<String>> rows) implements Section {
    }

    private final String title;
    private final List<Section> sections = new ArrayList<>();
    private String chartFile;
    private byte[] chartPng;
    private String chartHeading = "α trajectories";
    private String chartAlt = "softmax(α) per layer";

    RunReport(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a report needs a title");
        }
        this.title = title;
    }

    /** A section of name/value lines; nested maps are flattened with dotted names, lists joined with commas. */
    RunReport pairs(String heading, Map<String, ?> values) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", values, flat);
        sections.add(new Pairs(heading, flat));
        return this;
    }

    /** A table; every row has as many cells as the header. */
    RunReport table(String heading, List<String> header, List<List<String>> rows) {
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table '" + heading + "' has " + header.size() + " columns but a row of "
                        + row.size() + ": " + row);
            }
        }
        sections.add(new Table(heading, List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    /** The α chart: artifact {@code file} (linked from the markdown) holding {@code png} (embedded in the HTML). */
    RunReport chart(String file, byte[] png) {
        return chart(file, png, "α trajectories", "softmax(α) per layer");
    }

    /**
     * A chart under its own {@code heading} (a GA run's fitness per generation), with {@code alt} as its
     * description; otherwise as {@link #chart(String, byte[])}.
     */
    RunReport chart(String file, byte[] png, String heading, String alt) {
        if (heading == null || heading.isBlank() || alt == null) {
            throw new IllegalArgumentException("a chart needs a heading and a description");
        }
        this.chartFile = file;
        this.chartPng = png == null ? null : png.clone();
        this.chartHeading = heading;
        this.chartAlt = alt;
        return this;
    }

    String markdown() {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        for (Section s : sections) {
            switch (s) {
                case Pairs p -> {
                    b.append("## ").append(p.heading()).append("\n\n| name | value |\n|---|---|\n");
                    p.values().forEach((k, v) -> b.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n"));
                }
                case Table t -> {
                    b.append("## ").append(t.heading()).append("\n\n|");
                    t.header().forEach(h -> b.append(' ').append(cell(h)).append(" |"));
                    b.append("\n|");
                    t.header().forEach(h -> b.append("---|"));
                    b.append('\n');
                    for (List<String> row : t.rows()) {
                        b.append('|');
                        row.forEach(c -> b.append(' ').append(cell(c)).append(" |"));
                        b.append('\n');
                    }
                }
            }
            b.append('\n');
        }
        if (chartFile != null) {
            b.append("## ").append(chartHeading).append("\n\n![").append(chartAlt).append("](").append(chartFile)
                    .append(")\n");
        }
        return b.toString();
    }

    String html() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:70em;margin:1em auto}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                        + "img{max-width:100%}</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (Section s : sections) {
            switch (s) {
                case Pairs p -> {
                    b.append("<h2>").append(escape(p.heading())).append("</h2>\n<table>\n");
                    p.values().forEach((k, v) -> b.append("<tr><th>").append(escape(k)).append("</th><td>")
                            .append(escape(v)).append("</td></tr>\n"));
                    b.append("</table>\n");
                }
                case Table t -> {
                    b.append("<h2>").append(escape(t.heading())).append("</h2>\n<table>\n<tr>");
                    t.header().forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
                    b.append("</tr>\n");
                    for (List<String> row : t.rows()) {
                        b.append("<tr>");
                        row.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
                        b.append("</tr>\n");
                    }
                    b.append("</table>\n");
                }
            }
        }
        if (chartFile != null) {
            b.append("<h2>").append(escape(chartHeading)).append("</h2>\n<p><a href=\"").append(escape(chartFile))
                    .append("\">")
                    .append(escape(chartFile)).append("</a></p>\n");
            if (chartPng != null) {
                b.append("<img alt=\"").append(escape(chartAlt)).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(chartPng)).append("\">\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    byte[] markdownBytes() {
        return markdown().getBytes(StandardCharsets.UTF_8);
    }

    byte[] htmlBytes() {
        return html().getBytes(StandardCharsets.UTF_8);
    }

    /** A number as people read it: 4 significant digits, integers as integers. */
    static String number(Object value) {
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return String.valueOf(d);
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        if (value instanceof Float f) {
            return number(f.doubleValue());
        }
        return String.valueOf(value);
    }

    private static void flatten(String prefix, Map<String, ?> values, Map<String, String> into) {
        values.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) nested;
                flatten(prefix + k + ".", typed, into);
            } else if (v instanceof List<?> list) {
                into.put(prefix + k, String.join(",", list.stream().map(RunReport::number).toList()));
            } else {
                into.put(prefix + k, number(v));
            }
        });
    }

    /** A markdown table cell: pipes escaped, line breaks flattened. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
