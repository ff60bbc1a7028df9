package io.autonf.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The part of MLflow's search filter language that a store without a server evaluates itself: clauses joined by
 * {@code AND}, each one of
 * <ul>
 *   <li>{@code metrics.<key> <op> <number>} with {@code =, !=, <, <=, >, >=} on the latest value;</li>
 *   <li>{@code params.<key>} or {@code tags.<key>} with {@code =, !=, LIKE, ILIKE} and a quoted string;</li>
 *   <li>{@code attributes.status}, {@code attributes.run_id} ({@code =, !=}), {@code attributes.run_name}
 *       ({@code =, !=, LIKE, ILIKE}) with a quoted string, and {@code attributes.start_time},
 *       {@code attributes.end_time} with a number and the numeric operators.</li>
 * </ul>
 * A key may be written bare ({@code metrics.loss/train}, {@code tags.mlflow.runName}) or, as MLflow requires for
 * keys with special characters, in back quotes ({@code metrics.`alpha/layer03/rq-c`}) or double quotes. As in
 * MLflow, a run lacking the key never matches, {@code !=} included; nor does a NaN metric value. Anything else is refused with an
 * {@link IllegalArgumentException} that names it, never silently ignored: a filter that selected more runs than
 * asked for would let the regression gate compare the wrong ones.
 */
public final class RunFilter implements Predicate<RunRecord> {

    private static final String SUPPORTED = "supported here: metrics.<key> =|!=|<|<=|>|>= <number>, "
            + "params.<key> or tags.<key> =|!=|LIKE|ILIKE '<text>', attributes.status|run_id =|!= '<text>', "
            + "attributes.run_name =|!=|LIKE|ILIKE '<text>', attributes.start_time|end_time <op> <number>, "
            + "joined with AND";
    private static final Set<String> NUMERIC = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> TEXTUAL = Set.of("=", "!=", "LIKE", "ILIKE");

    private final String text;
    private final List<Predicate<RunRecord>> clauses;

    private RunFilter(String text, List<Predicate<RunRecord>> clauses) {
        this.text = text;
        this.clauses = List.copyOf(clauses);
    }

    /** The filter written {@code text}; null or blank matches every run. */
    public static RunFilter parse(String text) {
        String source = text == null ? "" : text.strip();
        List<Predicate<RunRecord>> clauses = new ArrayList<>();
        if (!source.isEmpty()) {
            Parser parser = new Parser(source);
            do {
                clauses.add(parser.clause());
            } while (parser.and());
        }
        return new RunFilter(source, clauses);
    }

    @Override
    public boolean test(RunRecord run) {
        for (Predicate<RunRecord> clause : clauses) {
            if (!clause.test(run)) {
                return false;
            }
        }
        return true;
    }

    /** The number of AND-joined clauses (0 for the empty filter). */
    public int size() {
        return clauses.size();
    }

    @Override
    public String toString() {
        return text;
    }

    /** A hand-written scanner over the filter text; every refusal names the position and what was expected. */
    private static final class Parser {

        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Predicate<RunRecord> clause() {
            skipSpace();
            int start = i;
            String entity = word();
            if (entity.isEmpty() || !peek('.')) {
                throw refuse(start, "expected <entity>.<key> (metrics., params., tags. or attributes.)");
            }
            i++;
            String key = key();
            skipSpace();
            String op = operator();
            skipSpace();
            String clauseText = s.substring(start, i).strip();
            return switch (entity.toLowerCase(Locale.ROOT)) {
                case "metric", "metrics" -> numeric(clauseText, op, number(),
                        run -> run.latestMetrics().get(key));
                case "param", "params", "parameter", "parameters" -> textual(clauseText, op, string(),
                        run -> run.params().get(key));
                case "tag", "tags" -> textual(clauseText, op, string(), run -> run.tags().get(key));
                case "attribute", "attributes", "attr", "run" -> attribute(clauseText, key, op);
                default -> throw refuse(start, "entity '" + entity + "' is not supported");
            };
        }

        /** Consumes an AND between clauses; false at the end of the text. */
        boolean and() {
            skipSpace();
            if (i >= s.length()) {
                return false;
            }
            int start = i;
            String word = word();
            if (word.equalsIgnoreCase("and")) {
                return true;
            }
            throw refuse(start, word.equalsIgnoreCase("or") ? "OR is not supported (MLflow filters join with AND only)"
                    : "expected AND or the end of the filter");
        }

        private Predicate<RunRecord> attribute(String clauseText, String key, String op) {
            return switch (key) {
                case "status" -> textual(clauseText, requireEquality(op, key), string(), RunRecord::status);
                case "run_id" -> textual(clauseText, requireEquality(op, key), string(), RunRecord::runId);
                case "run_name" -> textual(clauseText, op, string(), RunRecord::runName);
                case "start_time" -> numeric(clauseText, op, number(), run -> (double) run.startTimeMillis());
                case "end_time" -> numeric(clauseText, op, number(),
                        run -> run.endTimeMillis() == null ? null : (double) run.endTimeMillis());
                default -> throw refuse(i, "attribute '" + key + "' is not supported");
            };
        }

        private String requireEquality(String op, String key) {
            if (!op.equals("=") && !op.equals("!=")) {
                throw refuse(i, "attributes." + key + " takes = or !=, not " + op);
            }
            return op;
        }

        private Predicate<RunRecord> numeric(String clauseText, String op, double value,
                                             Function<RunRecord, Double> read) {
            if (!NUMERIC.contains(op)) {
                throw refuse(i, "'" + clauseText + "' compares a number, which takes =, !=, <, <=, > or >=");
            }
            DoublePredicate holds = switch (op) {
                case "=" -> v -> v == value;
                case "!=" -> v -> v != value;
                case "<" -> v -> v < value;
                case "<=" -> v -> v <= value;
                case ">" -> v -> v > value;
                default -> v -> v >= value;
            };
            return run -> {
                Double v = read.apply(run);
                return v != null && !v.isNaN() && holds.test(v);
            };
        }

        private Predicate<RunRecord> textual(String clauseText, String op, String value,
                                             Function<RunRecord, String> read) {
            if (!TEXTUAL.contains(op)) {
                throw refuse(i, "'" + clauseText + "' compares text, which takes =, !=, LIKE or ILIKE");
            }
            Predicate<String> holds = switch (op) {
                case "=" -> value::equals;
                case "!=" -> v -> !v.equals(value);
                case "LIKE" -> like(value, false).asMatchPredicate();
                default -> like(value, true).asMatchPredicate();
            };
            return run -> {
                String v = read.apply(run);
                return v != null && holds.test(v);
            };
        }

        /** SQL's LIKE: % any run of characters, _ one character, everything else literal. */
        private static Pattern like(String pattern, boolean ignoreCase) {
            StringBuilder regex = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                if (c == '%' || c == '_') {
                    if (!literal.isEmpty()) {
                        regex.append(Pattern.quote(literal.toString()));
                        literal.setLength(0);
                    }
                    regex.append(c == '%' ? ".*" : ".");
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
            }
            return Pattern.compile(regex.toString(),
                    Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
        }

        private String word() {
            int start = i;
            while (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            return s.substring(start, i);
        }

        /** A key: back-quoted, double-quoted, or bare (letters, digits and _ . / -). */
        private String key() {
            if (peek('`') || peek('"')) {
                char quote = s.charAt(i);
                int end = s.indexOf(quote, i + 1);
                if (end < 0) {
                    throw refuse(i, "unclosed " + quote + " around a key");
                }
                String key = s.substring(i + 1, end);
                i = end + 1;
                if (key.isEmpty()) {
                    throw refuse(i, "empty key");
                }
                return key;
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_./-".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            if (start == i) {
                throw refuse(start, "expected a key after the entity's dot");
            }
            return s.substring(start, i);
        }

        private String operator() {
            for (String op : List.of("<=", ">=", "!=", "=", "<", ">")) {
                if (s.startsWith(op, i)) {
                    i += op.length();
                    if (i < s.length() && "<>=!".indexOf(s.charAt(i)) >= 0) {
                        throw refuse(i, "malformed comparison operator");
                    }
                    return op;
                }
            }
            int start = i;
            String word = word().toUpperCase(Locale.ROOT);
            if (word.equals("LIKE") || word.equals("ILIKE")) {
                return word;
            }
            throw refuse(start, word.isEmpty() ? "expected a comparison operator"
                    : "operator '" + word + "' is not supported");
        }

        private double number() {
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String token = s.substring(start, i);
            try {
                if (!token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new NumberFormatException(token);
                }
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw refuse(start, "expected a number, got '" + token + "'");
            }
        }

        /** A string in single or double quotes; a quote inside is doubled or escaped with a backslash. */
        private String string() {
            if (!peek('\'') && !peek('"')) {
                throw refuse(i, "expected a quoted string");
            }
            char quote = s.charAt(i++);
            StringBuilder value = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    value.append(s.charAt(i++));
                } else if (c == quote) {
                    if (peek(quote)) {
                        value.append(quote);
                        i++;
                    } else {
                        return value.toString();
                    }
                } else {
                    value.append(c);
                }
            }
            throw refuse(i, "unclosed string");
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException refuse(int at, String why) {
            return new IllegalArgumentException("unsupported filter '" + s + "' at character " + (at + 1) + ": "
                    + why + " (" + SUPPORTED + ")");
        }
    }

}
