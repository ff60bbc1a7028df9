package io.autonf.mlflow;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MLflow filter subset and order clauses that the local store evaluates itself. */
class RunFilterTest {

    private static final RunRecord SEARCH = new RunRecord("a".repeat(32), "1", "search-main", "FINISHED", 1_000L,
            2_000L, Map.of("seed", "11", "options", "maf,rq-c"),
            Map.of("mlflow.runName", "search-main", "branch", "main", "autonf.architecture", "rq-c,maf"),
            Map.of("test_nll", 1.25, "loss/train", 0.5, "alpha/layer03/rq-c", 0.9, "nan_metric", Double.NaN));
    private static final RunRecord CHILD = new RunRecord("b".repeat(32), "1", "retrain", "RUNNING", 3_000L, null,
            Map.of("seed", "12"), Map.of("mlflow.parentRunId", "a".repeat(32), "branch", "feature"),
            Map.of("test_nll", 1.5));

    private static boolean matches(String filter, RunRecord run) {
        return RunFilter.parse(filter).test(run);
    }

    @Test
    void anEmptyFilterMatchesEveryRun() {
        assertTrue(matches(null, SEARCH));
        assertTrue(matches("   ", CHILD));
        assertEquals(0, RunFilter.parse("").size());
    }

    @Test
    void metricsCompareTheLatestValueWithEveryNumericOperator() {
        assertTrue(matches("metrics.test_nll < 1.3", SEARCH));
        assertFalse(matches("metrics.test_nll < 1.3", CHILD));
        assertTrue(matches("metrics.test_nll <= 1.25", SEARCH));
        assertTrue(matches("metrics.test_nll = 1.25", SEARCH));
        assertTrue(matches("metrics.test_nll != 1.25", CHILD));
        assertTrue(matches("metrics.test_nll > 1.25", CHILD));
        assertTrue(matches("metrics.test_nll >= 1.5", CHILD));
        assertTrue(matches("metric.test_nll>=-2e1", SEARCH), "singular entity, no spaces, exponent");
        // Keys with slashes: bare or in back quotes or double quotes, as MLflow writes them.
        assertTrue(matches("metrics.loss/train < 1", SEARCH));
        assertTrue(matches("metrics.`alpha/layer03/rq-c` > 0.8", SEARCH));
        assertTrue(matches("metrics.\"alpha/layer03/rq-c\" > 0.8", SEARCH));
        // A run without the metric, or with NaN, never matches, != included.
        assertFalse(matches("metrics.loss/train != 7", CHILD));
        assertFalse(matches("metrics.nan_metric != 7", SEARCH));
    }

    @Test
    void paramsAndTagsCompareTextWithEqualityAndLike() {
        assertTrue(matches("params.seed = '11'", SEARCH));
        assertFalse(matches("params.seed = '11'", CHILD));
        assertTrue(matches("params.seed != '11'", CHILD));
        assertTrue(matches("parameters.options = \"maf,rq-c\"", SEARCH));
        assertTrue(matches("tags.branch = 'main'", SEARCH));
        assertTrue(matches("tags.mlflow.parentRunId = '" + "a".repeat(32) + "'", CHILD), "dotted tag key");
        assertFalse(matches("tags.mlflow.parentRunId != 'x'", SEARCH), "a run without the tag never matches");
        assertTrue(matches("tags.`autonf.architecture` LIKE '%rq%'", SEARCH));
        assertFalse(matches("tags.`autonf.architecture` LIKE '%RQ%'", SEARCH), "LIKE is case sensitive");
        assertTrue(matches("tags.`autonf.architecture` ilike '%RQ%'", SEARCH));
        assertTrue(matches("tags.branch LIKE 'ma_n'", SEARCH));
        assertFalse(matches("tags.branch LIKE 'm.*'", SEARCH), "only % and _ are wild cards");
        assertTrue(matches("tags.mlflow.runName = 'search-main'", SEARCH));
        assertTrue(matches("tags.branch = 'it''s'", new RunRecord("c".repeat(32), "1", "", "FINISHED", 0, null,
                Map.of(), Map.of("branch", "it's"), Map.of())), "a doubled quote is a quote");
    }

    @Test
    void attributesStatusNameIdAndTimes() {
        assertTrue(matches("attributes.status = 'FINISHED'", SEARCH));
        assertTrue(matches("attributes.status != 'FINISHED'", CHILD));
        assertTrue(matches("attributes.run_name = 'retrain'", CHILD));
        assertTrue(matches("attributes.run_name LIKE 'search-%'", SEARCH));
        assertTrue(matches("attributes.run_id = '" + "b".repeat(32) + "'", CHILD));
        assertTrue(matches("attributes.start_time > 2000", CHILD));
        assertFalse(matches("attributes.end_time > 0", CHILD), "a running run has no end time");
        assertTrue(matches("attributes.end_time >= 2000", SEARCH));
    }

    @Test
    void clausesJoinWithAndInAnyCase() {
        String filter = "attributes.status = 'FINISHED' AND tags.branch = 'main' and metrics.test_nll < 2";
        assertEquals(3, RunFilter.parse(filter).size());
        assertTrue(matches(filter, SEARCH));
        assertFalse(matches(filter, CHILD));
        assertFalse(matches("tags.branch = 'main' AND params.seed = '12'", SEARCH));
    }

    @Test
    void anythingElseIsRefusedWithAClearMessage() {
        for (String refused : List.of(
                "metrics.test_nll <<< 1",
                "metrics.test_nll < 'one'",
                "metrics.test_nll LIKE '1%'",
                "params.seed < 12",
                "params.seed = 11",
                "tags.branch = 'main' OR tags.branch = 'dev'",
                "tags.branch = 'main' tags.seed = '1'",
                "attributes.status LIKE 'FIN%'",
                "attributes.artifact_uri = 'x'",
                "datasets.name = 'power'",
                "params.seed IN ('11', '12')",
                "test_nll < 1",
                "tags.`unclosed = 'x'",
                "tags.branch = 'unclosed",
                "metrics.test_nll < 1 AND")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFilter.parse(refused),
                    refused);
            assertTrue(e.getMessage().startsWith("unsupported filter '" + refused + "' at character "), e.getMessage());
            assertTrue(e.getMessage().contains("supported here:"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RunFilter.parse("tags.a = 'x' OR tags.b = 'y'")).getMessage().contains("OR is not supported"));
    }

    @Test
    void ordersNewestFirstByDefaultAndByMetricsWithMissingValuesLast() {
        RunRecord noMetric = new RunRecord("c".repeat(32), "1", "other", "FINISHED", 2_000L, 2_500L, Map.of(),
                Map.of(), Map.of());
        List<RunRecord> runs = List.of(SEARCH, CHILD, noMetric);
        assertEquals(List.of(CHILD, noMetric, SEARCH), sorted(runs, null));
        assertEquals(List.of(CHILD, noMetric, SEARCH), sorted(runs, "start_time DESC"));
        assertEquals(List.of(SEARCH, noMetric, CHILD), sorted(runs, "attributes.start_time ASC"));
        assertEquals(List.of(SEARCH, CHILD, noMetric), sorted(runs, "metrics.test_nll"));
        assertEquals(List.of(CHILD, SEARCH, noMetric), sorted(runs, "metrics.`test_nll` DESC"));
        assertEquals(List.of(noMetric, CHILD, SEARCH), sorted(runs, "attributes.run_name"));
        for (String refused : List.of("params.seed", "start_time SIDEWAYS", "start_time DESC extra")) {
            assertThrows(IllegalArgumentException.class, () -> RunOrder.parse(refused), refused);
        }
    }

    private static List<RunRecord> sorted(List<RunRecord> runs, String order) {
        Comparator<RunRecord> comparator = RunOrder.parse(order);
        return runs.stream().sorted(comparator).toList();
    }
}
