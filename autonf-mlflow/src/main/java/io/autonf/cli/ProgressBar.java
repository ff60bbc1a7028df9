package io.autonf.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar with rate and ETA on stderr. On a terminal it redraws one line in place (carriage return, at
 * most {@link #TTY_REDRAW_NANOS} apart); anywhere else (CI logs, files, pipes) it prints a whole line at most every
 * {@code lineEvery} and a last line when it closes, so a log never fills with carriage-return redraws.
 *
 * <p>Driven from the engines' listeners on their thread; not thread-safe. A bar in {@link Mode#OFF} prints nothing.
 * Written here rather than taken from a library: the ones available drive the terminal through JLine, which
 * brings its own terminal detection and native access for one line of text.
 */
final class ProgressBar implements AutoCloseable {

    /** How the bar prints: nothing, redrawn in place, or as separate lines. */
    enum Mode { OFF, TTY, LINES }

    static final long TTY_REDRAW_NANOS = 100_000_000L;
    static final long DEFAULT_LINE_EVERY_NANOS = 10_000_000_000L;
    private static final int WIDTH = 24;

    private final String label;
    private final long total;
    private final PrintWriter out;
    private final Mode mode;
    private final long lineEveryNanos;
    private final LongSupplier clock;
    private final long start;
    private long done;
    private String detail = "";
    private long lastPrint;
    private boolean printedSinceChange;
    private boolean closed;

    /**
     * @param total          units of work expected (at least 1; the bar then shows a percentage and an ETA)
     * @param lineEveryNanos in {@link Mode#LINES}, the least time between two lines
     * @param clock          nanoseconds, monotonic ({@code System::nanoTime})
     */
    ProgressBar(String label, long total, PrintWriter out, Mode mode, long lineEveryNanos, LongSupplier clock) {
        if (total < 1) {
            throw new IllegalArgumentException("a progress bar needs at least one unit of work, got " + total);
        }
        this.label = label;
        this.total = total;
        this.out = out;
        this.mode = mode;
        this.lineEveryNanos = lineEveryNanos;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastPrint = start;
    }

    ProgressBar(String label, long total, PrintWriter out, Mode mode) {
        this(label, total, out, mode, DEFAULT_LINE_EVERY_NANOS, System::nanoTime);
    }

    /** Sets the units done so far (capped at the total) and a short text shown after the rate, e.g. a loss. */
    void update(long doneSoFar, String text) {
        if (closed || mode == Mode.OFF) {
            return;
        }
        done = Math.max(0, Math.min(total, doneSoFar));
        detail = text == null ? "" : text;
        printedSinceChange = false;
        long now = clock.getAsLong();
        long gap = mode == Mode.TTY ? TTY_REDRAW_NANOS : lineEveryNanos;
        if (now - lastPrint >= gap) {
            print(now);
        }
    }

    void update(long doneSoFar) {
        update(doneSoFar, detail);
    }

    /** Prints the final state (a newline ends the redrawn line on a terminal); later updates are ignored. */
    @Override
    public void close() {
        if (closed || mode == Mode.OFF) {
            closed = true;
            return;
        }
        closed = true;
        if (!printedSinceChange || mode == Mode.TTY) {
            print(clock.getAsLong());
        }
        if (mode == Mode.TTY) {
            out.print(System.lineSeparator());
            out.flush();
        }
    }

    private void print(long now) {
        lastPrint = now;
        printedSinceChange = true;
        String line = line(now);
        if (mode == Mode.TTY) {
            // Erase to the end of the line: a shorter line must not leave the tail of the previous one.
            out.print("\r" + line + "\u001b[K");
        } else {
            out.print(line + System.lineSeparator());
        }
        out.flush();
    }

    /** The bar's text at {@code now}, without line ending. */
    String line(long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / seconds;
        int filled = (int) (WIDTH * done / total);
        StringBuilder b = new StringBuilder(label).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        b.append(String.format(Locale.ROOT, "] %3d%% %d/%d  %s/s  elapsed %s", 100 * done / total, done, total,
                rate(rate), duration(seconds)));
        if (done < total) {
            b.append("  ETA ").append(done == 0 ? "?" : duration((total - done) / rate));
        }
        if (!detail.isEmpty()) {
            b.append("  ").append(detail);
        }
        return b.toString();
    }

    private static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond)
                : perSecond >= 1 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%.3f", perSecond);
    }

    /** h:mm:ss, or m:ss under an hour. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * Redrawing in place only makes sense on an interactive terminal: the JVM's console (JDK 22 and later say
     * whether it really is a terminal; before that, a console exists only for one), no dumb terminal, and no CI.
     */
    static Mode detect(java.util.Map<String, String> environment) {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(environment.get("TERM")) || environment.containsKey("CI")) {
            return Mode.LINES;
        }
        try {
            Object terminal = java.io.Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? Mode.TTY : Mode.LINES;
        } catch (ReflectiveOperationException olderJdk) {
            return Mode.TTY;
        }
    }
}
