package io.autonf.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.autonf.search.LayerState.ABSENT;
import static io.autonf.search.LayerState.FIXED;
import static io.autonf.search.LayerState.MIXED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SearchScheduleTest {

    @Test
    void growBuildsTheFlowUpBlockByBlockOnce() {
        List<SearchPhase> phases = SearchSchedule.of(SearchMethod.GROW, 5, 2, 1);
        assertEquals(3, phases.size());
        assertEquals(List.of(MIXED, MIXED, ABSENT, ABSENT, ABSENT), phases.get(0).states());
        assertEquals(List.of(FIXED, FIXED, MIXED, MIXED, ABSENT), phases.get(1).states());
        assertEquals(List.of(FIXED, FIXED, FIXED, FIXED, MIXED), phases.get(2).states());
        assertArrayEquals(new int[] {4}, phases.get(2).mixedLayers());
        for (int k = 0; k < 3; k++) {
            assertEquals(k, phases.get(k).index());
            assertEquals(k, phases.get(k).block());
            assertEquals(1, phases.get(k).round());
        }
    }

    @Test
    void blockSweepsFirstLikeGrowThenWithEveryOtherLayerFixed() {
        List<SearchPhase> phases = SearchSchedule.of(SearchMethod.BLOCK, 4, 1, 3);
        assertEquals(12, phases.size());
        assertEquals(List.of(MIXED, ABSENT, ABSENT, ABSENT), phases.get(0).states());
        assertEquals(List.of(FIXED, MIXED, ABSENT, ABSENT), phases.get(1).states());
        assertEquals(List.of(FIXED, FIXED, FIXED, MIXED), phases.get(3).states());
        for (int round = 2; round <= 3; round++) {
            for (int block = 0; block < 4; block++) {
                SearchPhase p = phases.get((round - 1) * 4 + block);
                assertEquals(round, p.round());
                assertEquals(block, p.block());
                for (int layer = 0; layer < 4; layer++) {
                    assertEquals(layer == block ? MIXED : FIXED, p.state(layer), "round " + round + " block " + block);
                }
            }
        }
    }

    @Test
    void oneRoundOfBlockIsGrow() {
        assertEquals(SearchSchedule.of(SearchMethod.GROW, 6, 4, 1), SearchSchedule.of(SearchMethod.BLOCK, 6, 4, 1));
    }

    @Test
    void aWholeFlowBlockIsAlwaysAllMixed() {
        List<SearchPhase> phases = SearchSchedule.of(SearchMethod.BLOCK, 3, 3, 2);
        assertEquals(2, phases.size());
        for (SearchPhase p : phases) {
            assertEquals(List.of(MIXED, MIXED, MIXED), p.states());
        }
    }

    @Test
    void rolesTakeTheCurrentChoiceForFixedLayers() {
        SearchPhase p = SearchSchedule.of(SearchMethod.BLOCK, 4, 2, 2).get(1);
        assertEquals(List.of(FIXED, FIXED, MIXED, MIXED), p.states());
        assertEquals(new LayerRoles(new int[] {3, 0, LayerRoles.MIXED, LayerRoles.MIXED}), p.roles(new int[] {3, 0, 1, 2}));
        SearchPhase first = SearchSchedule.of(SearchMethod.GROW, 4, 2, 1).get(0);
        assertEquals(new LayerRoles(new int[] {LayerRoles.MIXED, LayerRoles.MIXED, LayerRoles.ABSENT, LayerRoles.ABSENT}),
                first.roles(new int[] {-1, -1, -1, -1}));
        assertThrows(IllegalArgumentException.class, () -> p.roles(new int[] {-1, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> p.roles(new int[] {0, 0, 0}));
    }

    @Test
    void impossibleSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SearchSchedule.of(SearchMethod.BLOCK, 3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> SearchSchedule.of(SearchMethod.GROW, 3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> SearchSchedule.of(SearchMethod.BLOCK, 3, 1, 0));
    }
}
