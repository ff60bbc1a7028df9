package io.autonf.nn;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.autonf.nn.NetworkTestSupport.randomBatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Two threads running passes on one network must get exactly what sequential passes get. */
class NetworkConcurrencyTest {

    private record Result(double[] outputs, double[] gradInputs, double[][] gradients) {
    }

    private static Result run(Network net, Batch x, Batch g) {
        Gradients gradients = new Gradients();
        NetworkPass pass = net.forward(x);
        Batch dx = pass.backward(g, gradients);
        double[][] grads = net.parameters().values().stream().map(gradients::of).toArray(double[][]::new);
        return new Result(pass.outputs().values(), dx.values(), grads);
    }

    @Test
    void concurrentPassesMatchSequentialOnes() throws Exception {
        Network net = Networks.made(6, 2, 96, 2, Precision.FP32, new SplittableRandom(12));
        SplittableRandom rng = new SplittableRandom(13);
        Batch[] xs = {randomBatch(rng, 37, 6), randomBatch(rng, 64, 6)};
        Batch[] gs = {randomBatch(rng, 37, 12), randomBatch(rng, 64, 12)};
        Result[] expected = {run(net, xs[0], gs[0]), run(net, xs[1], gs[1])};

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                // Stale caches make both threads race to rebuild the packed weights.
                for (Parameter p : net.parameters().values()) {
                    p.markUpdated();
                }
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?>[] done = new Future<?>[2];
                for (int t = 0; t < 2; t++) {
                    int which = t;
                    done[t] = pool.submit(() -> {
                        start.await();
                        for (int repeat = 0; repeat < 5; repeat++) {
                            Result r = run(net, xs[which], gs[which]);
                            assertArrayEquals(expected[which].outputs(), r.outputs());
                            assertArrayEquals(expected[which].gradInputs(), r.gradInputs());
                            for (int p = 0; p < r.gradients().length; p++) {
                                assertArrayEquals(expected[which].gradients()[p], r.gradients()[p]);
                            }
                        }
                        return null;
                    });
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
