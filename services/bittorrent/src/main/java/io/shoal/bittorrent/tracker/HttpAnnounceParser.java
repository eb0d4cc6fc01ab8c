package io.shoal.bittorrent.tracker;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses HTTP announce and scrape queries from the raw query string. {@code info_hash} and {@code peer_id}
 * are binary, percent-encoded byte by byte; a framework's UTF-8 decoding corrupts them, so they are
 * decoded here to bytes.
 */
public final class HttpAnnounceParser {

    public static final int MAX_QUERY_LENGTH = 8 * 1024;
    public static final int MAX_SCRAPE_HASHES = 256;
    private static final int MAX_PARAMETERS = MAX_SCRAPE_HASHES + 16;

    private HttpAnnounceParser() {
    }

    public static AnnounceRequest parseAnnounce(String rawQuery) throws TrackerRequestException {
        Map<String, List<byte[]>> params = parameters(rawQuery);
        InfoHash infoHash = InfoHash.of(exactBytes(params, "info_hash", 20));
        PeerId peerId = PeerId.of(exactBytes(params, "peer_id", 20));
        long port = number(params, "port").orElseThrow(() -> new TrackerRequestException("missing port"));
        if (port < 1 || port > 65535) {
            throw new TrackerRequestException("invalid port " + port + " (expected: 1-65535)");
        }
        long uploaded = counter(params, "uploaded");
        long downloaded = counter(params, "downloaded");
        long left = counter(params, "left");
        AnnounceEvent event = switch (text(params, "event").orElse("")) {
            case "", "empty", "paused" -> AnnounceEvent.NONE; // BEP 21's paused is a regular announce
            case "started" -> AnnounceEvent.STARTED;
            case "stopped" -> AnnounceEvent.STOPPED;
            case "completed" -> AnnounceEvent.COMPLETED;
            default -> throw new TrackerRequestException("unknown event (expected: started, stopped, completed or none)");
        };
        OptionalInt numWant = OptionalInt.empty();
        Optional<Long> want = number(params, "numwant");
        if (want.isPresent()) {
            if (want.get() < 0) {
                throw new TrackerRequestException("invalid numwant " + want.get() + " (expected: >= 0)");
            }
            numWant = OptionalInt.of((int) Math.min(want.get(), Integer.MAX_VALUE));
        }
        boolean compact = !"0".equals(text(params, "compact").orElse("1"));
        boolean noPeerId = "1".equals(text(params, "no_peer_id").orElse("0"));
        Optional<String> ip = text(params, "ip");
        if (ip.isPresent() && ip.get().length() > 255) {
            throw new TrackerRequestException("invalid ip (expected: an address of at most 255 characters)");
        }
        Optional<String> key = text(params, "key");
        if (key.isPresent() && key.get().length() > 64) {
            throw new TrackerRequestException("invalid key (expected: at most 64 characters)");
        }
        return new AnnounceRequest(infoHash, peerId, (int) port, uploaded, downloaded, left, event, numWant,
                compact, noPeerId, ip, key);
    }

    /** BEP 48: one or more {@code info_hash}; none means "every torrent", which Shoal does not serve. */
    public static List<InfoHash> parseScrape(String rawQuery) throws TrackerRequestException {
        Map<String, List<byte[]>> params = parameters(rawQuery);
        List<byte[]> hashes = params.getOrDefault("info_hash", List.of());
        if (hashes.isEmpty()) {
            throw new TrackerRequestException("missing info_hash (a full scrape is not served)");
        }
        if (hashes.size() > MAX_SCRAPE_HASHES) {
            throw new TrackerRequestException("scrape of " + hashes.size() + " info_hash (expected: <= " + MAX_SCRAPE_HASHES + ")");
        }
        List<InfoHash> out = new ArrayList<>();
        for (byte[] hash : hashes) {
            if (hash.length != 20) {
                throw new TrackerRequestException("invalid info_hash of " + hash.length + " bytes (expected: 20)");
            }
            out.add(InfoHash.of(hash));
        }
        return out;
    }

    static Map<String, List<byte[]>> parameters(String rawQuery) throws TrackerRequestException {
        if (rawQuery == null || rawQuery.isEmpty()) {
            throw new TrackerRequestException("missing query (expected: info_hash, peer_id, port, …)");
        }
        if (rawQuery.length() > MAX_QUERY_LENGTH) {
            throw new TrackerRequestException("query of " + rawQuery.length() + " characters (expected: <= " + MAX_QUERY_LENGTH + ")");
        }
        Map<String, List<byte[]>> params = new HashMap<>();
        int count = 0;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw new TrackerRequestException("more than " + MAX_PARAMETERS + " parameters");
            }
            int eq = pair.indexOf('=');
            String name = new String(percentDecode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.UTF_8);
            byte[] value = eq < 0 ? new byte[0] : percentDecode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    static byte[] percentDecode(String s) throws TrackerRequestException {
        try {
            return PercentEncoding.decode(s, false);
        } catch (IllegalArgumentException e) {
            // the client gets the rule, not its own bytes echoed back
            throw new TrackerRequestException(e.getMessage().startsWith("malformed") ? "malformed percent-encoding" : e.getMessage() + " in query");
        }
    }

    private static byte[] single(Map<String, List<byte[]>> params, String name) throws TrackerRequestException {
        List<byte[]> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new TrackerRequestException("more than one " + name);
        }
        return values.getFirst();
    }

    private static byte[] exactBytes(Map<String, List<byte[]>> params, String name, int length) throws TrackerRequestException {
        byte[] value = single(params, name);
        if (value == null) {
            throw new TrackerRequestException("missing " + name);
        }
        if (value.length != length) {
            throw new TrackerRequestException("invalid " + name + " of " + value.length + " bytes (expected: " + length + ")");
        }
        return value;
    }

    private static Optional<String> text(Map<String, List<byte[]>> params, String name) throws TrackerRequestException {
        byte[] value = single(params, name);
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    private static Optional<Long> number(Map<String, List<byte[]>> params, String name) throws TrackerRequestException {
        Optional<String> value = text(params, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String digits = value.get();
        if (!isNumber(digits)) {
            throw new TrackerRequestException("invalid " + name + " (expected: a number)");
        }
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new TrackerRequestException("invalid " + name + " (expected: a 64-bit number)");
        }
    }

    /** An optional minus and 1 to 19 ASCII digits (what a 64-bit number can be, before its range is checked). */
    private static boolean isNumber(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 19) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** uploaded, downloaded, left: optional, default 0, never negative. */
    private static long counter(Map<String, List<byte[]>> params, String name) throws TrackerRequestException {
        long value = number(params, name).orElse(0L);
        if (value < 0) {
            throw new TrackerRequestException("invalid " + name + " " + value + " (expected: >= 0)");
        }
        return value;
    }
}
