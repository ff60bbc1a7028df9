package io.autonf.search;

import io.autonf.event.SearchListener;
import io.autonf.flow.Batch;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.train.NllEstimate;

import java.util.List;

/**
 * The paper's Section 4.1 experiment (its Fig. 3): a 4-layer mixture of planar and radial layers searched with
 * the original loss (M1, eq. 8) and with the upper bound (M2, eq. 9) from the same seed, then each argmax
 * architecture scored on test data.
 *
 * <p>The architectures are scored by <em>extracting</em> their path from the mixture, with the parameters the
 * search trained, not by retraining: the figure is about what binarising does to each loss's solution. M1's
 * optimum may be a true mixture (good as a mixture, poor once only its argmax path is kept), while M2 ends at a
 * single path, so it loses nothing when binarised. All four layers form one block (16 paths), searched jointly.
 */
public final class Fig3 {

    public static final List<LayerKind> OPTIONS = List.of(LayerKind.PLANAR, LayerKind.RADIAL);
    public static final int LAYERS = 4;
    /** A layer whose largest weight is at least this counts as one-hot (decided). */
    public static final double ONE_HOT = 0.99;

    public static final int DEFAULT_STEPS = 1000;
    public static final int DEFAULT_BATCH = 256;
    /**
     * θ moves faster than in flow training: planar and radial layers have few parameters and the run is short.
     * α: DARTS' Adam betas with a larger step and no weight decay, since decay pulls α towards uniform and so
     * works against the one-hot end point the experiment looks for (it only shifts where M2 stops short of it).
     */
    public static final AdamSettings DEFAULT_THETA = AdamSettings.THETA_DEFAULT.withLearningRate(5e-3);
    public static final AdamSettings DEFAULT_ALPHA = AdamSettings.DARTS_ALPHA.withLearningRate(1e-2).withWeightDecay(0);

    private Fig3() {
    }

    /**
     * One search of the experiment.
     *
     * @param settings only the LU layers and the base matter here; planar and radial layers have no networks
     */
    public static SearchConfig config(SearchLoss loss, long seed, int steps, int batch, AdamSettings theta,
                                      AdamSettings alpha, LayerSettings settings, int threads) {
        return SearchConfig.builder(new SearchSpace(LAYERS, OPTIONS, settings)).loss(loss).lambda(0)
                .method(SearchMethod.BLOCK).blockSize(LAYERS).rounds(1).stepsPerBlock(steps).thetaBatchSize(batch)
                .alphaBatchSize(batch).theta(theta).alpha(alpha).seed(seed).threads(threads).build();
    }

    /**
     * What one search found and how it scores.
     *
     * @param mixtureTestNll   −log Σ_k W_k p_k(x) of the test rows: the mixture itself
     * @param binarisedTestNll the argmax path alone, with the search's parameters
     */
    public record Run(SearchConfig config, SearchResult result, NllEstimate mixtureTestNll,
                      NllEstimate binarisedTestNll) {

        /** Layers whose largest weight stays below {@link #ONE_HOT}. */
        public int mixedLayers() {
            int mixed = 0;
            for (int i = 0; i < result.choice().length; i++) {
                if (result.maxWeight(i) < ONE_HOT) {
                    mixed++;
                }
            }
            return mixed;
        }
    }

    /** Runs {@code config}'s search on {@code train}/{@code validation} and scores it on {@code test}. */
    public static Run run(SearchConfig config, Batch train, Batch validation, Batch test, SearchListener listener) {
        try (MixtureFlow mixture = new MixtureFlow(config.space(), train.cols(), config.initialisationRandom(),
                config.threads())) {
            SearchResult result = new AutoNfSearch(config, mixture, null).run(train, validation, listener);
            NllEstimate mixtureNll = nll(mixture.logProb(test, LayerRoles.allMixed(config.space().layers())));
            NllEstimate pathNll = nll(mixture.extract(result.choice()).logProb(test));
            return new Run(config, result, mixtureNll, pathNll);
        }
    }

    private static NllEstimate nll(double[] logProb) {
        double[] nll = new double[logProb.length];
        for (int i = 0; i < nll.length; i++) {
            nll[i] = -logProb[i];
        }
        return NllEstimate.of(nll);
    }
}
