package io.autonf.search;

import io.autonf.flow.Batch;
import io.autonf.flow.ForwardPass;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerKind;
import io.autonf.flow.Layers;
import io.autonf.flow.Mapping;
import io.autonf.flow.Parameter;
import io.autonf.flow.Transform;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.PLANAR;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;
import static io.autonf.search.LayerRoles.ABSENT;
import static io.autonf.search.LayerRoles.MIXED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the tree is walked: each prefix once, the same numbers on any number of threads, and its memory. */
class MixtureWalkTest {

    /** Counts a candidate's forward calls and remembers which inputs it saw. */
    static final class Counting implements Transform {
        private final Transform inner;
        private final int layer;
        private final Counter counter;

        Counting(Transform inner, int layer, Counter counter) {
            this.inner = inner;
            this.layer = layer;
            this.counter = counter;
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public ForwardPass forward(Batch inputs) {
            counter.calls.incrementAndGet();
            counter.rows.addAndGet(inputs.rows());
            counter.callsPerLayer[layer].incrementAndGet();
            // A prefix evaluated twice would hand this candidate the same input twice.
            counter.seen.add(System.identityHashCode(this) + ":" + Arrays.hashCode(inputs.values()));
            counter.threads.add(Thread.currentThread());
            if (counter.pauseMillis > 0) {
                try {
                    Thread.sleep(counter.pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inner.forward(inputs);
        }

        @Override
        public Mapping inverse(Batch inputs) {
            return inner.inverse(inputs);
        }

        @Override
        public Map<String, Parameter> parameters() {
            return inner.parameters();
        }
    }

    static final class Counter {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong rows = new AtomicLong();
        final AtomicLong[] callsPerLayer;
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        volatile long pauseMillis;

        Counter(int layers) {
            callsPerLayer = new AtomicLong[layers];
            for (int i = 0; i < layers; i++) {
                callsPerLayer[i] = new AtomicLong();
            }
        }

        void reset() {
            calls.set(0);
            rows.set(0);
            for (AtomicLong c : callsPerLayer) {
                c.set(0);
            }
            seen.clear();
            threads.clear();
        }
    }

    private static MixtureFlow counted(SearchSpace space, int dimension, int threads, Counter counter) {
        MixtureFlow mixture = new MixtureFlow(space, dimension, new SplittableRandom(7), threads,
                (kind, layer, d, settings, rng) -> new Counting(Layers.layer(kind, layer, d, settings, rng), layer, counter));
        MixtureFixtures.perturb(mixture.thetaParameters(), 0.1, new SplittableRandom(8));
        MixtureFixtures.perturb(mixture.alphaParameters(), 1.0, new SplittableRandom(9));
        return mixture;
    }

    @Test
    void everyPrefixRunsOnceAllMixed() {
        int layers = 3;
        int m = 3;
        Counter counter = new Counter(layers);
        for (int threads : new int[] {1, 2}) {
            try (MixtureFlow mixture = counted(MixtureFixtures.space(layers, MAF, RQ_C, AFFINE_C), 3, threads, counter)) {
                LayerRoles roles = LayerRoles.allMixed(layers);
                Batch x = MixtureFixtures.gaussian(5, 3, 1.0, new SplittableRandom(10));
                long nodes = m + m * m + m * m * m; // Σ_{i=1..n} m^i = 39, against n·m^n = 81 path by path
                assertEquals(nodes * 5, mixture.layerEvaluations(roles, 5));
                for (Gradients theta : new Gradients[] {null, new Gradients()}) {
                    for (SearchLoss loss : SearchLoss.values()) {
                        counter.reset();
                        MixtureEvaluation e = mixture.evaluate(x, loss, roles, theta, new Gradients());
                        String what = loss + (theta == null ? " without" : " with") + " θ-gradients, " + threads + " threads";
                        assertEquals(nodes, counter.calls.get(), what);
                        assertEquals(nodes * 5, counter.rows.get(), what);
                        assertEquals(nodes * 5, e.layerEvaluations(), what);
                        assertEquals(nodes, counter.seen.size(), what + ": a prefix ran twice");
                        for (int i = 0; i < layers; i++) {
                            assertEquals((long) Math.pow(m, i + 1), counter.callsPerLayer[i].get(), what + ", layer " + i);
                        }
                    }
                }
                counter.reset();
                mixture.logProb(x, roles);
                assertEquals(nodes, counter.calls.get());
            }
        }
    }

    @Test
    void siblingSubtreesRunOnTheWorkers() {
        Counter counter = new Counter(3);
        Batch x = MixtureFixtures.gaussian(4, 3, 1.0, new SplittableRandom(16));
        SearchSpace space = MixtureFixtures.space(3, MAF, AFFINE_C);
        try (MixtureFlow serial = counted(space, 3, 1, counter)) {
            serial.evaluate(x, SearchLoss.UPPER_BOUND, LayerRoles.allMixed(3), new Gradients(), null);
            assertEquals(Set.of(Thread.currentThread()), counter.threads, "one thread: all on the caller");
        }
        counter.reset();
        // A slow candidate leaves the second worker ample time to steal a sibling subtree.
        counter.pauseMillis = 2;
        try (MixtureFlow parallel = counted(space, 3, 2, counter)) {
            parallel.evaluate(x, SearchLoss.UPPER_BOUND, LayerRoles.allMixed(3), new Gradients(), null);
            assertEquals(2, counter.threads.size(), "both workers take part");
            assertTrue(!counter.threads.contains(Thread.currentThread()), "the caller waits for the pool");
        }
    }

    @Test
    void fixedLayersRunOncePerPrefixAndAbsentLayersNever() {
        Counter counter = new Counter(4);
        try (MixtureFlow mixture = counted(MixtureFixtures.space(4, MAF, RQ_AR), 3, 2, counter)) {
            // Paths: 2 (layer 0) x 1 (layer 1 fixed) x skip (layer 2) x 2 (layer 3) = 4; nodes 2 + 2 + 4 = 8.
            LayerRoles roles = new LayerRoles(new int[] {MIXED, 0, ABSENT, MIXED});
            Batch x = MixtureFixtures.gaussian(6, 3, 1.0, new SplittableRandom(11));
            assertEquals(4, mixture.pathCount(roles));
            assertEquals(8 * 6, mixture.layerEvaluations(roles, 6));
            MixtureEvaluation e = mixture.evaluate(x, SearchLoss.UPPER_BOUND, roles, new Gradients(), new Gradients());
            assertEquals(8, counter.calls.get());
            assertEquals(8 * 6, e.layerEvaluations());
            assertArrayEquals(new long[] {2, 2, 0, 4}, Arrays.stream(counter.callsPerLayer).mapToLong(AtomicLong::get).toArray());
            // Block method, the block at the end: a chain of fixed layers, then the branching.
            LayerRoles block = new LayerRoles(new int[] {1, 0, MIXED, MIXED});
            assertEquals(1 + 1 + 2 + 4, mixture.layerEvaluations(block, 1));
            assertEquals(4, mixture.pathCount(block));
            assertEquals(1, mixture.pathCount(new LayerRoles(new int[] {1, 0, 1, 1})));
        }
    }

    @Test
    void resultsAreBitIdenticalOnOneTwoAndThreeThreads() {
        // The walk adds the same numbers in the same order on any number of threads, so the results are as
        // reproducible as the candidates' own passes, which are bit-stable across interpreted and compiled code
        // (the spline layers included, since their exp/log come from VectorMath rather than the Vector API's).
        SearchSpace space = MixtureFixtures.space(3, MAF, PLANAR, AFFINE_C, RQ_C, RQ_AR);
        Batch x = MixtureFixtures.gaussian(8, 3, 1.0, new SplittableRandom(12));
        for (LayerRoles roles : List.of(LayerRoles.allMixed(3), new LayerRoles(new int[] {2, MIXED, MIXED}))) {
            for (SearchLoss loss : SearchLoss.values()) {
                List<double[]> reference = null;
                for (int threads : new int[] {1, 2, 3}) {
                    try (MixtureFlow mixture = MixtureFixtures.mixture(space, 3, threads, new SplittableRandom(13))) {
                        Gradients theta = new Gradients();
                        Gradients alpha = new Gradients();
                        MixtureEvaluation e = mixture.evaluate(x, loss, roles, theta, alpha);
                        List<double[]> numbers = new ArrayList<>();
                        numbers.add(new double[] {e.loss()});
                        numbers.add(e.meanPathNll());
                        numbers.add(mixture.logProb(x, roles));
                        for (Parameter p : mixture.thetaParameters(roles).values()) {
                            numbers.add(MixtureFixtures.gradientOf(theta, p));
                        }
                        for (Parameter p : mixture.alphaParameters().values()) {
                            numbers.add(MixtureFixtures.gradientOf(alpha, p));
                        }
                        if (reference == null) {
                            reference = numbers;
                        } else {
                            for (int i = 0; i < numbers.size(); i++) {
                                assertArrayEquals(reference.get(i), numbers.get(i), 0.0,
                                        loss + ", " + roles + ", " + threads + " threads, item " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theLossDoesNotDependOnWhetherGradientsAreTaken() {
        try (MixtureFlow mixture = MixtureFixtures.mixture(MixtureFixtures.space(2, RQ_AR, RQ_C), 3, 2, new SplittableRandom(14))) {
            Batch x = MixtureFixtures.gaussian(6, 3, 1.0, new SplittableRandom(15));
            for (SearchLoss loss : SearchLoss.values()) {
                MixtureEvaluation plain = mixture.evaluate(x, loss, LayerRoles.allMixed(2), null, null);
                MixtureEvaluation full = mixture.evaluate(x, loss, LayerRoles.allMixed(2), new Gradients(), new Gradients());
                assertEquals(plain, full);
            }
        }
    }

    @Test
    void memoryEstimatesFollowTheWalk() {
        SearchSpace space = new SearchSpace(4, List.of(MAF, RQ_AR, AFFINE_C, RQ_C),
                MixtureFixtures.SMALL.withHiddenFeatures(64));
        try (MixtureFlow mixture = new MixtureFlow(space, 6, new SplittableRandom(1), 2)) {
            LayerRoles one = new LayerRoles(new int[] {MIXED, 0, 0, 0});
            LayerRoles two = new LayerRoles(new int[] {MIXED, MIXED, 0, 0});
            LayerRoles all = LayerRoles.allMixed(4);
            long originalTwo = mixture.estimatedBytes(two, 256, SearchLoss.ORIGINAL);
            long originalAll = mixture.estimatedBytes(all, 256, SearchLoss.ORIGINAL);
            long upperTwo = mixture.estimatedBytes(two, 256, SearchLoss.UPPER_BOUND);
            long upperAll = mixture.estimatedBytes(all, 256, SearchLoss.UPPER_BOUND);
            // Keeping every pass grows with the nodes (52 -> 340); one path of passes per worker barely grows.
            assertTrue(originalAll > 4 * originalTwo, originalAll + " vs " + originalTwo);
            assertTrue(upperAll < 3 * upperTwo, upperAll + " vs " + upperTwo);
            assertTrue(upperAll < originalAll / 3, upperAll + " vs " + originalAll);
            assertTrue(mixture.estimatedBytes(one, 256, SearchLoss.ORIGINAL) < originalTwo);
            assertEquals(Math.max(upperAll, originalAll), mixture.estimatedBytes(all, 256));
            // Passes scale with the rows; the gradients that finished subtrees hold do not.
            assertTrue(mixture.estimatedBytes(all, 512, SearchLoss.ORIGINAL) > 1.5 * originalAll);

            mixture.checkMemory(two, 256, originalTwo);
            mixture.checkMemory(all, 256, SearchLoss.UPPER_BOUND, upperAll);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mixture.checkMemory(all, 256, originalAll / 2));
            assertTrue(e.getMessage().contains("4^4 = 256 paths"), e.getMessage());
            assertTrue(e.getMessage().contains("MiB"), e.getMessage());
            IllegalArgumentException upper = assertThrows(IllegalArgumentException.class,
                    () -> mixture.checkMemory(all, 256, SearchLoss.UPPER_BOUND, upperAll - 1));
            assertTrue(upper.getMessage().contains("upper-bound"), upper.getMessage());
        }
    }

    @Test
    void tooManyPathsAreRefusedBeforeAnyWork() {
        SearchSpace space = MixtureFixtures.space(13, MAF, RQ_AR, AFFINE_C, RQ_C);
        try (MixtureFlow mixture = new MixtureFlow(space, 2, new SplittableRandom(1), 1)) {
            LayerRoles all = LayerRoles.allMixed(13);
            assertEquals(1L << 26, mixture.pathCount(all));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mixture.logProb(MixtureFixtures.gaussian(2, 2, 1, new SplittableRandom(2)), all));
            assertTrue(e.getMessage().contains("4^13 = 67108864 paths"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> mixture.checkMemory(all, 64, 1L << 34));
        }
    }

    @Test
    void passMemoryModelMatchesWhatAForwardPassKeeps() throws IllegalAccessException {
        int rows = 256;
        int d = 6;
        for (io.autonf.flow.Precision precision : io.autonf.flow.Precision.values()) {
            var settings = new io.autonf.flow.LayerSettings(32, 2, 8, 3.0, precision);
            for (LayerKind kind : LayerKind.values()) {
                Transform layer = Layers.layer(kind, 0, d, settings, new SplittableRandom(3));
                Batch x = MixtureFixtures.gaussian(rows, d, 1.0, new SplittableRandom(4));
                ForwardPass pass = layer.forward(x);
                // The input is the parent's output, counted with the parent.
                long kept = RetainedArrays.bytes(pass, x, x.values());
                long modelled = PassMemory.bytesPerRow(kind, d, settings) * rows;
                // Never below what the pass keeps, and not far above.
                assertTrue(modelled >= kept && modelled <= 1.15 * kept,
                        kind + " " + precision + ": modelled " + modelled + " bytes, the pass keeps " + kept);
            }
        }
    }
}
