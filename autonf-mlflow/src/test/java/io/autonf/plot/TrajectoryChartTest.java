package io.autonf.plot;

import io.autonf.flow.LayerKind;
import io.autonf.search.AlphaTrajectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrajectoryChartTest {

    @TempDir
    Path dir;

    /** Two layers, two options; layer 0 drifts to option 1, layer 1 stays uniform; two phases. */
    private static AlphaTrajectory trajectory(int steps) {
        AlphaTrajectory.Recorder r = new AlphaTrajectory.Recorder(List.of(LayerKind.PLANAR, LayerKind.RADIAL), 2);
        for (int s = 0; s <= steps; s++) {
            double p = 0.5 + 0.5 * s / steps;
            r.record(s == 0 ? -1 : s <= steps / 2 ? 0 : 1, new double[][] {{1 - p, p}, {0.5, 0.5}}, 1.0 - 0.1 * p,
                    s == 0 ? Double.NaN : 3.0 - p, s == 0 ? Double.NaN : 3.1 - p, 10L * s);
        }
        return r.build();
    }

    @Test
    void writesADecodablePngOfTheRequestedSize() throws IOException {
        Path png = dir.resolve("sub/alpha.png");
        TrajectoryChart.writePng(trajectory(40), "test", png, 640, 480);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the PNG should decode");
        assertEquals(640, image.getWidth());
        assertEquals(480, image.getHeight());
    }

    @Test
    void defaultSizeGrowsWithTheLayers() throws IOException {
        Path png = dir.resolve("alpha.png");
        TrajectoryChart.writePng(trajectory(10), "test", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(TrajectoryChart.DEFAULT_WIDTH, image.getWidth());
        assertEquals(TrajectoryChart.defaultHeight(trajectory(10)), image.getHeight());
        assertEquals(90 + 3 * TrajectoryChart.DEFAULT_PANEL_HEIGHT, image.getHeight());
        assertThrows(IllegalArgumentException.class, () -> TrajectoryChart.writePng(trajectory(4), "t", png, 10, 10));
    }

    @Test
    void withoutACostModelThereIsNoCostPanel() throws IOException {
        AlphaTrajectory.Recorder r = new AlphaTrajectory.Recorder(List.of(LayerKind.PLANAR, LayerKind.RADIAL), 2);
        for (int s = 0; s <= 5; s++) {
            r.record(s == 0 ? -1 : 0, new double[][] {{0.5, 0.5}, {0.5, 0.5}}, Double.NaN, 1, 1, s);
        }
        Path png = dir.resolve("no-cost.png");
        TrajectoryChart.writePng(r.build(), "no cost", png);
        assertEquals(90 + 2 * TrajectoryChart.DEFAULT_PANEL_HEIGHT, ImageIO.read(png.toFile()).getHeight());
    }
}
