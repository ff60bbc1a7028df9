package io.autonf.study;

import io.autonf.ga.GaObjective;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The study's two figures as PNG images, drawn with JFreeChart without a display. Each is a grid with one row
 * per data set × emphasis.
 *
 * <ul>
 *   <li>{@link #pareto}: the emphasised cost (cost model, µs per sample) against density (left) and against NLL
 *       (right). Final flows (RQ-AF, RQ-C, AutoNF, GA: one point per seed) are trained with the final budget and
 *       evaluated on test data; the GA's candidates (small grey points) show the validation NLL after the
 *       candidate budget, which is what the GA saw, so they sit higher on the NLL axis than final flows and have
 *       no density.</li>
 *   <li>{@link #convergence}: objective (the GA's fitness) against layer evaluations, log scale; AutoNF's
 *       current argmax after each block visit (solid) and the GA's best so far after each generation (dashed),
 *       one line per seed.</li>
 * </ul>
 */
public final class StudyCharts {

    /** The colours of RQ-AF, RQ-C, AutoNF and GA ({@link StudyMethod} order); colour-blind safe. */
    private static final Color[] METHOD_COLOURS = {new Color(0x00, 0x72, 0xB2), new Color(0x56, 0xB4, 0xE9),
            new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73)};
    private static final Color CANDIDATE_COLOUR = new Color(0x99, 0x99, 0x99);
    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 330;
    private static final int TITLE_HEIGHT = 40;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private StudyCharts() {
    }

    /** The Pareto figure as PNG bytes. */
    public static byte[] pareto(StudyReport report) {
        List<StudyCell> groups = groups(report);
        BufferedImage image = canvas(2, groups.size());
        Graphics2D g = image.createGraphics();
        title(g, image.getWidth(), "Study " + report.config().name() + ": cost against density and against NLL");
        for (int row = 0; row < groups.size(); row++) {
            StudyCell group = groups.get(row);
            draw(g, paretoPlot(report, group, false), 0, row);
            draw(g, paretoPlot(report, group, true), 1, row);
        }
        g.dispose();
        return png(image);
    }

    /** The convergence figure as PNG bytes. */
    public static byte[] convergence(StudyReport report) {
        List<StudyCell> groups = groups(report);
        int columns = Math.min(2, groups.size());
        int rows = (groups.size() + columns - 1) / columns;
        BufferedImage image = canvas(columns, rows);
        Graphics2D g = image.createGraphics();
        title(g, image.getWidth(), "Study " + report.config().name() + ": GA objective against compute; AutoNF's "
                + "current argmax (solid), the GA's best so far (dashed)");
        for (int i = 0; i < groups.size(); i++) {
            draw(g, convergencePlot(report, groups.get(i)), i % columns, i / columns);
        }
        g.dispose();
        return png(image);
    }

    /** One representative cell per data set × emphasis (seed unused). */
    private static List<StudyCell> groups(StudyReport report) {
        return report.config().datasets().stream().flatMap(d -> report.config().emphases().stream()
                .map(e -> new StudyCell(d, e, 0))).toList();
    }

    private static JFreeChart paretoPlot(StudyReport report, StudyCell group, boolean nll) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        int series = 0;
        if (nll) {
            XYSeries candidates = new XYSeries("GA candidates (validation NLL, candidate budget)", false, true);
            for (GaCandidatePoint p : report.candidates()) {
                if (same(p.cell(), group) && Double.isFinite(p.validationNll()) && Double.isFinite(p.costMicros())) {
                    candidates.add(p.costMicros(), p.validationNll());
                }
            }
            data.addSeries(candidates);
            renderer.setSeriesPaint(series, CANDIDATE_COLOUR);
            renderer.setSeriesShape(series, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            series++;
        }
        for (StudyMethod m : StudyMethod.values()) {
            XYSeries s = new XYSeries(m.label() + (nll ? " (test NLL, final)" : ""), false, true);
            for (MethodResult r : report.results()) {
                if (r.method() == m && !r.failed() && same(r.cell(), group)) {
                    double y = nll ? r.testNll() : r.density();
                    if (Double.isFinite(y) && Double.isFinite(r.costMicros())) {
                        s.add(r.costMicros(), y);
                    }
                }
            }
            data.addSeries(s);
            renderer.setSeriesPaint(series, METHOD_COLOURS[m.ordinal()]);
            renderer.setSeriesShape(series, shape(m));
            series++;
        }
        String cost = group.emphasis().id() + " cost (cost model), µs per sample";
        NumberAxis x = new NumberAxis(cost);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(nll ? "NLL, nats per sample (lower is better)" : "density (higher is better)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        return chart(plot, group.dataset() + ", " + group.emphasis().id() + ": cost against "
                + (nll ? "NLL" : "density"));
    }

    private static JFreeChart convergencePlot(StudyReport report, StudyCell group) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        BasicStroke dashed = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[]{6f, 4f}, 0f);
        int series = 0;
        for (Convergence c : report.convergences()) {
            if (!same(c.cell(), group) || c.failed()) {
                continue;
            }
            for (StudyMethod m : List.of(StudyMethod.AUTONF, StudyMethod.GA)) {
                XYSeries s = new XYSeries(m.label() + " seed " + c.cell().seed(), false, true);
                for (Convergence.Point p : m == StudyMethod.AUTONF ? c.autonf() : c.ga()) {
                    if (p.layerEvaluations() > 0 && p.objective() < GaObjective.FAILED_FITNESS) {
                        s.add(p.layerEvaluations(), p.objective());
                    }
                }
                data.addSeries(s);
                renderer.setSeriesPaint(series, shade(METHOD_COLOURS[m.ordinal()], c.cell().seed()));
                renderer.setSeriesStroke(series, m == StudyMethod.AUTONF ? new BasicStroke(1.6f) : dashed);
                renderer.setSeriesShape(series, shape(m));
                series++;
            }
        }
        LogarithmicAxis x = new LogarithmicAxis("layer evaluations spent (log scale)");
        x.setExpTickLabelsFlag(true);
        x.setStrictValuesFlag(false);
        NumberAxis y = new NumberAxis("val. NLL + λ·cost (lower is better)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        return chart(plot, group.dataset() + ", " + group.emphasis().id());
    }

    private static boolean same(StudyCell cell, StudyCell group) {
        return cell.dataset().equals(group.dataset()) && cell.emphasis() == group.emphasis();
    }

    private static Shape shape(StudyMethod m) {
        return switch (m) {
            case RQ_AF, RQ_C -> new Rectangle2D.Double(-4, -4, 8, 8);
            case AUTONF -> new Ellipse2D.Double(-4.5, -4.5, 9, 9);
            case GA -> new java.awt.Polygon(new int[]{0, 5, -5}, new int[]{-5, 4, 4}, 3);
        };
    }

    /** A lighter shade of {@code base} per seed, so that seeds can be told apart within a method. */
    private static Color shade(Color base, long seed) {
        float t = (float) Math.floorMod(seed - 1, 4) * 0.18f;
        return new Color(mix(base.getRed(), t), mix(base.getGreen(), t), mix(base.getBlue(), t));
    }

    private static int mix(int c, float t) {
        return Math.round(c + (255 - c) * t);
    }

    private static JFreeChart chart(XYPlot plot, String title) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static BufferedImage canvas(int columns, int rows) {
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, TITLE_HEIGHT + rows * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        return image;
    }

    private static void title(Graphics2D g, int width, String text) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, Math.max(8, (width - w) / 2), 26);
    }

    private static void draw(Graphics2D g, JFreeChart chart, int column, int row) {
        chart.draw(g, new Rectangle2D.Double(column * PANEL_WIDTH, TITLE_HEIGHT + row * PANEL_HEIGHT, PANEL_WIDTH,
                PANEL_HEIGHT));
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, image);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the chart as PNG", e);
        }
    }
}
