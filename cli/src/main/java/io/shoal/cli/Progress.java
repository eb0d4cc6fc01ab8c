package io.shoal.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A transfer's progress on standard error: on a terminal one line redrawn (a bar, bytes, rate, time left) at
 * most five times a second; otherwise a plain line at each tenth, for logs and scripts.
 */
final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 24;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long started;
    private final long already;
    private long done;
    private long lastDrawn;
    private int lastTenth;

    /** @param already bytes there before this transfer (a resumed download): counted as done, not in the rate */
    Progress(String label, long total, long already, PrintStream out, boolean terminal, LongSupplier clock) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.already = already;
        this.done = already;
        this.lastTenth = total == 0 ? 10 : (int) (already * 10 / total);
        this.lastDrawn = started - REDRAW_NANOS;
    }

    synchronized void advance(long bytes) {
        done += bytes;
        long now = clock.getAsLong();
        if (terminal) {
            if (now - lastDrawn >= REDRAW_NANOS) {
                lastDrawn = now;
                out.print("\r" + line(now) + "   ");
                out.flush();
            }
        } else {
            int tenth = total == 0 ? 10 : (int) (Math.min(done, total) * 10 / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(label + ": " + tenth * 10 + "% (" + Sizes.bytes(done) + " of " + Sizes.bytes(total) + ", "
                        + Sizes.rate(rate(now)) + ")");
            }
        }
    }

    /** The last line: on a terminal the bar at its end, elsewhere 100% if no line said so. */
    synchronized void finish() {
        long now = clock.getAsLong();
        if (terminal) {
            out.println("\r" + line(now) + "   ");
        } else if (lastTenth < 10) {
            lastTenth = 10;
            out.println(label + ": 100% (" + Sizes.bytes(done) + " of " + Sizes.bytes(total) + ", " + Sizes.rate(rate(now)) + ")");
        }
        out.flush();
    }

    String line(long now) {
        double fraction = total == 0 ? 1 : Math.min(1.0, (double) done / total);
        int filled = (int) (fraction * BAR);
        String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
        double rate = rate(now);
        String eta = rate <= 0 || done >= total ? "" : "  ETA " + Sizes.duration((long) ((total - done) / rate));
        return String.format(Locale.ROOT, "%s %3d%% [%s] %s / %s  %s%s", label, (int) (fraction * 100), bar,
                Sizes.bytes(done), Sizes.bytes(total), Sizes.rate(rate), eta);
    }

    /** Bytes a second moved by this transfer so far. */
    private double rate(long now) {
        double seconds = (now - started) / 1e9;
        return seconds <= 0 ? 0 : (done - already) / seconds;
    }
}
