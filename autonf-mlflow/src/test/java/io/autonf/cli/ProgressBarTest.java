package io.autonf.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    /** A clock the test moves by hand. */
    private static final class Clock {
        long now;
    }

    @Test
    void withoutATerminalItPrintsWholeLinesAtMostEveryIntervalAndALastOne() {
        StringWriter text = new StringWriter();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar("train", 100, new PrintWriter(text), ProgressBar.Mode.LINES, 10 * SECOND,
                () -> clock.now);
        for (int step = 1; step <= 100; step++) {
            clock.now += SECOND / 2; // 50 s in all: a line at 10, 20, 30, 40 and 50 s
            bar.update(step, "loss 1.0");
        }
        bar.close();
        String out = text.toString();
        assertFalse(out.contains("\r"), "no carriage returns in a log: " + out);
        String[] lines = out.split(System.lineSeparator());
        assertEquals(5, lines.length, "one line per 10 s, the last one at 100% not repeated on close: " + out);
        assertTrue(lines[0].startsWith("train [") && lines[0].contains(" 20% 20/100"), lines[0]);
        assertTrue(lines[0].contains("2.0/s") && lines[0].contains("ETA 0:40") && lines[0].contains("loss 1.0"), lines[0]);
        assertTrue(lines[4].contains("100% 100/100") && !lines[4].contains("ETA"), lines[4]);
    }

    @Test
    void aCloseBetweenLinesPrintsTheFinalState() {
        StringWriter text = new StringWriter();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar("ga", 8, new PrintWriter(text), ProgressBar.Mode.LINES, 10 * SECOND,
                () -> clock.now);
        clock.now += 3 * SECOND;
        bar.update(3);
        bar.close();
        bar.update(5);
        String out = text.toString();
        assertEquals(1, out.split(System.lineSeparator()).length, out);
        assertTrue(out.contains(" 37% 3/8") && out.contains("elapsed 0:03") && out.contains("ETA 0:05"), out);
    }

    @Test
    void onATerminalItRedrawsOneLineInPlace() {
        StringWriter text = new StringWriter();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar("search", 4, new PrintWriter(text), ProgressBar.Mode.TTY, 10 * SECOND,
                () -> clock.now);
        for (int step = 1; step <= 4; step++) {
            clock.now += SECOND;
            bar.update(step);
        }
        bar.close();
        String out = text.toString();
        assertEquals(5, out.split("\r", -1).length - 1, "four redraws and the last state: " + out);
        assertTrue(out.endsWith(System.lineSeparator()), "the bar's line is ended when it closes");
        assertEquals(1, out.split(System.lineSeparator()).length, out);
    }

    @Test
    void offPrintsNothing() {
        StringWriter text = new StringWriter();
        try (ProgressBar bar = new ProgressBar("x", 3, new PrintWriter(text), ProgressBar.Mode.OFF)) {
            bar.update(2);
        }
        assertEquals("", text.toString());
    }
}
