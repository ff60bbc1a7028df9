package io.autonf.metric;

import io.autonf.cost.CostEmphasis;
import io.autonf.train.NllEstimate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FomTest {

    @Test
    void cheaperAndDenserIsPositiveAndTheReferenceItselfScoresZero() {
        // Half the cost at 5% less density: 50 - 5.
        Fom half = Fom.of(1.0, 2.0, 0.95, 1.0);
        assertEquals(50.0, half.costReductionPercent(), 1e-12);
        assertEquals(-5.0, half.densityChangePercent(), 1e-12);
        assertEquals(45.0, half.value(), 1e-12);
        assertEquals(0.0, Fom.of(3e-6, 3e-6, 0.8, 0.8).value(), 0.0);
        // Dearer and less dense is negative on both counts.
        Fom worse = Fom.of(3.0, 2.0, 0.5, 1.0);
        assertEquals(-50.0, worse.costReductionPercent(), 1e-12);
        assertEquals(-50.0, worse.densityChangePercent(), 1e-12);
        assertEquals(-100.0, worse.value(), 1e-12);
        // A denser flow at the same cost gains exactly its density change.
        assertEquals(20.0, Fom.of(2.0, 2.0, 1.2, 1.0).value(), 1e-12);
    }

    @Test
    void pickingTheCostByEmphasis() {
        NllEstimate nll = new NllEstimate(1.0, 0.1, 100);
        FlowEvaluation flow = new FlowEvaluation(nll, new PrdcResult(0.9, 0.9, 1.1, 0.9), 100, 100, 5, Double.NaN, Double.NaN)
                .withCosts(1e-5, 4e-5);
        FlowEvaluation reference = new FlowEvaluation(nll, new PrdcResult(0.9, 0.9, 1.0, 0.9), 100, 100, 5, 4e-5, 2e-5);
        assertEquals(75.0 + 10.0, Fom.of(flow, reference, CostEmphasis.FORWARD).value(), 1e-9);
        assertEquals(-100.0 + 10.0, Fom.of(flow, reference, CostEmphasis.INVERSE).value(), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fom.of(flow, reference, CostEmphasis.TRAINING));
        assertTrue(e.getMessage().contains("training"), e.getMessage());
        FlowEvaluation noCost = new FlowEvaluation(nll, new PrdcResult(0.9, 0.9, 1.0, 0.9), 100, 100, 5, Double.NaN, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> Fom.of(flow, noCost, CostEmphasis.FORWARD));
        assertTrue(e.getMessage().contains("reference") && e.getMessage().contains("forward"), e.getMessage());
    }

    @Test
    void undefinedComparisonsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Fom.of(1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Fom.of(1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Fom.of(-1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Fom.of(1, 1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Fom.of(1, Double.POSITIVE_INFINITY, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FlowEvaluation(new NllEstimate(1, 0, 1),
                new PrdcResult(1, 1, 1, 1), 100, 100, 5, -1e-6, Double.NaN));
    }
}
