package io.shoal.bittorrent.bencode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A strict bencode decoder (BEP 3). Accepts only canonical bencode: dictionary keys sorted and unique,
 * integers without leading zeros or {@code -0}, nothing after the value. Every length, depth and count is
 * checked against {@link BencodeLimits} before anything is allocated for it.
 */
public final class BencodeDecoder {

    private static final int MAX_LONG_DIGITS = 19;

    private final byte[] in;
    private final int end;
    private final BencodeLimits limits;
    private int pos;
    private int items;

    private BencodeDecoder(byte[] in, int offset, int length, BencodeLimits limits) {
        this.in = in;
        this.pos = offset;
        this.end = offset + length;
        this.limits = limits;
    }

    public static BValue decode(byte[] input) throws BencodeException {
        return decode(input, BencodeLimits.DEFAULT);
    }

    public static BValue decode(byte[] input, BencodeLimits limits) throws BencodeException {
        BencodeDecoder decoder = new BencodeDecoder(input, 0, input.length, limits);
        BValue value = decoder.value(0);
        if (decoder.pos != input.length) {
            throw new BencodeException("trailing data: " + (input.length - decoder.pos) + " bytes after the value (expected: end of input)", decoder.pos);
        }
        return value;
    }

    /**
     * Decodes one value at the start of {@code input[offset, offset+length)} and says where it ended: for
     * messages that carry bencode followed by raw bytes (BEP 9's ut_metadata data message).
     */
    public static Prefix decodePrefix(byte[] input, int offset, int length, BencodeLimits limits) throws BencodeException {
        BencodeDecoder decoder = new BencodeDecoder(input, offset, length, limits);
        BValue value = decoder.value(0);
        return new Prefix(value, decoder.pos - offset);
    }

    /** A value decoded from the front of an input, and how many bytes it took. */
    public record Prefix(BValue value, int length) {
    }

    /** Decodes and requires a dictionary at the top (.torrent files, tracker responses, KRPC). */
    public static BDict decodeDict(byte[] input, BencodeLimits limits) throws BencodeException {
        BValue value = decode(input, limits);
        if (value instanceof BDict dict) {
            return dict;
        }
        throw new BencodeException("top-level value is " + kind(value) + " (expected: dictionary)", 0);
    }

    static String kind(BValue value) {
        return switch (value) {
            case BString s -> "a string";
            case BInteger i -> "an integer";
            case BList l -> "a list";
            case BDict d -> "a dictionary";
        };
    }

    private BValue value(int depth) throws BencodeException {
        if (++items > limits.maxItems()) {
            throw new BencodeException("more than " + limits.maxItems() + " values (expected: <= " + limits.maxItems() + ")", pos);
        }
        byte b = peek("a value");
        return switch (b) {
            case 'i' -> integer();
            case 'l' -> list(depth + 1);
            case 'd' -> dict(depth + 1);
            default -> {
                if (b >= '0' && b <= '9') {
                    yield string();
                }
                throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b & 0xff)
                        + " (expected: 'i', 'l', 'd' or a digit)", pos);
            }
        };
    }

    private byte peek(String expected) throws BencodeException {
        if (pos >= end) {
            throw new BencodeException("unexpected end of input (expected: " + expected + ")", pos);
        }
        return in[pos];
    }

    private BInteger integer() throws BencodeException {
        int start = pos;
        pos++; // 'i'
        boolean negative = false;
        if (peek("a digit or '-'") == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        while (peek("a digit or 'e'") != 'e') {
            byte b = in[pos];
            if (b < '0' || b > '9') {
                throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b & 0xff) + " in integer (expected: a digit or 'e')", pos);
            }
            if (pos - digitsStart >= MAX_LONG_DIGITS) {
                throw new BencodeException("integer longer than " + MAX_LONG_DIGITS + " digits (expected: a 64-bit value)", start);
            }
            pos++;
        }
        int digits = pos - digitsStart;
        if (digits == 0) {
            throw new BencodeException("integer without digits", start);
        }
        if (in[digitsStart] == '0' && digits > 1) {
            throw new BencodeException("leading zero in integer", start);
        }
        if (negative && in[digitsStart] == '0') {
            throw new BencodeException("negative zero", start);
        }
        String text = new String(in, start + 1, pos - start - 1, java.nio.charset.StandardCharsets.US_ASCII);
        pos++; // 'e'
        try {
            return new BInteger(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new BencodeException("integer " + text + " out of range (expected: a 64-bit value)", start);
        }
    }

    private int length() throws BencodeException {
        int start = pos;
        long length = 0;
        while (peek("a digit or ':'") != ':') {
            byte b = in[pos];
            if (b < '0' || b > '9') {
                throw new BencodeException("unexpected byte 0x" + Integer.toHexString(b & 0xff) + " in string length (expected: a digit or ':')", pos);
            }
            length = length * 10 + (b - '0');
            if (length > limits.maxStringLength()) {
                throw new BencodeException("string length exceeds " + limits.maxStringLength()
                        + " (expected: <= " + limits.maxStringLength() + ")", start);
            }
            pos++;
        }
        if (pos - start > 1 && in[start] == '0') {
            throw new BencodeException("leading zero in string length", start);
        }
        pos++; // ':'
        return (int) length;
    }

    private BString string() throws BencodeException {
        int start = pos;
        int length = length();
        if (length > end - pos) {
            throw new BencodeException("string of " + length + " bytes but only " + (end - pos)
                    + " left (expected: the whole string)", start);
        }
        byte[] bytes = new byte[length];
        System.arraycopy(in, pos, bytes, 0, length);
        pos += length;
        return BString.wrap(bytes);
    }

    private BList list(int depth) throws BencodeException {
        checkDepth(depth);
        pos++; // 'l'
        List<BValue> values = new ArrayList<>();
        while (peek("a value or 'e'") != 'e') {
            values.add(value(depth));
        }
        pos++;
        return new BList(values);
    }

    private BDict dict(int depth) throws BencodeException {
        checkDepth(depth);
        int start = pos;
        pos++; // 'd'
        TreeMap<BString, BValue> entries = new TreeMap<>();
        BString previous = null;
        while (peek("a key or 'e'") != 'e') {
            int keyAt = pos;
            byte b = in[pos];
            if (b < '0' || b > '9') {
                throw new BencodeException("dictionary key is not a string (expected: a digit)", pos);
            }
            if (++items > limits.maxItems()) {
                throw new BencodeException("more than " + limits.maxItems() + " values (expected: <= " + limits.maxItems() + ")", pos);
            }
            BString key = string();
            if (previous != null) {
                int order = previous.compareTo(key);
                if (order == 0) {
                    throw new BencodeException("duplicate key " + key, keyAt);
                }
                if (order > 0) {
                    throw new BencodeException("unsorted key " + key + " after " + previous + " (expected: keys in byte order)", keyAt);
                }
            }
            entries.put(key, value(depth));
            previous = key;
        }
        pos++;
        return BDict.decoded(entries, in, start, pos);
    }

    private void checkDepth(int depth) throws BencodeException {
        if (depth > limits.maxDepth()) {
            throw new BencodeException("nesting deeper than " + limits.maxDepth() + " (expected: <= " + limits.maxDepth() + ")", pos);
        }
    }
}
