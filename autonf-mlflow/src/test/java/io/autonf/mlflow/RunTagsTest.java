package io.autonf.mlflow;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunTagsTest {

    @Test
    void topLevelRunHasNameSourceUserAndHostButNoParent() {
        Map<String, String> tags = RunTags.forRun("search-power", "autonf search", null, "0.1.0", null);
        assertEquals("search-power", tags.get(RunTags.RUN_NAME));
        assertEquals("autonf search", tags.get(RunTags.SOURCE_NAME));
        assertEquals("0.1.0", tags.get(RunTags.VERSION));
        assertFalse(tags.get(RunTags.HOST).isBlank());
        assertFalse(tags.containsKey(RunTags.PARENT_RUN_ID));
        assertFalse(tags.containsKey(RunTags.GIT_COMMIT));
        tags.keySet().forEach(k -> assertDoesNotThrow(() -> TrackingLimits.requireValidKey("tag", k)));
    }

    @Test
    void nestedRunNamesItsParent() {
        Map<String, String> tags = RunTags.forRun("retrain", "autonf search", "abc123", null, "deadbeef");
        assertEquals("abc123", tags.get(RunTags.PARENT_RUN_ID));
        assertEquals("deadbeef", tags.get(RunTags.GIT_COMMIT));
    }

    @Test
    void missingNamesAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunTags.forRun(" ", "s", null, null, null))
                .getMessage().contains("name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunTags.forRun("r", null, null, null, null))
                .getMessage().contains("source"));
        assertThrows(IllegalArgumentException.class, () -> RunTags.forRun("r", "s", "", null, null));
    }
}
