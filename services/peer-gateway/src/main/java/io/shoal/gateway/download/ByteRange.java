package io.shoal.gateway.download;

import java.util.Optional;

/**
 * One satisfiable byte range of a representation {@code size} bytes long (RFC 9110 section 14), from a
 * {@code Range} header: {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. A header this
 * server does not honour (another unit, several ranges, bad syntax) is ignored, as the RFC allows: the whole
 * representation is sent. A range that starts past the end is {@link Unsatisfiable} (416).
 *
 * @param first the first byte sent
 * @param last  the last byte sent (inclusive)
 */
public record ByteRange(long first, long last) {

    /** A range wholly past the end of the representation. */
    public static final class Unsatisfiable extends Exception {
        Unsatisfiable(String header, long size) {
            super("range '" + header + "' is outside the " + size + " bytes");
        }
    }

    /** Longest header looked at: a single range of two 19-digit numbers fits in far less. */
    private static final int MAX_HEADER = 100;

    public long length() {
        return last - first + 1;
    }

    /** {@code bytes first-last/size}, the {@code Content-Range} of a 206. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The range to send, or empty for the whole representation. */
    public static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null || header.length() > MAX_HEADER) {
            return Optional.empty();
        }
        String spec = header.strip();
        if (!spec.regionMatches(true, 0, "bytes=", 0, 6) || spec.indexOf(',') >= 0) {
            return Optional.empty();
        }
        spec = spec.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String from = spec.substring(0, dash).strip();
        String to = spec.substring(dash + 1).strip();
        if (from.isEmpty()) { // the last N bytes
            long suffix = number(to);
            if (suffix < 0) {
                return Optional.empty();
            }
            if (suffix == 0 || size == 0) {
                throw new Unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0 || last < first) {
            return Optional.empty();
        }
        if (first >= size) {
            throw new Unsatisfiable(header, size);
        }
        return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    }

    /** A decimal number; -1 if it is not one; beyond a long, {@link Long#MAX_VALUE} (past any end). */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
