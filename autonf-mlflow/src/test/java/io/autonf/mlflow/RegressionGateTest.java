package io.autonf.mlflow;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionGateTest {

    @Test
    void parsesEveryRuleForm() {
        assertEquals(new MetricRule("test_nll", MetricRule.Direction.INCREASE, 0.02, false),
                MetricRule.parse("test_nll:max_increase=0.02"));
        assertEquals(new MetricRule("cost/forward", MetricRule.Direction.INCREASE, 5, true),
                MetricRule.parse("cost/forward:max_increase=5%"));
        assertEquals(new MetricRule("density", MetricRule.Direction.DECREASE, 0.1, false),
                MetricRule.parse("density:max_decrease=0.1"));
        assertEquals(new MetricRule("density", MetricRule.Direction.DECREASE, 1, true),
                MetricRule.parse("density:max_decrease=1%"));
        assertEquals("max_increase=5%", MetricRule.parse("cost/forward:max_increase=5%").text());
        assertEquals("max_decrease=0.25", MetricRule.parse("d:max_decrease=0.25").text());
    }

    @Test
    void malformedRulesAreBadInputWithTheRuleInTheMessage() {
        for (String bad : List.of("test_nll", "test_nll:max_increase", ":max_increase=1", "test_nll:min_increase=1",
                "test_nll:max_increase=abc", "test_nll:max_increase=-1", "test_nll:max_increase=NaN",
                "test_nll:max_increase=Infinity", "test_nll:max_increase=%", "test_nll=0.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricRule.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "" : "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new MetricRule("x", MetricRule.Direction.INCREASE, Double.NaN, false));
        assertThrows(IllegalArgumentException.class,
                () -> new MetricRule(" ", MetricRule.Direction.INCREASE, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new RegressionGate(List.of()));
    }

    @Test
    void absoluteIncreaseAtTheLimitPassesAndJustAboveRegresses() {
        MetricRule rule = MetricRule.parse("test_nll:max_increase=0.02");
        // 1.02 - 1.0 is 0.020000000000000018 in doubles: equality with the limit must still pass.
        assertTrue(rule.evaluate(1.0, 1.02).passed());
        assertTrue(rule.evaluate(-3.5, -3.48).passed());
        assertTrue(rule.evaluate(1.0, 0.5).passed(), "an improvement passes");
        assertFalse(rule.evaluate(1.0, 1.0201).passed());
        assertEquals(0.03, rule.evaluate(1.0, 1.03).change(), 1e-15);
    }

    @Test
    void relativeIncreaseIsAPercentOfTheBaselineMagnitude() {
        MetricRule rule = MetricRule.parse("cost/forward:max_increase=5%");
        assertTrue(rule.evaluate(100, 105).passed());
        assertFalse(rule.evaluate(100, 105.001).passed());
        assertTrue(rule.evaluate(0.3, 0.315).passed(), "0.3 * 1.05 at the boundary");
        // A negative baseline (an NLL can be negative): 5% of |-2| is 0.1.
        assertTrue(rule.evaluate(-2, -1.9).passed());
        assertFalse(rule.evaluate(-2, -1.89).passed());
        assertEquals(5.0, rule.evaluate(100, 105).relativeChange(), 1e-12);
    }

    @Test
    void decreaseRulesLimitFalls() {
        MetricRule absolute = MetricRule.parse("density:max_decrease=0.1");
        assertTrue(absolute.evaluate(0.9, 0.8).passed());
        assertFalse(absolute.evaluate(0.9, 0.79).passed());
        assertTrue(absolute.evaluate(0.9, 5).passed(), "a rise is not a regression for max_decrease");
        MetricRule relative = MetricRule.parse("density:max_decrease=1%");
        assertTrue(relative.evaluate(0.9, 0.891).passed());
        assertFalse(relative.evaluate(0.9, 0.8909).passed());
    }

    @Test
    void nanOrInfiniteValuesAreBadInput() {
        MetricRule rule = MetricRule.parse("test_nll:max_increase=0.02");
        assertThrows(IllegalArgumentException.class, () -> rule.evaluate(Double.NaN, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule.evaluate(1, Double.NaN));
        assertTrue(e.getMessage().contains("test_nll"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rule.evaluate(1, Double.POSITIVE_INFINITY));
    }

    @Test
    void aPercentOfAZeroBaselineIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricRule.parse("cost/forward:max_increase=5%").evaluate(0, 0));
        assertTrue(e.getMessage().contains("baseline's 'cost/forward' is 0"), e.getMessage());
        assertTrue(MetricRule.parse("cost/forward:max_increase=0").evaluate(0, 0).passed(),
                "an absolute rule handles a zero baseline");
    }

    @Test
    void theGateReportsEveryRowAndRegressesWhenAnyRuleFails() {
        RegressionGate gate = RegressionGate.parse(List.of("test_nll:max_increase=0.02",
                "cost/forward:max_increase=5%", "density:max_decrease=1%"));
        Map<String, Double> baseline = Map.of("test_nll", 1.0, "cost/forward", 100.0, "density", 0.9);
        RegressionGate.Verdict ok = gate.evaluate(baseline,
                Map.of("test_nll", 1.01, "cost/forward", 104.0, "density", 0.95));
        assertFalse(ok.regressed());
        assertEquals(3, ok.rows().size());
        RegressionGate.Verdict bad = gate.evaluate(baseline,
                Map.of("test_nll", 1.01, "cost/forward", 110.0, "density", 0.95));
        assertTrue(bad.regressed());
        String table = bad.markdown();
        assertTrue(table.startsWith("| metric | baseline | candidate | change | rule | verdict |\n"), table);
        assertTrue(table.contains("| `cost/forward` | 100.000 | 110.000 | +10.0000 (+10.00%) | max_increase=5% "
                + "| **REGRESSION** |"), table);
        assertTrue(table.contains("| `test_nll` | 1.00000 | 1.01000 | +0.0100000 (+1.00%) | max_increase=0.02 | pass |"),
                table);
    }

    @Test
    void aMetricMissingInEitherRunIsBadInputNamingTheRun() {
        RegressionGate gate = RegressionGate.parse(List.of("test_nll:max_increase=0.02"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gate.evaluate(Map.of("test_nll", 1.0), Map.of("other", 1.0)));
        assertTrue(e.getMessage().contains("'test_nll' is missing in the candidate run"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gate.evaluate(Map.of(), Map.of("test_nll", 1.0)));
        assertTrue(e.getMessage().contains("missing in the baseline run"), e.getMessage());
    }
}
