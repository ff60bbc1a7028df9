package io.autonf.plot;

import io.autonf.ga.CandidateEvaluation;
import io.autonf.ga.GaObjective;
import io.autonf.ga.GenerationStatistics;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws a GA run's fitness per generation: the best of the population, the best so far and the population's mean
 * as lines, and every candidate trained as a dot at the generation that trained it (failed candidates, whose
 * fitness is {@link GaObjective#FAILED_FITNESS}, are left out: they would flatten the scale). Fitness is
 * minimised. Runs without a display.
 */
public final class FitnessChart {

    public static final int DEFAULT_WIDTH = 1000;
    public static final int DEFAULT_HEIGHT = 520;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private FitnessChart() {
    }

    public static void writePng(List<GenerationStatistics> generations, List<CandidateEvaluation> candidates,
                                String title, Path file) {
        JFreeChart chart = chart(generations, candidates, title);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ChartUtils.saveChartAsPNG(file.toFile(), chart, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The chart itself, for callers that render it elsewhere. */
    public static JFreeChart chart(List<GenerationStatistics> generations, List<CandidateEvaluation> candidates,
                                   String title) {
        if (generations == null || generations.isEmpty() || candidates == null) {
            throw new IllegalArgumentException("a fitness chart needs at least one generation and the candidates");
        }
        XYSeries best = new XYSeries("best in population", false, true);
        XYSeries bestSoFar = new XYSeries("best so far", false, true);
        XYSeries mean = new XYSeries("mean of population (trained members)", false, true);
        for (GenerationStatistics g : generations) {
            addIfScored(best, g.generation(), g.bestFitness());
            addIfScored(bestSoFar, g.generation(), g.bestSoFar());
            addIfScored(mean, g.generation(), g.meanFitness());
        }
        XYSeries trained = new XYSeries("candidate trained", false, true);
        for (CandidateEvaluation c : candidates) {
            if (!c.failed()) {
                addIfScored(trained, c.generation(), c.fitness());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(best);
        data.addSeries(bestSoFar);
        data.addSeries(mean);
        data.addSeries(trained);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {new Color(0x00, 0x72, 0xB2), new Color(0x00, 0x00, 0x00), new Color(0xD5, 0x5E, 0x00),
                new Color(0x00, 0x9E, 0x73, 0x90)};
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, new BasicStroke(i == 1 ? 2.4f : 1.6f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        renderer.setSeriesLinesVisible(3, false);
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesShapesVisible(2, false);
        NumberAxis generationAxis = new NumberAxis("generation");
        generationAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        generationAxis.setRange(0.5, generations.get(generations.size() - 1).generation() + 0.5);
        NumberAxis fitnessAxis = new NumberAxis("fitness = validation NLL + λ·cost (lower is better)");
        fitnessAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, generationAxis, fitnessAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void addIfScored(XYSeries series, int generation, double fitness) {
        if (Double.isFinite(fitness) && fitness < GaObjective.FAILED_FITNESS) {
            series.add(generation, fitness);
        }
    }
}
