package io.shoal.bittorrent.peerwire;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * BEP 10's handshake, the payload of extended message 0: which extensions a peer speaks under which
 * local ids ({@code m}), and {@code metadata_size} (BEP 9), {@code v}, {@code p}, {@code reqq}.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, OptionalLong metadataSize, Optional<String> client,
                                 OptionalInt listenPort, OptionalInt requestQueue) {

    public static final String UT_METADATA = "ut_metadata";
    public static final String UT_PEX = "ut_pex";
    /** Small: a handshake is a few dozen bytes; nothing in it is nested deeper than m. */
    static final BencodeLimits LIMITS = new BencodeLimits(4, 1024, 256);
    /** BEP 9 metadata above this is not a .torrent Shoal will fetch (libtorrent's default limit is 30 MiB). */
    public static final long MAX_METADATA_SIZE = 32L * 1024 * 1024;

    public ExtensionHandshake {
        extensions = Map.copyOf(extensions);
    }

    public static ExtensionHandshake decode(byte[] payload) {
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(payload, LIMITS);
        } catch (BencodeException e) {
            throw new PeerWireException("extension handshake: " + e.getMessage());
        }
        Map<String, Integer> extensions = new LinkedHashMap<>();
        if (dict.get("m").orElse(null) instanceof BDict m) {
            for (var entry : m.entries().entrySet()) {
                // id 0 disables an extension (BEP 10); ids are one byte on the wire
                if (entry.getValue() instanceof BInteger id && id.value() > 0 && id.value() <= 255) {
                    extensions.put(entry.getKey().utf8(), (int) id.value());
                }
            }
        }
        OptionalLong metadataSize = OptionalLong.empty();
        if (dict.get("metadata_size").orElse(null) instanceof BInteger size) {
            if (size.value() <= 0 || size.value() > MAX_METADATA_SIZE) {
                throw new PeerWireException("metadata_size " + size.value() + " (expected: 1 to " + MAX_METADATA_SIZE + ")");
            }
            metadataSize = OptionalLong.of(size.value());
        }
        Optional<String> client = dict.get("v").orElse(null) instanceof BString v ? Optional.of(v.utf8()) : Optional.empty();
        return new ExtensionHandshake(extensions, metadataSize, client, smallInt(dict, "p", 65535), smallInt(dict, "reqq", 1 << 16));
    }

    private static OptionalInt smallInt(BDict dict, String key, int max) {
        BValue v = dict.get(key).orElse(null);
        return v instanceof BInteger i && i.value() > 0 && i.value() <= max ? OptionalInt.of((int) i.value()) : OptionalInt.empty();
    }

    public byte[] encode() {
        BDict.Builder m = BDict.builder();
        extensions.forEach((name, id) -> m.put(name, id));
        BDict.Builder dict = BDict.builder().put("m", m.build());
        metadataSize.ifPresent(s -> dict.put("metadata_size", s));
        client.ifPresent(v -> dict.put("v", v));
        listenPort.ifPresent(p -> dict.put("p", p));
        requestQueue.ifPresent(q -> dict.put("reqq", q));
        return BencodeEncoder.encode(dict.build());
    }
}
