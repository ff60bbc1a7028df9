package io.autonf.mlflow;

import java.util.Locale;
import java.util.Objects;

/**
 * One rule of the CI regression gate: how far one metric may move from the baseline run to the candidate run,
 * written {@code metric:max_increase=X}, {@code metric:max_increase=X%}, {@code metric:max_decrease=X} or
 * {@code metric:max_decrease=X%}. An absolute limit is in the metric's own unit; a percentage is of the
 * baseline's magnitude.
 *
 * @param metric   the MLflow metric key, e.g. {@code test_nll} or {@code cost/forward}
 * @param direction which way is a regression for this metric
 * @param limit    the largest allowed move in that direction, finite and non-negative
 * @param relative whether {@code limit} is a percentage of the baseline
 */
public record MetricRule(String metric, Direction direction, double limit, boolean relative) {

    /** Which move of a metric the rule limits. */
    public enum Direction {
        /** For metrics where lower is better (NLL, cost): a rise is the regression. */
        INCREASE("max_increase"),
        /** For metrics where higher is better (density, coverage): a fall is the regression. */
        DECREASE("max_decrease");

        private final String keyword;

        Direction(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public MetricRule {
        Objects.requireNonNull(direction, "direction");
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("a metric rule needs a metric name, got '" + metric + "'");
        }
        if (!Double.isFinite(limit) || limit < 0) {
            throw new IllegalArgumentException("the limit of the rule on '" + metric
                    + "' must be a finite number >= 0, got " + limit);
        }
    }

    /** Parses {@code metric:max_increase=X[%]} or {@code metric:max_decrease=X[%]}. */
    public static MetricRule parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("metric rule is missing");
        }
        String format = " (expected METRIC:max_increase=X, METRIC:max_increase=X%, METRIC:max_decrease=X "
                + "or METRIC:max_decrease=X%)";
        // MLflow metric keys cannot contain ':', so the last one separates the key from the rule.
        int colon = spec.lastIndexOf(':');
        int equals = spec.indexOf('=', Math.max(colon, 0));
        if (colon <= 0 || equals < 0) {
            throw new IllegalArgumentException("malformed metric rule '" + spec + "'" + format);
        }
        String metric = spec.substring(0, colon).strip();
        String keyword = spec.substring(colon + 1, equals).strip();
        String amount = spec.substring(equals + 1).strip();
        Direction direction = null;
        for (Direction d : Direction.values()) {
            if (d.keyword.equals(keyword)) {
                direction = d;
            }
        }
        if (direction == null) {
            throw new IllegalArgumentException("unknown rule '" + keyword + "' in metric rule '" + spec + "'" + format);
        }
        boolean relative = amount.endsWith("%");
        String number = relative ? amount.substring(0, amount.length() - 1).strip() : amount;
        double limit;
        try {
            limit = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the limit '" + amount + "' in metric rule '" + spec
                    + "' is not a number" + format);
        }
        if (!Double.isFinite(limit) || limit < 0) {
            throw new IllegalArgumentException("the limit '" + amount + "' in metric rule '" + spec
                    + "' must be a finite number >= 0");
        }
        return new MetricRule(metric, direction, limit, relative);
    }

    /**
     * Compares the metric's value in the baseline run with its value in the candidate run.
     *
     * @throws IllegalArgumentException when a value is NaN or infinite (the gate cannot decide), or a
     *                                  percentage rule meets a zero baseline (a percentage of nothing)
     */
    public Comparison evaluate(double baseline, double candidate) {
        if (!Double.isFinite(baseline) || !Double.isFinite(candidate)) {
            throw new IllegalArgumentException("metric '" + metric + "' is not a finite number (baseline " + baseline
                    + ", candidate " + candidate + "), so the gate cannot compare it");
        }
        if (relative && baseline == 0) {
            throw new IllegalArgumentException("rule '" + text() + "' is a percentage of the baseline, but the "
                    + "baseline's '" + metric + "' is 0; use an absolute limit (without %) for this metric");
        }
        double change = candidate - baseline;
        double worsening = direction == Direction.INCREASE ? change : -change;
        double allowed = relative ? limit * Math.abs(baseline) / 100 : limit;
        // A value exactly at the limit passes; the subtraction and the percentage may be off by a few ulps,
        // which must not turn "equal to the limit" into a regression.
        double tolerance = 4 * Math.ulp(Math.max(Math.max(Math.abs(baseline), Math.abs(candidate)), allowed));
        boolean passed = worsening <= allowed + tolerance;
        return new Comparison(this, baseline, candidate, change, passed);
    }

    /** The rule as written on the command line after the metric, e.g. {@code max_increase=5%}. */
    public String text() {
        String number = limit == Math.rint(limit) && Math.abs(limit) < 1e15
                ? Long.toString((long) limit) : Double.toString(limit);
        return direction.keyword + "=" + number + (relative ? "%" : "");
    }

    @Override
    public String toString() {
        return metric + ":" + text();
    }

    /**
     * The outcome of one rule.
     *
     * @param change candidate minus baseline
     */
    public record Comparison(MetricRule rule, double baseline, double candidate, double change, boolean passed) {

        public Comparison {
            Objects.requireNonNull(rule, "rule");
        }

        /** The change as a percentage of the baseline's magnitude; NaN when the baseline is 0. */
        public double relativeChange() {
            return baseline == 0 ? Double.NaN : 100 * change / Math.abs(baseline);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %s -> %s (%s)", rule, baseline, candidate,
                    passed ? "pass" : "regression");
        }
    }
}
