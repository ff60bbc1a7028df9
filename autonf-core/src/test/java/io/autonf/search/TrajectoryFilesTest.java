package io.autonf.search;

import io.autonf.flow.LayerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrajectoryFilesTest {

    @TempDir
    Path dir;

    /** Two layers, two options, four steps in two phases; layer 0 drifts to option 1. */
    private static AlphaTrajectory trajectory() {
        AlphaTrajectory.Recorder r = new AlphaTrajectory.Recorder(List.of(LayerKind.PLANAR, LayerKind.RADIAL), 2);
        for (int s = 0; s <= 4; s++) {
            double p = 0.5 + 0.125 * s;
            r.record(s == 0 ? -1 : s <= 2 ? 0 : 1, new double[][] {{1 - p, p}, {0.5, 0.5}}, 1.0 - 0.1 * p,
                    s == 0 ? Double.NaN : 3.0 - p, s == 0 ? Double.NaN : 3.1 - p, 10L * s);
        }
        return r.build();
    }

    @Test
    void theRecorderKeepsEveryRow() {
        AlphaTrajectory t = trajectory();
        assertEquals(4, t.steps());
        assertArrayEquals(new double[] {0.0, 1.0}, t.weights(4)[0], 0.0);
        assertEquals(0.75, t.weight(2, 0, 1), 0.0);
        assertEquals(1, t.phase(3));
        assertEquals(40, t.layerEvaluations(4));
        assertThrows(IllegalArgumentException.class, () -> t.weight(5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.weight(1, 2, 0));
    }

    @Test
    void csvFilesHaveOneLinePerStepLayerAndOption() throws IOException {
        AlphaTrajectory t = trajectory();
        Path weights = dir.resolve("sub/alpha.csv");
        Path steps = dir.resolve("steps.csv");
        TrajectoryFiles.writeWeights(t, weights);
        TrajectoryFiles.writeSteps(t, steps);
        List<String> w = Files.readAllLines(weights);
        assertEquals(TrajectoryFiles.WEIGHTS_HEADER, w.get(0));
        assertEquals(1 + 5 * 2 * 2, w.size());
        assertEquals("0,0,planar,0.5", w.get(1));
        assertEquals("4,0,radial,1.0", w.get(w.size() - 3));
        List<String> s = Files.readAllLines(steps);
        assertEquals(TrajectoryFiles.STEPS_HEADER, s.get(0));
        assertEquals(6, s.size());
        assertTrue(s.get(1).startsWith("0,-1,NaN,NaN,"), s.get(1));
        assertTrue(s.get(5).startsWith("4,1,2.0,2.1,0.9,"), s.get(5));
        assertTrue(s.get(5).endsWith(",40"), s.get(5));
    }
}
