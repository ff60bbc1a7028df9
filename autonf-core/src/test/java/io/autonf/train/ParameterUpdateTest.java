package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ParameterUpdateTest {

    /** Large enough for the parallel path, with sizes that are not multiples of the block and a tiny one. */
    private static final int[] SIZES = {70_001, 5, ParameterUpdate.BLOCK * 4 + 3, 1_000};
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void shutDown() {
        POOL.shutdownNow();
    }

    private static Map<String, Parameter> parameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (int i = 0; i < SIZES.length; i++) {
            Parameter p = new Parameter(SIZES[i]);
            double[] v = new double[SIZES[i]];
            for (int j = 0; j < v.length; j++) {
                v[j] = rng.nextGaussian();
            }
            p.set(v);
            m.put("p" + i, p);
        }
        return m;
    }

    /** Three chunks of random gradients; the last chunk never touches parameter 1, the first never parameter 3. */
    private static Gradients[] chunks(Map<String, Parameter> params, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Gradients[] chunks = {new Gradients(), new Gradients(), new Gradients()};
        List<Parameter> list = List.copyOf(params.values());
        for (int c = 0; c < chunks.length; c++) {
            for (int i = 0; i < list.size(); i++) {
                if ((c == 2 && i == 1) || (c == 0 && i == 3)) {
                    continue;
                }
                double[] g = chunks[c].of(list.get(i));
                for (int j = 0; j < g.length; j++) {
                    g[j] = 1e-3 * rng.nextGaussian();
                }
            }
        }
        return chunks;
    }

    /** Runs the tasks on the pool, in reverse order of submission, so that no order can be relied on. */
    private static Object runOnPool(List<Callable<Void>> tasks) {
        List<Future<Void>> futures = new ArrayList<>();
        for (int i = tasks.size() - 1; i >= 0; i--) {
            futures.add(POOL.submit(tasks.get(i)));
        }
        try {
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private record Outcome(double norm, List<double[]> values, List<double[]> firstMoments) {
    }

    /** Two steps of reduce-then-apply with {@code workers} tasks. */
    private static Outcome twoSteps(int workers) {
        Map<String, Parameter> params = parameters(1);
        Adam adam = new Adam(params, 1e-4);
        ParameterUpdate update = new ParameterUpdate(adam, workers, ParameterUpdateTest::runOnPool);
        double norm = 0;
        for (int step = 0; step < 2; step++) {
            Gradients[] chunks = chunks(params, 10 + step);
            norm = update.reduce(chunks, chunks.length);
            update.apply(chunks[0], 1e-3, 0.75);
        }
        List<double[]> values = new ArrayList<>();
        List<double[]> moments = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            values.add(e.getValue().values().clone());
            moments.add(adam.firstMoment(e.getKey()));
        }
        return new Outcome(norm, values, moments);
    }

    @Test
    void resultsAreBitIdenticalWithAnyNumberOfWorkers() {
        Outcome one = twoSteps(1);
        for (int workers : new int[] {2, 3, 7}) {
            Outcome many = twoSteps(workers);
            assertEquals(one.norm(), many.norm(), 0.0, workers + " workers: norm");
            for (int i = 0; i < SIZES.length; i++) {
                assertArrayEquals(one.values().get(i), many.values().get(i), 0.0, workers + " workers: p" + i);
                assertArrayEquals(one.firstMoments().get(i), many.firstMoments().get(i), 0.0, workers + " workers: m" + i);
            }
        }
    }

    @Test
    void matchesAddingTheChunksThenClippingAndAdamStepByStep() {
        Map<String, Parameter> params = parameters(2);
        Map<String, Parameter> reference = parameters(2);
        List<Parameter> refList = List.copyOf(reference.values());
        Adam adam = new Adam(params, 1e-4);
        Adam refAdam = new Adam(reference, 1e-4);
        ParameterUpdate update = new ParameterUpdate(adam, 2, ParameterUpdateTest::runOnPool);

        Gradients[] chunks = chunks(params, 20);
        // The reference: a fresh sum of the chunks in chunk order, mapped onto the reference parameters.
        Gradients sum = new Gradients();
        List<Parameter> list = List.copyOf(params.values());
        for (Gradients chunk : chunks) {
            for (int i = 0; i < list.size(); i++) {
                double[] g = chunk.getOrNull(list.get(i));
                if (g != null) {
                    double[] into = sum.of(refList.get(i));
                    for (int j = 0; j < g.length; j++) {
                        into[j] += g[j];
                    }
                }
            }
        }
        double refNorm = GradientClipping.norm(sum, refList);

        double norm = update.reduce(chunks, chunks.length);
        // The blocks sum in another order than one running sum: equal to rounding, not bit for bit.
        assertEquals(refNorm, norm, 1e-13 * refNorm);
        for (int i = 0; i < list.size(); i++) {
            assertArrayEquals(sum.of(refList.get(i)), chunks[0].of(list.get(i)), 0.0, "summed gradient p" + i);
        }
        double factor = 0.5 / norm;
        assertNotEquals(1.0, factor, "the test must clip");
        // Clipping scales the gradients in place before Adam; the update folds the factor into Adam's step.
        sum.scale(factor);
        refAdam.step(sum, 1e-3);
        update.apply(chunks[0], 1e-3, factor);
        for (int i = 0; i < list.size(); i++) {
            assertArrayEquals(refList.get(i).values(), list.get(i).values(), 0.0, "updated p" + i);
            assertEquals(1, adam.steps("p" + i));
        }
    }

    @Test
    void resetGradientsHandBackTheSameArraysZeroed() {
        Parameter a = new Parameter(3);
        Parameter b = new Parameter(2);
        Gradients g = new Gradients();
        double[] ga = g.of(a);
        ga[1] = 4;
        g.of(b)[0] = 2;
        g.reset();
        assertNull(g.getOrNull(a), "nothing accumulated after a reset");
        assertNull(g.getOrNull(b));
        assertSame(ga, g.of(a), "the array is reused");
        assertArrayEquals(new double[3], g.of(a), 0.0, "and zeroed");
        assertNull(g.getOrNull(b), "b stays absent until touched");
    }
}
