package io.shoal.bittorrent.tracker;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bencoded HTTP tracker responses: announce (BEP 3, 23, 7), scrape (BEP 48), failure; both directions. */
public final class HttpTrackerResponses {

    private static final BencodeLimits LIMITS = new BencodeLimits(8, 4 * 1024 * 1024, 100_000);

    private HttpTrackerResponses() {
    }

    /** What clients expect for any refusal: HTTP 200 with this body. */
    public static byte[] failure(String reason) {
        return BencodeEncoder.encode(BDict.builder().put("failure reason", reason).build());
    }

    /**
     * @param compact  BEP 23: IPv4 peers as 6-byte entries in {@code peers}, IPv6 peers as 18-byte entries
     *                 in {@code peers6} (BEP 7); otherwise a list of dictionaries with both families
     * @param noPeerId leave {@code peer id} out of the dictionaries
     */
    public static byte[] announce(AnnounceResponse response, boolean compact, boolean noPeerId) {
        if (compact) {
            List<PeerAddress> v4 = response.peers().stream().filter(p -> !p.ipv6()).toList();
            List<PeerAddress> v6 = response.peers().stream().filter(PeerAddress::ipv6).toList();
            return announceCompact(response.interval(), response.minInterval(), response.complete(), response.incomplete(),
                    response.downloaded(), compactPeers(v4, 6), compactPeers(v6, 18), response.warning());
        }
        BDict.Builder dict = BDict.builder()
                .put("interval", response.interval())
                .put("min interval", response.minInterval())
                .put("complete", response.complete())
                .put("incomplete", response.incomplete())
                .put("downloaded", response.downloaded());
        response.warning().ifPresent(w -> dict.put("warning message", w));
        List<BValue> peers = new ArrayList<>();
        for (PeerAddress peer : response.peers()) {
            BDict.Builder p = BDict.builder().put("ip", peer.address().getHostAddress()).put("port", peer.port());
            if (!noPeerId) {
                peer.peerId().ifPresent(id -> p.put("peer id", id.bytes()));
            }
            peers.add(p.build());
        }
        dict.put("peers", new BList(peers));
        return BencodeEncoder.encode(dict.build());
    }

    /**
     * The compact answer (BEP 23, BEP 7) written straight out, keys in bencode's sorted order: a tracker's
     * hottest response, built without a dictionary in between.
     *
     * @param peers  6-byte IPv4 entries
     * @param peers6 18-byte IPv6 entries; left out when empty
     */
    public static byte[] announceCompact(int interval, int minInterval, int complete, int incomplete, long downloaded,
                                         byte[] peers, byte[] peers6, Optional<String> warning) {
        if (peers.length % 6 != 0 || peers6.length % 18 != 0) {
            throw new IllegalArgumentException("compact peers of " + peers.length + " and " + peers6.length + " bytes");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(120 + peers.length + peers6.length);
        out.writeBytes(ascii("d8:completei" + complete + "e10:downloadedi" + downloaded + "e10:incompletei" + incomplete
                + "e8:intervali" + interval + "e12:min intervali" + minInterval + "e5:peers" + peers.length + ":"));
        out.writeBytes(peers);
        if (peers6.length > 0) {
            out.writeBytes(ascii("6:peers6" + peers6.length + ":"));
            out.writeBytes(peers6);
        }
        warning.ifPresent(w -> { // sorts after peers6
            byte[] text = w.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeBytes(ascii("15:warning message" + text.length + ":"));
            out.writeBytes(text);
        });
        out.write('e');
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] compactPeers(List<PeerAddress> peers, int entry) {
        ByteBuffer out = ByteBuffer.allocate(peers.size() * entry);
        peers.forEach(p -> p.writeCompact(out));
        return out.array();
    }

    public static byte[] scrape(Map<InfoHash, ScrapeStats> files) {
        BDict.Builder filesDict = BDict.builder();
        files.forEach((hash, stats) -> filesDict.put(BString.of(hash.bytes()), BDict.builder()
                .put("complete", stats.complete())
                .put("downloaded", stats.downloaded())
                .put("incomplete", stats.incomplete()).build()));
        return BencodeEncoder.encode(BDict.builder().put("files", filesDict.build()).build());
    }

    /** A client's reading of an announce response; a {@code failure reason} becomes the exception's message. */
    public static AnnounceResponse parseAnnounce(byte[] body) throws TrackerRequestException {
        BDict dict = decode(body);
        int interval = (int) integer(dict, "interval", 1800);
        List<PeerAddress> peers = new ArrayList<>();
        Optional<BValue> v4 = dict.get("peers");
        if (v4.isPresent()) {
            switch (v4.get()) {
                case BString compact -> readCompact(compact, 4, peers);
                case BList list -> readDictPeers(list, peers);
                default -> throw new TrackerRequestException("peers is neither a string nor a list");
            }
        }
        if (dict.get("peers6").orElse(null) instanceof BString compact6) {
            readCompact(compact6, 16, peers);
        }
        Optional<String> warning = dict.get("warning message").map(v -> v instanceof BString s ? s.utf8() : null);
        return new AnnounceResponse(interval, (int) integer(dict, "min interval", interval),
                (int) integer(dict, "complete", 0), (int) integer(dict, "incomplete", 0),
                integer(dict, "downloaded", 0), peers, warning);
    }

    public static Map<InfoHash, ScrapeStats> parseScrape(byte[] body) throws TrackerRequestException {
        BDict dict = decode(body);
        if (!(dict.get("files").orElse(null) instanceof BDict files)) {
            throw new TrackerRequestException("scrape response without files");
        }
        Map<InfoHash, ScrapeStats> out = new java.util.LinkedHashMap<>();
        for (var entry : files.entries().entrySet()) {
            if (entry.getKey().length() != 20 || !(entry.getValue() instanceof BDict stats)) {
                throw new TrackerRequestException("malformed scrape entry");
            }
            out.put(InfoHash.of(entry.getKey().bytes()), new ScrapeStats((int) integer(stats, "complete", 0),
                    integer(stats, "downloaded", 0), (int) integer(stats, "incomplete", 0)));
        }
        return out;
    }

    private static BDict decode(byte[] body) throws TrackerRequestException {
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(body, LIMITS);
        } catch (BencodeException e) {
            throw new TrackerRequestException("malformed tracker response: " + e.getMessage());
        }
        if (dict.get("failure reason").orElse(null) instanceof BString reason) {
            throw new TrackerRequestException(reason.utf8());
        }
        return dict;
    }

    private static void readCompact(BString compact, int addressLength, List<PeerAddress> out) throws TrackerRequestException {
        int entry = addressLength + 2;
        if (compact.length() % entry != 0) {
            throw new TrackerRequestException("compact peers of " + compact.length() + " bytes (expected: a multiple of " + entry + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(compact.bytes());
        while (in.hasRemaining()) {
            try {
                out.add(PeerAddress.readCompact(in, addressLength));
            } catch (IllegalArgumentException e) {
                throw new TrackerRequestException("compact peer with " + e.getMessage());
            }
        }
    }

    private static void readDictPeers(BList list, List<PeerAddress> out) throws TrackerRequestException {
        for (BValue value : list.values()) {
            if (!(value instanceof BDict p) || !(p.get("ip").orElse(null) instanceof BString ip)
                    || !(p.get("port").orElse(null) instanceof BInteger port) || port.value() < 1 || port.value() > 65535) {
                throw new TrackerRequestException("malformed peer in peers list");
            }
            InetAddress address;
            try {
                String literal = ip.utf8();
                if (!literal.matches("[0-9a-fA-F:.]+")) {
                    throw new TrackerRequestException("peer ip '" + literal + "' is not an address literal");
                }
                address = InetAddress.getByName(literal);
            } catch (UnknownHostException e) {
                throw new TrackerRequestException("peer ip is not an address");
            }
            Optional<PeerId> id = p.get("peer id").orElse(null) instanceof BString s && s.length() == 20
                    ? Optional.of(PeerId.of(s.bytes())) : Optional.empty();
            out.add(new PeerAddress(address, (int) port.value(), id));
        }
    }

    private static long integer(BDict dict, String key, long fallback) throws TrackerRequestException {
        Optional<BValue> v = dict.get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!(v.get() instanceof BInteger i)) {
            throw new TrackerRequestException(key + " is not an integer");
        }
        return i.value();
    }
}
