package io.autonf.cli;

import io.autonf.mlflow.LocalFileStore;
import io.autonf.mlflow.RunTags;
import io.autonf.mlflow.TrackedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RunScope#child}: nested runs under their parent, ended with it unless they ended first. */
class NestedRunsTest {

    @TempDir
    Path root;

    private RunScope open() {
        return RunScope.open(new LocalFileStore(root), "nested", "parent", CommandSpec.create().name("search"));
    }

    private Path dir(TrackedRun run) {
        return root.resolve(run.experimentId()).resolve(run.runId());
    }

    /** MLflow's run status numbers: FINISHED 3, FAILED 4, KILLED 5. */
    private int status(TrackedRun run) throws IOException {
        String meta = Files.readString(dir(run).resolve("meta.yaml"));
        return Integer.parseInt(meta.replaceAll("(?s).*\\bstatus: (\\d+).*", "$1"));
    }

    private String tag(TrackedRun run, String key) throws IOException {
        return Files.readString(dir(run).resolve("tags").resolve(key)).strip();
    }

    @Test
    void aChildIsTaggedWithItsParentAndAFailedParentFailsTheOpenChildrenOnly() throws IOException {
        RunScope parent = open();
        RunScope done = parent.child("done");
        RunScope open = parent.child("open");
        done.params(Map.of("x", 1));
        done.metric("m", 2.5);
        done.artifact("a/b.txt", new byte[] {1, 2});
        done.close();
        parent.fail(new IllegalStateException("boom"));
        parent.close();

        for (RunScope child : new RunScope[] {done, open}) {
            assertEquals(parent.run().runId(), tag(child.run(), RunTags.PARENT_RUN_ID));
            assertEquals(parent.run().experimentId(), child.run().experimentId());
            assertEquals("autonf search", tag(child.run(), RunTags.SOURCE_NAME));
            assertEquals(VersionInfo.gitCommit(), tag(child.run(), RunTags.GIT_COMMIT));
        }
        assertEquals("done", tag(done.run(), RunTags.RUN_NAME));
        assertEquals(3, status(done.run()));
        assertEquals(4, status(open.run()));
        assertEquals(4, status(parent.run()));
        assertEquals("boom", tag(parent.run(), RunScope.ERROR_TAG));
        assertEquals("1", Files.readString(dir(done.run()).resolve("params/x")).strip());
        assertTrue(Files.exists(dir(done.run()).resolve("artifacts/a/b.txt")));
        assertThrows(IllegalStateException.class, () -> parent.child("late"), "an ended run has no new children");
    }

    @Test
    void ctrlCEndsTheParentAndItsOpenChildrenKilled() throws Exception {
        RunScope parent = open();
        RunScope child = parent.child("searching");
        // What the JVM does on Ctrl-C: run the scope's shutdown hook.
        java.lang.reflect.Field hook = RunScope.class.getDeclaredField("killHook");
        hook.setAccessible(true);
        ((Thread) hook.get(parent)).run();
        assertEquals(5, status(parent.run()));
        assertEquals(5, status(child.run()));
        parent.close(); // removes the hook; the status stays
        assertEquals(5, status(parent.run()));
    }

    @Test
    void aDisabledScopeHasDisabledChildren() {
        RunScope child = RunScope.disabled().child("x");
        assertSame(RunScope.disabled(), child);
        child.close();
    }
}
