package io.autonf.ga;

import io.autonf.cost.CostTable;
import io.autonf.cost.Hardware;
import io.autonf.cost.LayerCost;
import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.search.SearchSpace;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Small spaces, hand-made cost tables and a counting stand-in for candidate training. */
final class GaFixtures {

    static final LayerSettings TINY = new LayerSettings(8, 1, 4, 3.0, Precision.FP64);

    private GaFixtures() {
    }

    static SearchSpace space(int layers, LayerKind... options) {
        return new SearchSpace(layers, List.of(options), TINY);
    }

    /** Different forward, inverse and training costs per kind, so that the emphasis matters. */
    static CostTable costs(int dimension) {
        Map<LayerKind, LayerCost> layers = new EnumMap<>(LayerKind.class);
        layers.put(LayerKind.MAF, new LayerCost(LayerKind.MAF, 2e-6, 9e-6, 5e-6, 100, 100));
        layers.put(LayerKind.RQ_AR, new LayerCost(LayerKind.RQ_AR, 4e-6, 20e-6, 9e-6, 100, 100));
        layers.put(LayerKind.AFFINE_C, new LayerCost(LayerKind.AFFINE_C, 1e-6, 1e-6, 3e-6, 100, 100));
        layers.put(LayerKind.RQ_C, new LayerCost(LayerKind.RQ_C, 3e-6, 3e-6, 7e-6, 100, 100));
        return new CostTable(CostTable.FORMAT_VERSION, Instant.EPOCH, Hardware.current(), dimension, TINY, 64, 1,
                layers);
    }

    /** Every choice of {@code layers} layers among {@code options} options, the last layer fastest. */
    static List<int[]> allChoices(int layers, int options) {
        List<int[]> all = new ArrayList<>();
        int[] c = new int[layers];
        while (true) {
            all.add(c.clone());
            int i = layers - 1;
            while (i >= 0 && ++c[i] == options) {
                c[i] = 0;
                i--;
            }
            if (i < 0) {
                return all;
            }
        }
    }

    /**
     * A stand-in for training: the validation NLL is a fixed function of the architecture (each kind adds a
     * fixed amount per layer, so some architectures are better than others), every call is counted per
     * architecture, and architectures matching {@code fails} throw.
     */
    static final class FakeTraining implements CandidateTraining {
        final AtomicInteger calls = new AtomicInteger();
        final Map<Architecture, AtomicInteger> perArchitecture = new ConcurrentHashMap<>();
        final Set<Long> seeds = ConcurrentHashMap.newKeySet();
        private final Predicate<Architecture> fails;
        private final long layerEvaluationsPerLayer;
        private final double constantNll;

        FakeTraining() {
            this(a -> false, 1000, Double.NaN);
        }

        FakeTraining(Predicate<Architecture> fails, long layerEvaluationsPerLayer, double constantNll) {
            this.fails = fails;
            this.layerEvaluationsPerLayer = layerEvaluationsPerLayer;
            this.constantNll = constantNll;
        }

        @Override
        public TrainingOutcome train(Architecture architecture, long seed) {
            calls.incrementAndGet();
            perArchitecture.computeIfAbsent(architecture, a -> new AtomicInteger()).incrementAndGet();
            seeds.add(seed);
            if (fails.test(architecture)) {
                throw new IllegalStateException("injected failure of " + architecture);
            }
            double nll = constantNll;
            if (Double.isNaN(nll)) {
                nll = 5;
                for (int i = 0; i < architecture.size(); i++) {
                    nll -= switch (architecture.layer(i)) {
                        case MAF -> 0.3;
                        case RQ_AR -> 0.5 + 0.01 * i;
                        case AFFINE_C -> 0.1;
                        case RQ_C -> 0.4 - 0.01 * i;
                        default -> 0.05;
                    };
                }
                // A little of the seed, so that a wrong seed would show in the results.
                nll += (seed & 0xff) * 1e-6;
            }
            return TrainingOutcome.succeeded(nll, 10, layerEvaluationsPerLayer * architecture.size(),
                    Duration.ofMillis(1));
        }
    }
}
