package io.shoal.bittorrent.peerwire;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * BEP 11 peer exchange: peers added and dropped since the last message, compact IPv4 in {@code added} /
 * {@code dropped} and IPv6 in {@code added6} / {@code dropped6}. At most 50 added and 50 dropped a message.
 */
public record PexMessage(List<PeerAddress> added, List<PeerAddress> dropped) {

    public static final int MAX_PEERS = 50;
    static final BencodeLimits LIMITS = new BencodeLimits(2, MAX_PEERS * 18 + 64, 32);

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
        if (added.size() > MAX_PEERS || dropped.size() > MAX_PEERS) {
            throw new IllegalArgumentException("more than " + MAX_PEERS + " peers added or dropped");
        }
    }

    public static PexMessage decode(byte[] payload) {
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(payload, LIMITS);
        } catch (BencodeException e) {
            throw new PeerWireException("ut_pex: " + e.getMessage());
        }
        List<PeerAddress> added = new ArrayList<>();
        List<PeerAddress> dropped = new ArrayList<>();
        read(dict, "added", 4, added);
        read(dict, "added6", 16, added);
        read(dict, "dropped", 4, dropped);
        read(dict, "dropped6", 16, dropped);
        if (added.size() > MAX_PEERS || dropped.size() > MAX_PEERS) {
            throw new PeerWireException("ut_pex: more than " + MAX_PEERS + " peers added or dropped");
        }
        return new PexMessage(added, dropped);
    }

    private static void read(BDict dict, String key, int addressLength, List<PeerAddress> out) {
        BValue value = dict.get(key).orElse(null);
        if (value == null) {
            return;
        }
        int entry = addressLength + 2;
        if (!(value instanceof BString compact) || compact.length() % entry != 0) {
            throw new PeerWireException("ut_pex: " + key + " is not a multiple of " + entry + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(compact.bytes());
        while (in.hasRemaining()) {
            int start = in.position();
            PeerAddress peer;
            try {
                peer = PeerAddress.readCompact(in, addressLength);
            } catch (IllegalArgumentException e) {
                throw new PeerWireException("ut_pex: " + key + " holds a peer with port 0 at byte " + start);
            }
            out.add(peer);
        }
    }

    public byte[] encode() {
        BDict.Builder dict = BDict.builder();
        write(dict, "added", added, false);
        write(dict, "added6", added, true);
        write(dict, "dropped", dropped, false);
        write(dict, "dropped6", dropped, true);
        return BencodeEncoder.encode(dict.build());
    }

    private static void write(BDict.Builder dict, String key, List<PeerAddress> peers, boolean ipv6) {
        List<PeerAddress> family = peers.stream().filter(p -> p.ipv6() == ipv6).toList();
        ByteBuffer out = ByteBuffer.allocate(family.size() * (ipv6 ? 18 : 6));
        family.forEach(p -> p.writeCompact(out));
        dict.put(key, out.array());
    }
}
