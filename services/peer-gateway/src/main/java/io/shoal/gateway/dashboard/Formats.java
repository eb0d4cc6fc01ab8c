package io.shoal.gateway.dashboard;

import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the dashboard writes sizes, rates, times and ratios ({@code {fmt:bytes(n)}} in a template). */
@TemplateExtension(namespace = "fmt")
final class Formats {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 1023 B, 1.5 KiB, 20.0 GiB. */
    static String bytes(Number size) {
        long n = size.longValue();
        if (n < 1024) {
            return n + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
        return String.format(Locale.ROOT, "%.1f %s", n / Math.pow(1024, unit), UNITS[unit]);
    }

    /** Bytes per second as MB/s (decimal, like the benchmarks and the CLI). */
    static String rate(double bytesPerSecond) {
        if (bytesPerSecond < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f kB/s", bytesPerSecond / 1000);
        }
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1_000_000);
    }

    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    /** 0.93 as "93%"; null (nothing asked yet) as "-". */
    static String percent(Double ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    /** A count that may be unknown. */
    static String count(Number n) {
        return n == null ? "?" : n.toString();
    }

    static String duration(Duration d) {
        long minutes = d.toMinutes();
        return minutes >= 60 && minutes % 60 == 0 ? minutes / 60 + " h" : minutes > 0 ? minutes + " min" : d.toSeconds() + " s";
    }

    /** How long ago, roughly: "12 s ago", "3 min ago". */
    static String ago(Instant at) {
        long seconds = Math.max(0, Duration.between(at, Instant.now()).toSeconds());
        return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
    }
}
