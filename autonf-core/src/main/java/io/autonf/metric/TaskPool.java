package io.autonf.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A fixed number of worker threads that share a list of numbered tasks. Each worker owns a state of its own
 * (scratch space, partial results) and pulls the next task number until none is left; the caller merges the
 * states. Which worker runs which task depends on timing, so callers only accumulate into states in ways whose
 * merged result cannot depend on it (integer counts, flags, minima, k smallest values).
 *
 * <p>One thread runs everything on the caller's thread; more threads use a pool that {@link #close} ends.
 */
final class TaskPool implements AutoCloseable {

    /** The work of one task, accumulated into the worker's state. */
    interface Task<S> {
        void run(int task, S state);
    }

    private final int threads;
    private final ExecutorService pool;

    TaskPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "autonf-metric-" + System.identityHashCode(this));
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs tasks {@code 0 .. tasks-1}, in increasing order of number per worker; returns the workers' states. */
    <S> List<S> run(int tasks, Supplier<S> newState, Task<S> task) {
        int workers = Math.max(1, Math.min(threads, tasks));
        AtomicInteger next = new AtomicInteger();
        List<S> states = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            states.add(newState.get());
        }
        if (pool == null || workers == 1) {
            S state = states.get(0);
            for (int t = 0; t < tasks; t++) {
                task.run(t, state);
            }
            return states;
        }
        List<Future<?>> running = new ArrayList<>(workers);
        for (S state : states) {
            running.add(pool.submit(() -> {
                for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                    task.run(t, state);
                }
            }));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing distances", e);
        } catch (ExecutionException e) {
            running.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a distance worker failed", e.getCause());
        }
        return states;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
