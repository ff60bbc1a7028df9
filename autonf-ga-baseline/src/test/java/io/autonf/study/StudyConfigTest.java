package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.search.SearchConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyConfigTest {

    @Test
    void theProfiles() {
        StudyConfig quick = StudyConfig.profile("quick");
        assertEquals(List.of("power-sample", "miniboone-sample"), quick.datasets());
        assertEquals(List.of(1L, 2L, 3L), quick.seeds());
        assertEquals(12, quick.cells().size());
        StudyConfig paper = StudyConfig.profile("paper");
        assertEquals(5, paper.datasets().size());
        assertTrue(paper.datasets().stream().allMatch(d -> d.matches("(power|gas|hepmass|miniboone|bsds300):.+")));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), paper.seeds());
        assertEquals(10_000, paper.options().evaluationSamples());
        assertThrows(IllegalArgumentException.class, () -> StudyConfig.profile("slow"));
    }

    @Test
    void aCellReplacesSeedAndEmphasisAndKeepsTheBudgetsEqual() {
        StudyConfig quick = StudyConfig.quick();
        SearchConfig search = quick.searchFor(CostEmphasis.INVERSE, 7);
        assertEquals(7, search.seed());
        assertEquals(7, search.retraining().seed());
        assertEquals(CostEmphasis.INVERSE, search.emphasis());
        var ga = quick.gaFor(search);
        assertEquals(7, ga.seed());
        assertEquals(CostEmphasis.INVERSE, ga.emphasis());
        assertEquals(search.retraining(), ga.retraining());
        assertEquals(quick.ga().training(), ga.training());
    }

    @Test
    void inconsistentTemplatesAreRefused() {
        StudyConfig q = StudyConfig.quick();
        var otherBudget = q.ga().toBuilder().retraining(q.search().retraining().withMaxSteps(5)).build();
        var e = assertThrows(IllegalArgumentException.class, () -> new StudyConfig(q.name(), q.datasets(),
                q.emphases(), q.seeds(), q.search(), otherBudget, q.options()));
        assertTrue(e.getMessage().contains("equal budgets"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.toBuilder().seeds(List.of(1L, 1L)).build());
        assertThrows(IllegalArgumentException.class, () -> q.toBuilder().datasets(List.of()).build());
        assertThrows(IllegalArgumentException.class,
                () -> q.toBuilder().emphases(List.of(CostEmphasis.TRAINING)).build());
    }

    @Test
    void toBuilderRoundTrips() {
        StudyConfig q = StudyConfig.quick();
        assertEquals(q, q.toBuilder().build());
        StudyConfig p = StudyConfig.paper();
        assertEquals(p, p.toBuilder().build());
    }
}
