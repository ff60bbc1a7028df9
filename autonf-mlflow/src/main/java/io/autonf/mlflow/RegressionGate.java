package io.autonf.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CI regression gate: a list of {@link MetricRule}s applied to the latest metric values of a baseline run
 * and a candidate run. Pure: it reads no run itself, so the command that fetches the values stays thin and the
 * decision is unit-testable.
 */
public record RegressionGate(List<MetricRule> rules) {

    public RegressionGate {
        if (rules == null || rules.isEmpty()) {
            throw new IllegalArgumentException("the regression gate needs at least one metric rule");
        }
        rules = List.copyOf(rules);
    }

    /** A gate from rule texts such as {@code test_nll:max_increase=0.02}. */
    public static RegressionGate parse(List<String> specs) {
        if (specs == null || specs.isEmpty()) {
            throw new IllegalArgumentException("the regression gate needs at least one --metric rule");
        }
        return new RegressionGate(specs.stream().map(MetricRule::parse).toList());
    }

    /**
     * Applies every rule, in order.
     *
     * @throws IllegalArgumentException when a rule's metric is missing in either run, or a rule cannot decide
     *                                  (see {@link MetricRule#evaluate})
     */
    public Verdict evaluate(Map<String, Double> baseline, Map<String, Double> candidate) {
        List<String> missing = new ArrayList<>();
        for (MetricRule rule : rules) {
            if (!baseline.containsKey(rule.metric())) {
                missing.add("'" + rule.metric() + "' is missing in the baseline run");
            }
            if (!candidate.containsKey(rule.metric())) {
                missing.add("'" + rule.metric() + "' is missing in the candidate run");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("metric " + String.join(", ", missing));
        }
        List<MetricRule.Comparison> rows = new ArrayList<>();
        for (MetricRule rule : rules) {
            rows.add(rule.evaluate(baseline.get(rule.metric()), candidate.get(rule.metric())));
        }
        return new Verdict(rows);
    }

    /** The comparisons of one gate, in rule order. */
    public record Verdict(List<MetricRule.Comparison> rows) {

        public Verdict {
            rows = List.copyOf(rows);
        }

        public boolean regressed() {
            return rows.stream().anyMatch(row -> !row.passed());
        }

        /** A GitHub-flavoured markdown table (metric, baseline, candidate, change, rule, verdict). */
        public String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("| metric | baseline | candidate | change | rule | verdict |\n");
            b.append("|---|---:|---:|---:|---|---|\n");
            for (MetricRule.Comparison row : rows) {
                double relative = row.relativeChange();
                String change = number(row.change(), true)
                        + (Double.isNaN(relative) ? "" : String.format(Locale.ROOT, " (%+.2f%%)", relative));
                b.append("| `").append(row.rule().metric()).append("` | ")
                        .append(number(row.baseline(), false)).append(" | ")
                        .append(number(row.candidate(), false)).append(" | ")
                        .append(change).append(" | ")
                        .append(row.rule().text()).append(" | ")
                        .append(row.passed() ? "pass" : "**REGRESSION**").append(" |\n");
            }
            return b.toString();
        }

        private static String number(double value, boolean signed) {
            return String.format(Locale.ROOT, signed ? "%+.6g" : "%.6g", value);
        }
    }
}
