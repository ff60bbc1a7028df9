package io.autonf.cost;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.autonf.cost.CostFixtures.OTHER_MACHINE;
import static io.autonf.cost.CostFixtures.table;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureCostsTest {

    /** Forward costs: planar 1 µs, rq-c 2 µs, maf 4 µs (the fixture's kind k costs k+1 µs, in this order). */
    private static final CostTable TABLE = table(OTHER_MACHINE, 6, LayerSettings.DEFAULT,
            LayerKind.PLANAR, LayerKind.RQ_C, LayerKind.RADIAL, LayerKind.MAF);
    private static final List<LayerKind> OPTIONS = List.of(LayerKind.MAF, LayerKind.RQ_C, LayerKind.PLANAR,
            LayerKind.IDENTITY);

    @Test
    void costsAreNormalisedByTheMostExpensiveOption() {
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0},
                MixtureCosts.normalisedCosts(OPTIONS, TABLE, CostEmphasis.FORWARD), 1e-15);
        // Only the options set the scale: without maf, rq-c is the most expensive.
        assertArrayEquals(new double[] {1, 0.5},
                MixtureCosts.normalisedCosts(List.of(LayerKind.RQ_C, LayerKind.PLANAR), TABLE, CostEmphasis.INVERSE),
                1e-15);
        assertArrayEquals(new double[] {0}, MixtureCosts.normalisedCosts(List.of(LayerKind.IDENTITY), TABLE,
                CostEmphasis.FORWARD));
    }

    @Test
    void expectedCostIsTheWeightedSumOfNormalisedCosts() {
        double[][] w = {{0.1, 0.2, 0.3, 0.4}, {0.7, 0.1, 0.1, 0.1}};
        // (0.1 + 0.1 + 0.075 + 0) + (0.7 + 0.05 + 0.025 + 0)
        assertEquals(1.05, MixtureCosts.expectedCost(w, OPTIONS, TABLE, CostEmphasis.FORWARD), 1e-15);
        double[][] allMaf = {{1, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}};
        assertEquals(3, MixtureCosts.expectedCost(allMaf, OPTIONS, TABLE, CostEmphasis.TRAINING), 1e-15,
                "n layers of the most expensive option cost n");
    }

    @Test
    void atOneHotWeightsItEqualsTheArchitecturesCostOnTheSameScale() {
        Architecture a = Architecture.parse("rq-c,identity,maf,planar");
        double[][] oneHot = {{0, 1, 0, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}, {0, 0, 1, 0}};
        for (CostEmphasis e : CostEmphasis.values()) {
            double expected = MixtureCosts.expectedCost(oneHot, OPTIONS, TABLE, e);
            assertEquals(expected, MixtureCosts.architectureCost(a, OPTIONS, TABLE, e), 1e-15);
            assertEquals(TABLE.architectureCost(a, e) / TABLE.cost(LayerKind.MAF, e), expected, 1e-12,
                    "the same normalisation as the seconds divided by the most expensive option's");
        }
        assertThrows(IllegalArgumentException.class,
                () -> MixtureCosts.architectureCost(Architecture.parse("radial"), OPTIONS, TABLE, CostEmphasis.FORWARD));
    }

    @Test
    void theGradientWithRespectToTheWeightsMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] w = new double[3][OPTIONS.size()];
        for (double[] row : w) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextDouble();
            }
        }
        double[][] grad = MixtureCosts.expectedCostGradient(w, OPTIONS, TABLE, CostEmphasis.INVERSE);
        double h = 1e-6;
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
                double saved = w[i][j];
                w[i][j] = saved + h;
                double up = MixtureCosts.expectedCost(w, OPTIONS, TABLE, CostEmphasis.INVERSE);
                w[i][j] = saved - h;
                double down = MixtureCosts.expectedCost(w, OPTIONS, TABLE, CostEmphasis.INVERSE);
                w[i][j] = saved;
                assertRelativelyClose(grad[i][j], (up - down) / (2 * h), "w[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void theGradientWithRespectToTheLogitsMatchesFiniteDifferencesThroughTheSoftmax() {
        SplittableRandom rng = new SplittableRandom(4);
        double[][] alpha = new double[3][OPTIONS.size()];
        for (double[] row : alpha) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] grad = MixtureCosts.expectedCostLogitGradient(softmax(alpha), OPTIONS, TABLE, CostEmphasis.FORWARD);
        double h = 1e-5;
        for (int i = 0; i < alpha.length; i++) {
            for (int j = 0; j < alpha[i].length; j++) {
                double saved = alpha[i][j];
                alpha[i][j] = saved + h;
                double up = MixtureCosts.expectedCost(softmax(alpha), OPTIONS, TABLE, CostEmphasis.FORWARD);
                alpha[i][j] = saved - h;
                double down = MixtureCosts.expectedCost(softmax(alpha), OPTIONS, TABLE, CostEmphasis.FORWARD);
                alpha[i][j] = saved;
                assertRelativelyClose(grad[i][j], (up - down) / (2 * h), "alpha[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void badWeightsAndOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> MixtureCosts.expectedCost(new double[][] {{1, 0}}, OPTIONS, TABLE, CostEmphasis.FORWARD));
        assertThrows(IllegalArgumentException.class,
                () -> MixtureCosts.expectedCost(new double[][] {{Double.NaN, 0, 0, 1}}, OPTIONS, TABLE, CostEmphasis.FORWARD));
        assertThrows(IllegalArgumentException.class, () -> MixtureCosts.normalisedCosts(List.of(), TABLE,
                CostEmphasis.FORWARD));
        assertThrows(IllegalArgumentException.class, () -> MixtureCosts.normalisedCosts(
                List.of(LayerKind.MAF, LayerKind.MAF), TABLE, CostEmphasis.FORWARD));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixtureCosts.normalisedCosts(
                List.of(LayerKind.AFFINE_C), TABLE, CostEmphasis.FORWARD));
        assertTrue(e.getMessage().contains("affine-c"), e.getMessage());
    }

    private static double[][] softmax(double[][] logits) {
        double[][] w = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            w[i] = new double[logits[i].length];
            for (int j = 0; j < w[i].length; j++) {
                w[i][j] = Math.exp(logits[i][j] - max);
                sum += w[i][j];
            }
            for (int j = 0; j < w[i].length; j++) {
                w[i][j] /= sum;
            }
        }
        return w;
    }

    private static void assertRelativelyClose(double analytic, double numeric, String what) {
        double error = Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(analytic) + Math.abs(numeric));
        assertTrue(error <= 1e-6, what + ": analytic " + analytic + ", finite differences " + numeric);
    }
}
