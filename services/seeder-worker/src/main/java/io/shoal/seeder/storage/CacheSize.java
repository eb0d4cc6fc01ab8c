package io.shoal.seeder.storage;

import java.util.Locale;

/**
 * How much memory the piece cache may hold: bytes ({@code 134217728}, {@code 512M}, {@code 2G}) or a share of
 * the JVM's maximum heap ({@code 40%}). A share follows the container: the JVM sizes its heap from the memory
 * limit, so a deployment that raises the limit gets a bigger cache without a second setting to keep in step.
 */
public record CacheSize(long bytes, int heapPercent) {

    public CacheSize {
        if (heapPercent == 0 && bytes <= 0 || heapPercent < 0 || heapPercent > 90) {
            throw new IllegalArgumentException("cache size: " + (heapPercent == 0 ? bytes + " bytes (expected: > 0)"
                    : heapPercent + "% of the heap (expected: 1-90%)"));
        }
    }

    /** Read by the configuration (SmallRye finds {@code of(String)}). */
    public static CacheSize of(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        try {
            if (value.endsWith("%")) {
                return new CacheSize(0, Integer.parseInt(value.substring(0, value.length() - 1).strip()));
            }
            long unit = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            String digits = unit == 1 ? value : value.substring(0, value.length() - 1).strip();
            return new CacheSize(Math.multiplyExact(Long.parseLong(digits), unit), 0);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("cache size '" + text + "' (expected: bytes, 512M, 2G or 40%)");
        }
    }

    /** The size in bytes for a JVM whose maximum heap is {@code maxHeap}. */
    public long bytes(long maxHeap) {
        return heapPercent == 0 ? bytes : maxHeap / 100 * heapPercent;
    }
}
