package io.shoal.bittorrent.magnet;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A magnet link (BEP 9; BEP 52 for v2): {@code magnet:?xt=urn:btih:<v1>&xt=urn:btmh:1220<v2>&dn=…&tr=…}.
 * A hybrid torrent's link carries both {@code xt}. Parsing is strict about encoding and bounded in size.
 *
 * @param peers {@code x.pe}: {@code host:port} of peers to try first
 */
public record MagnetUri(Optional<InfoHash> v1, Optional<InfoHash> v2, Optional<String> displayName,
                        List<String> trackers, List<String> webSeeds, OptionalLong exactLength, List<String> peers) {

    public static final int MAX_LENGTH = 16 * 1024;
    public static final int MAX_PARAMETERS = 200;
    private static final String BTIH = "urn:btih:";
    private static final String BTMH = "urn:btmh:";
    /** Multihash prefix of a SHA-256 digest: code 0x12, length 0x20. */
    private static final String SHA256_MULTIHASH = "1220";

    public MagnetUri {
        if (v1.isEmpty() && v2.isEmpty()) {
            throw new IllegalArgumentException("a magnet link needs a v1 or a v2 info-hash");
        }
        v1.ifPresent(h -> require(h.version() == InfoHash.Version.V1, "btih is a 20-byte v1 hash"));
        v2.ifPresent(h -> require(h.version() == InfoHash.Version.V2, "btmh is a 32-byte v2 hash"));
        trackers = List.copyOf(trackers);
        webSeeds = List.copyOf(webSeeds);
        peers = List.copyOf(peers);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static MagnetUri parse(String uri) throws MagnetException {
        if (uri.length() > MAX_LENGTH) {
            throw new MagnetException("magnet link of " + uri.length() + " characters (expected: <= " + MAX_LENGTH + ")");
        }
        if (!uri.regionMatches(true, 0, "magnet:?", 0, 8)) {
            throw new MagnetException("not a magnet link (expected: magnet:?…)");
        }
        Optional<InfoHash> v1 = Optional.empty();
        Optional<InfoHash> v2 = Optional.empty();
        Optional<String> name = Optional.empty();
        List<String> trackers = new ArrayList<>();
        List<String> webSeeds = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        OptionalLong length = OptionalLong.empty();
        String[] parameters = uri.substring(8).split("&", -1);
        if (parameters.length > MAX_PARAMETERS) {
            throw new MagnetException(parameters.length + " parameters (expected: <= " + MAX_PARAMETERS + ")");
        }
        for (String parameter : parameters) {
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            if (eq < 0) {
                throw new MagnetException("parameter '" + parameter + "' has no value");
            }
            String key = parameter.substring(0, eq);
            String value = decode(parameter.substring(eq + 1));
            // Numbered keys (xt.1, tr.2) mean the same as plain ones.
            String base = key.matches("[a-z.]+\\.\\d+") ? key.substring(0, key.lastIndexOf('.')) : key;
            switch (base) {
                case "xt" -> {
                    if (value.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                        if (v1.isPresent()) {
                            throw new MagnetException("two btih info-hashes");
                        }
                        v1 = Optional.of(btih(value.substring(BTIH.length())));
                    } else if (value.regionMatches(true, 0, BTMH, 0, BTMH.length())) {
                        if (v2.isPresent()) {
                            throw new MagnetException("two btmh info-hashes");
                        }
                        v2 = Optional.of(btmh(value.substring(BTMH.length())));
                    }
                    // other URN kinds (ed2k, sha1 of a file) name no swarm; ignore them as clients do
                }
                case "dn" -> name = Optional.of(value);
                case "tr" -> trackers.add(value);
                case "ws" -> webSeeds.add(value);
                case "x.pe" -> peers.add(value);
                case "xl" -> {
                    try {
                        long xl = Long.parseLong(value);
                        if (xl < 0) {
                            throw new NumberFormatException();
                        }
                        length = OptionalLong.of(xl);
                    } catch (NumberFormatException e) {
                        throw new MagnetException("xl=" + value + " (expected: a length in bytes)");
                    }
                }
                default -> {
                    // BEP 9 allows further keys; unknown ones are ignored
                }
            }
        }
        if (v1.isEmpty() && v2.isEmpty()) {
            throw new MagnetException("no urn:btih or urn:btmh info-hash");
        }
        return new MagnetUri(v1, v2, name, trackers, webSeeds, length, peers);
    }

    /** 40 hex digits, or 32 base32 characters (RFC 4648), as older links have. */
    private static InfoHash btih(String value) throws MagnetException {
        if (value.length() == 40 && value.matches("[0-9a-fA-F]{40}")) {
            return InfoHash.fromHex(value.toLowerCase(Locale.ROOT));
        }
        if (value.length() == 32) {
            return InfoHash.of(base32(value));
        }
        throw new MagnetException("btih of " + value.length() + " characters (expected: 40 hex or 32 base32)");
    }

    private static InfoHash btmh(String value) throws MagnetException {
        if (value.length() != 68 || !value.regionMatches(true, 0, SHA256_MULTIHASH, 0, 4) || !value.matches("[0-9a-fA-F]{68}")) {
            throw new MagnetException("btmh must be a SHA-256 multihash: 1220 and 64 hex digits");
        }
        return InfoHash.fromHex(value.substring(4).toLowerCase(Locale.ROOT));
    }

    private static byte[] base32(String value) throws MagnetException {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] out = new byte[20];
        long buffer = 0;
        int bits = 0;
        int index = 0;
        for (char c : value.toUpperCase(Locale.ROOT).toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new MagnetException("'" + c + "' is not base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[index++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    static String decode(String s) throws MagnetException {
        try {
            return new String(PercentEncoding.decode(s, true), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MagnetException(e.getMessage());
        }
    }

    public String toUri() {
        StringBuilder uri = new StringBuilder("magnet:?");
        List<String> parts = new ArrayList<>();
        v1.ifPresent(h -> parts.add("xt=" + BTIH + h.hex()));
        v2.ifPresent(h -> parts.add("xt=" + BTMH + SHA256_MULTIHASH + h.hex()));
        displayName.ifPresent(n -> parts.add("dn=" + PercentEncoding.encode(n)));
        exactLength.ifPresent(l -> parts.add("xl=" + l));
        trackers.forEach(t -> parts.add("tr=" + PercentEncoding.encode(t)));
        webSeeds.forEach(w -> parts.add("ws=" + PercentEncoding.encode(w)));
        peers.forEach(p -> parts.add("x.pe=" + PercentEncoding.encode(p)));
        return uri.append(String.join("&", parts)).toString();
    }
}
