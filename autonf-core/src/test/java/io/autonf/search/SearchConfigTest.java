package io.autonf.search;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchConfigTest {

    private static final List<LayerKind> PAPER = List.of(LayerKind.MAF, LayerKind.RQ_AR, LayerKind.AFFINE_C, LayerKind.RQ_C);

    private static SearchSpace space(int layers, List<LayerKind> options) {
        return new SearchSpace(layers, options, LayerSettings.DEFAULT.withHiddenFeatures(8));
    }

    private static void assertRejected(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void defaultsAreValidAndFollowDarts() {
        SearchConfig c = SearchConfig.builder(space(4, PAPER)).build();
        assertEquals(SearchLoss.UPPER_BOUND, c.loss());
        assertEquals(SearchMethod.BLOCK, c.method());
        assertEquals(SearchConfig.DEFAULT_BLOCK_ROUNDS, c.rounds());
        assertEquals(3e-4, c.alpha().learningRate());
        assertEquals(0.5, c.alpha().beta1());
        assertEquals(0.999, c.alpha().beta2());
        assertEquals(1e-3, c.alpha().weightDecay());
        assertEquals(4, c.blockCount());
        assertEquals(4 * 2 * SearchConfig.DEFAULT_STEPS_PER_BLOCK, c.totalSteps());
        assertTrue(c.memoryBudgetBytes() > 0);
    }

    @Test
    void growDefaultsToOneRound() {
        SearchConfig c = SearchConfig.builder(space(4, PAPER)).method(SearchMethod.GROW).blockSize(3).build();
        assertEquals(1, c.rounds());
        assertEquals(2, c.blockCount());
    }

    @Test
    void negativeOrNonFiniteLambdaIsRejected() {
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).lambda(-0.1).build(), "lambda", "-0.1");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).lambda(Double.NaN).build(), "lambda", "NaN");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).lambda(Double.POSITIVE_INFINITY).build(), "lambda");
    }

    @Test
    void emptyOrUnknownOptionsAreRejected() {
        assertRejected(() -> SearchConfig.parseOptions(""), "empty option list");
        assertRejected(() -> SearchConfig.parseOptions("maf,,rq-c"), "option 2", "empty");
        assertRejected(() -> SearchConfig.parseOptions("maf,"), "option 2", "empty");
        assertRejected(() -> SearchConfig.parseOptions("maf,glow"), "unknown layer 'glow'");
        assertRejected(() -> space(2, List.of()), "at least one option");
        assertRejected(() -> space(2, List.of(LayerKind.MAF, LayerKind.MAF)), "repeat");
        assertEquals(PAPER, SearchConfig.parseOptions(" maf, rq-ar ,affine-c,RQ-C"));
    }

    @Test
    void blockLargerThanTheLayersIsRejected() {
        assertRejected(() -> SearchConfig.builder(space(3, PAPER)).blockSize(4).build(), "block size", "layers 3", "4");
        assertRejected(() -> SearchConfig.builder(space(3, PAPER)).blockSize(0).build(), "block size", "0");
    }

    @Test
    void identityOnlyWithGrowOrWhenAllowed() {
        List<LayerKind> withIdentity = List.of(LayerKind.MAF, LayerKind.IDENTITY);
        assertRejected(() -> SearchConfig.builder(space(3, withIdentity)).build(), "identity", "grow");
        SearchConfig grow = SearchConfig.builder(space(3, withIdentity)).method(SearchMethod.GROW).build();
        assertEquals(SearchMethod.GROW, grow.method());
        SearchConfig allowed = SearchConfig.builder(space(3, withIdentity)).allowIdentity(true).build();
        assertTrue(allowed.allowIdentity());
        assertRejected(() -> SearchConfig.builder(space(3, List.of(LayerKind.IDENTITY))).method(SearchMethod.GROW).build(),
                "only option");
    }

    @Test
    void otherBadValuesNameThemselves() {
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).method(SearchMethod.GROW).rounds(2).build(),
                "grow", "rounds must be 1", "2");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).rounds(0).build(), "rounds", "0");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).stepsPerBlock(0).build(), "steps per block", "0");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).stepsPerBlock(5).warmupSteps(5).build(),
                "warm-up", "5");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).thetaBatchSize(0).build(), "θ batch size");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).alphaBatchSize(-3).build(), "α batch size", "-3");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).memoryBudgetBytes(0).build(), "memory budget");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).threads(0).build(), "threads", "0");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).loss(null).build(), "loss");
        assertRejected(() -> SearchConfig.builder(space(2, PAPER)).retraining(null).build(), "retraining");
        assertRejected(() -> AdamSettings.DARTS_ALPHA.withBetas(1.0, 0.999), "beta1", "1.0");
        assertRejected(() -> AdamSettings.DARTS_ALPHA.withLearningRate(0), "learning rate");
        assertRejected(() -> AdamSettings.DARTS_ALPHA.withWeightDecay(-1), "weight decay");
        assertRejected(() -> SearchMethod.parse("darts"), "unknown search method 'darts'");
        assertRejected(() -> SearchLoss.parse("elbo"), "unknown loss 'elbo'");
    }
}
