package io.shoal.bittorrent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Percent-decoding as BitTorrent clients write it in tracker queries and magnet links: {@code %XX} is
 * one byte, {@code +} is a space (libtorrent's reading), anything else stands for itself. Encoding keeps
 * only RFC 3986's unreserved characters, so its output is safe in a query value and in a path segment.
 */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    /** The UTF-8 bytes of {@code s}, every one but {@code A-Z a-z 0-9 - . _ ~} written as {@code %XX}. */
    public static String encode(String s) {
        return encode(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes (a binary info_hash or peer_id in a tracker query), every one but the unreserved as {@code %XX}. */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /**
     * @param allowRaw whether characters outside ASCII may appear unescaped (they become their UTF-8
     *                 bytes): yes in a pasted magnet link, no in a tracker query, where clients escape them
     * @throws IllegalArgumentException for a broken escape or a raw character where none is allowed
     */
    public static byte[] decode(String s, boolean allowRaw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed percent-encoding at '"
                            + s.substring(i, Math.min(s.length(), i + 3)) + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else if (allowRaw) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("unencoded non-ASCII character");
            }
        }
        return out.toByteArray();
    }
}
