package io.autonf.mlflow;

import java.util.Comparator;
import java.util.Locale;

/**
 * The MLflow order clauses a store without a server sorts by: {@code [attributes.]start_time},
 * {@code [attributes.]end_time}, {@code [attributes.]run_name} or {@code metrics.<key>}, each optionally followed
 * by {@code ASC} or {@code DESC} (default ASC, as in MLflow). Runs without the value sort last either way; ties
 * go newest first, then by run id, so the order is total and repeatable.
 */
public final class RunOrder {

    /** What a listing sorts by when no order is given: newest first. */
    public static final String NEWEST_FIRST = "attributes.start_time DESC";

    private RunOrder() {
    }

    /** The comparator for {@code clause}; null or blank means {@link #NEWEST_FIRST}. */
    public static Comparator<RunRecord> parse(String clause) {
        String text = clause == null || clause.isBlank() ? NEWEST_FIRST : clause.strip();
        String[] parts = text.split("\\s+");
        if (parts.length > 2 || parts.length == 2 && !parts[1].equalsIgnoreCase("asc")
                && !parts[1].equalsIgnoreCase("desc")) {
            throw refuse(text, "expected <column> [ASC|DESC]");
        }
        boolean descending = parts.length == 2 && parts[1].equalsIgnoreCase("desc");
        String column = parts[0];
        String attribute = column.toLowerCase(Locale.ROOT).startsWith("attributes.")
                ? column.substring("attributes.".length()) : column;
        Comparator<RunRecord> primary;
        if (column.startsWith("metrics.") && column.length() > "metrics.".length()) {
            String key = unquote(column.substring("metrics.".length()));
            primary = present(run -> run.latestMetrics().get(key), descending);
        } else if (attribute.equals("start_time")) {
            primary = present(run -> (double) run.startTimeMillis(), descending);
        } else if (attribute.equals("end_time")) {
            primary = present(run -> run.endTimeMillis() == null ? null : (double) run.endTimeMillis(), descending);
        } else if (attribute.equals("run_name")) {
            Comparator<RunRecord> byName = Comparator.comparing(RunRecord::runName);
            primary = descending ? byName.reversed() : byName;
        } else {
            throw refuse(text, "cannot sort by '" + column + "'");
        }
        return primary.thenComparing(Comparator.comparingLong(RunRecord::startTimeMillis).reversed())
                .thenComparing(RunRecord::runId);
    }

    private static Comparator<RunRecord> present(java.util.function.Function<RunRecord, Double> read,
                                                 boolean descending) {
        Comparator<Double> values = descending ? Comparator.<Double>naturalOrder().reversed()
                : Comparator.naturalOrder();
        return Comparator.comparing(read, Comparator.nullsLast(values));
    }

    private static String unquote(String key) {
        if (key.length() >= 2 && (key.startsWith("`") && key.endsWith("`") || key.startsWith("\"") && key.endsWith("\""))) {
            return key.substring(1, key.length() - 1);
        }
        return key;
    }

    private static IllegalArgumentException refuse(String text, String why) {
        return new IllegalArgumentException("unsupported order '" + text + "': " + why + " (supported here: "
                + "[attributes.]start_time, end_time or run_name, or metrics.<key>, then ASC or DESC)");
    }
}
