package io.autonf.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples a meter registry at a fixed interval and hands the values to a sink as MLflow system metrics
 * {@code system/<name>}, with a step that grows by one per sample (MLflow draws them against it, or against
 * their time stamps).
 *
 * <p>Names follow Prometheus' spelling of the meter: dots become underscores and the base unit is appended
 * ({@code jvm.memory.used} → {@code system/jvm_memory_used_bytes}). A meter's series are summed over their tags
 * (memory over pools, GC pauses over causes), except the tags in {@link #SPLIT_TAGS}, whose value becomes part of
 * the name ({@code system/autonf_search_step_theta_mean_ms}). Per meter type:
 * <ul>
 *   <li>gauge: its value (negative values, which the JVM uses for "undefined", are left out of the sum);</li>
 *   <li>counter: {@code _total}, and {@code _per_s}, its rate since the previous sample;</li>
 *   <li>timer: {@code _count}, and {@code _mean_ms}, the mean of the events since the previous sample (when
 *       there were any); distribution summaries likewise with {@code _mean}.</li>
 * </ul>
 * A last sample is taken on {@link #close}, so a command shorter than the interval still leaves one.
 */
final class SystemMetricsBridge implements AutoCloseable {

    /** Receives one sample: metric key to value, and the sample's step. */
    @FunctionalInterface
    interface Sink {
        void log(Map<String, Double> values, long step);
    }

    static final String PREFIX = "system/";
    /** Tags that tell apart series worth their own metric (the engines' θ/α steps, the k-NN stages). */
    static final Set<String> SPLIT_TAGS = Set.of("phase", "stage");

    private final MeterRegistry registry;
    private final Sink sink;
    private final PrintWriter log;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private final Map<String, double[]> previous = new HashMap<>();
    private long previousNanos;
    private long step;
    private boolean failed;

    /**
     * Starts sampling {@code registry} every {@code intervalMillis} on a daemon thread.
     *
     * @param log where a failure to log is reported, once (sampling then stops; the command goes on)
     */
    SystemMetricsBridge(MeterRegistry registry, long intervalMillis, Sink sink, PrintWriter log) {
        this(registry, sink, log, System::nanoTime, intervalMillis);
    }

    private SystemMetricsBridge(MeterRegistry registry, Sink sink, PrintWriter log, LongSupplier clock,
                                long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("the sampling interval must be positive, got " + intervalMillis + " ms");
        }
        this.registry = registry;
        this.sink = sink;
        this.log = log;
        this.clock = clock;
        this.previousNanos = clock.getAsLong();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autonf-system-metrics");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::sampleQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (!failed) {
                    failed = true;
                    log.println("system metrics: logging stopped: " + e.getMessage());
                    log.flush();
                }
            }
        }
    }

    /** Takes one sample and hands it to the sink (nothing when an earlier one failed). */
    synchronized void sample() {
        if (failed) {
            return;
        }
        long now = clock.getAsLong();
        double seconds = Math.max(1e-9, (now - previousNanos) / 1e9);
        previousNanos = now;
        Map<String, double[]> sums = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            accumulate(meter, sums);
        }
        Map<String, Double> values = new TreeMap<>();
        sums.forEach((key, v) -> {
            String kind = key.substring(0, key.indexOf(':'));
            String name = PREFIX + key.substring(key.indexOf(':') + 1);
            double[] before = previous.getOrDefault(key, new double[v.length]);
            switch (kind) {
                case "gauge" -> values.put(name, v[0]);
                case "counter" -> {
                    values.put(name + "_total", v[0]);
                    values.put(name + "_per_s", (v[0] - before[0]) / seconds);
                }
                case "timer", "summary" -> {
                    values.put(name + "_count", v[0]);
                    double newEvents = v[0] - before[0];
                    if (newEvents > 0) {
                        values.put(name + (kind.equals("timer") ? "_mean_ms" : "_mean"), (v[1] - before[1]) / newEvents);
                    }
                }
                default -> throw new IllegalStateException("unknown meter kind " + kind);
            }
            previous.put(key, v);
        });
        values.values().removeIf(x -> !Double.isFinite(x));
        if (!values.isEmpty()) {
            sink.log(values, ++step);
        }
    }

    /** Adds {@code meter}'s values to its entry "kind:name" in {@code sums}: [value] or [count, total]. */
    private static void accumulate(Meter meter, Map<String, double[]> sums) {
        Meter.Id id = meter.getId();
        StringBuilder name = new StringBuilder(id.getName().replace('.', '_'));
        id.getTags().stream().filter(t -> SPLIT_TAGS.contains(t.getKey()))
                .forEach(t -> name.append('_').append(t.getValue().replaceAll("[^A-Za-z0-9_]", "_")));
        String unit = id.getBaseUnit();
        if (meter instanceof TimeGauge g) {
            add(sums, "gauge:" + name + "_seconds", nonNegative(g.value(TimeUnit.SECONDS)));
        } else if (meter instanceof Gauge g) {
            add(sums, "gauge:" + name + suffix(name, unit), nonNegative(g.value()));
        } else if (meter instanceof Counter c) {
            add(sums, "counter:" + name + suffix(name, unit), c.count());
        } else if (meter instanceof FunctionCounter c) {
            add(sums, "counter:" + name + suffix(name, unit), c.count());
        } else if (meter instanceof Timer t) {
            add(sums, "timer:" + name, t.count(), t.totalTime(TimeUnit.MILLISECONDS));
        } else if (meter instanceof FunctionTimer t) {
            add(sums, "timer:" + name, t.count(), t.totalTime(TimeUnit.MILLISECONDS));
        } else if (meter instanceof DistributionSummary s) {
            add(sums, "summary:" + name + suffix(name, unit), s.count(), s.totalAmount());
        }
        // Long task timers and custom meters have no single value worth a metric.
    }

    private static String suffix(CharSequence name, String unit) {
        if (unit == null || unit.isBlank()) {
            return "";
        }
        String u = "_" + unit.replaceAll("[^A-Za-z0-9_]", "_");
        return name.toString().endsWith(u) ? "" : u;
    }

    private static double nonNegative(double v) {
        return v < 0 ? 0 : v;
    }

    private static void add(Map<String, double[]> sums, String key, double... values) {
        double[] into = sums.computeIfAbsent(key, k -> new double[values.length]);
        for (int i = 0; i < values.length; i++) {
            into[i] += values[i];
        }
    }

    /** Stops sampling, then takes the last sample. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleQuietly();
    }
}
