package io.autonf.plot;

import io.autonf.search.AlphaTrajectory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws an {@link AlphaTrajectory}: one panel per layer with the softmax weight of each option over the steps
 * (the paper's Fig. 3; layers numbered from 0 as in the CSV files), a last panel with the expected cost when
 * the search had a cost model, and dotted lines where a new block visit begins. Runs without a display.
 */
public final class TrajectoryChart {

    /** Pixels of width, and of height per panel, when the caller does not choose. */
    public static final int DEFAULT_WIDTH = 1000;
    public static final int DEFAULT_PANEL_HEIGHT = 170;

    /** One colour per option, the same in every panel; distinguishable in print and for colour-blind readers. */
    private static final Color[] PALETTE = {
            new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73),
            new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00), new Color(0x56, 0xB4, 0xE9),
            new Color(0x00, 0x00, 0x00), new Color(0xF0, 0xE4, 0x42)};

    static {
        // Charts are drawn into images only; never ask for a display (servers and CI have none).
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private TrajectoryChart() {
    }

    /** The default height: one panel per layer, and one for the expected cost when the search had a cost model. */
    public static int defaultHeight(AlphaTrajectory t) {
        return 90 + DEFAULT_PANEL_HEIGHT * (t.layers() + (hasCost(t) ? 1 : 0));
    }

    private static boolean hasCost(AlphaTrajectory t) {
        for (int s = 0; s <= t.steps(); s++) {
            if (Double.isFinite(t.expectedCost(s))) {
                return true;
            }
        }
        return false;
    }

    /** Writes the chart at the default size. */
    public static void writePng(AlphaTrajectory t, String title, Path file) {
        writePng(t, title, file, DEFAULT_WIDTH, defaultHeight(t));
    }

    public static void writePng(AlphaTrajectory t, String title, Path file, int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("chart size " + width + "x" + height + " is too small (at least 100x100)");
        }
        JFreeChart chart = chart(t, title);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The chart itself, for callers that render it elsewhere. */
    public static JFreeChart chart(AlphaTrajectory t, String title) {
        NumberAxis stepAxis = new NumberAxis("step");
        stepAxis.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(stepAxis);
        plot.setGap(8);
        plot.setOrientation(PlotOrientation.VERTICAL);
        int options = t.options().size();
        for (int layer = 0; layer < t.layers(); layer++) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (int j = 0; j < options; j++) {
                XYSeries series = new XYSeries(t.options().get(j).id(), false, false);
                for (int s = 0; s <= t.steps(); s++) {
                    series.add(s, t.weight(s, layer, j));
                }
                data.addSeries(series);
            }
            NumberAxis weightAxis = new NumberAxis("layer " + layer);
            weightAxis.setRange(-0.02, 1.02);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int j = 0; j < options; j++) {
                renderer.setSeriesPaint(j, PALETTE[j % PALETTE.length]);
                renderer.setSeriesStroke(j, new BasicStroke(1.6f));
            }
            // The options are the same in every panel: list them once.
            renderer.setDefaultSeriesVisibleInLegend(layer == 0);
            XYPlot panel = new XYPlot(data, null, weightAxis, renderer);
            addPhaseMarkers(t, panel);
            plot.add(panel, 1);
        }
        if (hasCost(t)) {
            plot.add(costPanel(t), 1);
        }

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The expected cost C_mix over the steps. */
    private static XYPlot costPanel(AlphaTrajectory t) {
        XYSeries cost = new XYSeries("expected cost", false, false);
        for (int s = 0; s <= t.steps(); s++) {
            if (Double.isFinite(t.expectedCost(s))) {
                cost.add(s, t.expectedCost(s));
            }
        }
        NumberAxis costAxis = new NumberAxis("expected cost");
        costAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer costRenderer = new XYLineAndShapeRenderer(true, false);
        costRenderer.setSeriesPaint(0, Color.DARK_GRAY);
        costRenderer.setSeriesStroke(0, new BasicStroke(1.6f));
        costRenderer.setDefaultSeriesVisibleInLegend(false);
        XYPlot costPanel = new XYPlot(new XYSeriesCollection(cost), null, costAxis, costRenderer);
        addPhaseMarkers(t, costPanel);
        return costPanel;
    }

    /** A dotted vertical line at the first step of every block visit after the first. */
    private static void addPhaseMarkers(AlphaTrajectory t, XYPlot panel) {
        panel.setBackgroundPaint(Color.WHITE);
        panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
        panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int s = 2; s <= t.steps(); s++) {
            if (t.phase(s) != t.phase(s - 1)) {
                ValueMarker marker = new ValueMarker(s - 0.5, Color.GRAY,
                        new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {3f, 3f}, 0f));
                panel.addDomainMarker(marker);
            }
        }
    }
}
