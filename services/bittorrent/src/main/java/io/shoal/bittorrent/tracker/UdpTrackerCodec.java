package io.shoal.bittorrent.tracker;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceRequestPacket;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectRequest;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ErrorReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeRequestPacket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Encodes and decodes BEP 15 datagrams. Decoding checks lengths and actions before reading and never
 * depends on tracker state: whether a connection id is valid is the tracker's question.
 */
public final class UdpTrackerCodec {

    static final int ANNOUNCE_REQUEST_LENGTH = 98;

    private UdpTrackerCodec() {
    }

    /** A datagram a tracker received. A malformed one raises the message a BEP 15 error reply should carry. */
    public static UdpTrackerPacket.Request decodeRequest(ByteBuffer datagram) throws TrackerRequestException {
        ByteBuffer in = datagram.duplicate();
        if (in.remaining() < 16) {
            throw new TrackerRequestException("packet of " + in.remaining() + " bytes (expected: >= 16)");
        }
        long connectionId = in.getLong();
        int action = in.getInt();
        int transactionId = in.getInt();
        return switch (action) {
            case UdpTrackerPacket.CONNECT -> {
                if (connectionId != UdpTrackerPacket.PROTOCOL_ID) {
                    throw new TrackerRequestException("connect without the protocol id");
                }
                yield new ConnectRequest(transactionId);
            }
            case UdpTrackerPacket.ANNOUNCE -> {
                if (datagram.remaining() < ANNOUNCE_REQUEST_LENGTH) {
                    throw new TrackerRequestException("announce of " + datagram.remaining() + " bytes (expected: >= " + ANNOUNCE_REQUEST_LENGTH + ")");
                }
                byte[] infoHash = new byte[20];
                in.get(infoHash);
                byte[] peerId = new byte[20];
                in.get(peerId);
                long downloaded = in.getLong();
                long left = in.getLong();
                long uploaded = in.getLong();
                AnnounceEvent event = AnnounceEvent.fromUdp(in.getInt());
                int ip = in.getInt();
                int key = in.getInt();
                int numWant = in.getInt();
                int port = Short.toUnsignedInt(in.getShort());
                if (downloaded < 0 || left < 0 || uploaded < 0) {
                    throw new TrackerRequestException("negative counter (expected: < 2^63)");
                }
                if (port == 0) {
                    throw new TrackerRequestException("invalid port 0 (expected: 1-65535)");
                }
                // Anything after byte 98 is BEP 41 options, which Shoal does not use.
                AnnounceRequest request = new AnnounceRequest(InfoHash.of(infoHash), PeerId.of(peerId), port,
                        uploaded, downloaded, left, event,
                        numWant < 0 ? OptionalInt.empty() : OptionalInt.of(numWant), true, true,
                        Optional.empty(), Optional.of(HexFormat.of().toHexDigits(key)));
                yield new AnnounceRequestPacket(connectionId, transactionId, request, ip);
            }
            case UdpTrackerPacket.SCRAPE -> {
                int hashes = in.remaining() / 20;
                if (hashes == 0 || in.remaining() % 20 != 0) {
                    throw new TrackerRequestException("scrape with " + in.remaining() + " bytes of hashes (expected: 20 a hash)");
                }
                if (hashes > UdpTrackerPacket.MAX_SCRAPE_HASHES) {
                    throw new TrackerRequestException("scrape of " + hashes + " hashes (expected: <= " + UdpTrackerPacket.MAX_SCRAPE_HASHES + ")");
                }
                List<InfoHash> list = new ArrayList<>(hashes);
                for (int i = 0; i < hashes; i++) {
                    byte[] hash = new byte[20];
                    in.get(hash);
                    list.add(InfoHash.of(hash));
                }
                yield new ScrapeRequestPacket(connectionId, transactionId, list);
            }
            default -> throw new TrackerRequestException("unknown action " + action + " (expected: 0, 1 or 2)");
        };
    }

    /** The transaction id of a datagram long enough to have one, so even a bad request gets its error reply. */
    public static OptionalInt transactionIdOf(ByteBuffer datagram) {
        return datagram.remaining() >= 16 ? OptionalInt.of(datagram.getInt(datagram.position() + 12)) : OptionalInt.empty();
    }

    public static ByteBuffer encode(UdpTrackerPacket packet) {
        return switch (packet) {
            case ConnectRequest p -> ByteBuffer.allocate(16).putLong(UdpTrackerPacket.PROTOCOL_ID)
                    .putInt(UdpTrackerPacket.CONNECT).putInt(p.transactionId()).flip();
            case ConnectReply p -> ByteBuffer.allocate(16).putInt(UdpTrackerPacket.CONNECT)
                    .putInt(p.transactionId()).putLong(p.connectionId()).flip();
            case AnnounceRequestPacket p -> {
                AnnounceRequest r = p.request();
                ByteBuffer out = ByteBuffer.allocate(ANNOUNCE_REQUEST_LENGTH);
                out.putLong(p.connectionId()).putInt(UdpTrackerPacket.ANNOUNCE).putInt(p.transactionId());
                out.put(r.infoHash().bytes()).put(r.peerId().bytes());
                out.putLong(r.downloaded()).putLong(r.left()).putLong(r.uploaded());
                out.putInt(r.event().udpCode()).putInt(p.ipv4());
                out.putInt(r.key().map(UdpTrackerCodec::udpKey).orElse(0));
                out.putInt(r.numWant().orElse(-1)).putShort((short) r.port());
                yield out.flip();
            }
            case ScrapeRequestPacket p -> {
                ByteBuffer out = ByteBuffer.allocate(16 + 20 * p.infoHashes().size());
                out.putLong(p.connectionId()).putInt(UdpTrackerPacket.SCRAPE).putInt(p.transactionId());
                p.infoHashes().forEach(h -> out.put(h.bytes()));
                yield out.flip();
            }
            case AnnounceReply p -> {
                int entry = p.ipv6() ? 18 : 6;
                List<PeerAddress> peers = p.peers().stream().filter(a -> a.ipv6() == p.ipv6()).toList();
                ByteBuffer compact = ByteBuffer.allocate(entry * peers.size());
                peers.forEach(a -> a.writeCompact(compact));
                yield announceReply(p.transactionId(), p.interval(), p.leechers(), p.seeders(), compact.array());
            }
            case ScrapeReply p -> {
                ByteBuffer out = ByteBuffer.allocate(8 + 12 * p.stats().size());
                out.putInt(UdpTrackerPacket.SCRAPE).putInt(p.transactionId());
                p.stats().forEach(s -> out.putInt(s.complete()).putInt((int) Math.min(s.downloaded(), Integer.MAX_VALUE)).putInt(s.incomplete()));
                yield out.flip();
            }
            case ErrorReply p -> {
                byte[] message = p.message().getBytes(StandardCharsets.UTF_8);
                yield ByteBuffer.allocate(8 + message.length).putInt(UdpTrackerPacket.ERROR)
                        .putInt(p.transactionId()).put(message).flip();
            }
        };
    }

    /**
     * An announce reply from peers already in compact form (6 bytes each for a request that came over
     * IPv4, 18 over IPv6): a tracker's hottest datagram, without a list in between.
     */
    public static ByteBuffer announceReply(int transactionId, int interval, int leechers, int seeders, byte[] compactPeers) {
        return ByteBuffer.allocate(20 + compactPeers.length).putInt(UdpTrackerPacket.ANNOUNCE).putInt(transactionId)
                .putInt(interval).putInt(leechers).putInt(seeders).put(compactPeers).flip();
    }

    /** BEP 15's key is 32 bits: a hex key as written by {@link #decodeRequest}, any other string hashed. */
    static int udpKey(String key) {
        if (key.matches("[0-9a-fA-F]{1,8}")) {
            return (int) Long.parseLong(key, 16);
        }
        return key.hashCode();
    }

    /** A datagram a client received; {@code ipv6} says which socket family it came in on. */
    public static UdpTrackerPacket.Reply decodeReply(ByteBuffer datagram, boolean ipv6) throws TrackerRequestException {
        ByteBuffer in = datagram.duplicate();
        if (in.remaining() < 8) {
            throw new TrackerRequestException("reply of " + in.remaining() + " bytes (expected: >= 8)");
        }
        int action = in.getInt();
        int transactionId = in.getInt();
        return switch (action) {
            case UdpTrackerPacket.CONNECT -> {
                if (in.remaining() < 8) {
                    throw new TrackerRequestException("connect reply without a connection id");
                }
                yield new ConnectReply(transactionId, in.getLong());
            }
            case UdpTrackerPacket.ANNOUNCE -> {
                int entry = ipv6 ? 18 : 6;
                if (in.remaining() < 12 || (in.remaining() - 12) % entry != 0) {
                    throw new TrackerRequestException("announce reply of " + datagram.remaining() + " bytes");
                }
                int interval = in.getInt();
                int leechers = in.getInt();
                int seeders = in.getInt();
                List<PeerAddress> peers = new ArrayList<>();
                while (in.hasRemaining()) {
                    try {
                        peers.add(PeerAddress.readCompact(in, ipv6 ? 16 : 4));
                    } catch (IllegalArgumentException e) {
                        throw new TrackerRequestException("announce reply peer with " + e.getMessage());
                    }
                }
                yield new AnnounceReply(transactionId, interval, leechers, seeders, peers, ipv6);
            }
            case UdpTrackerPacket.SCRAPE -> {
                if (in.remaining() % 12 != 0) {
                    throw new TrackerRequestException("scrape reply of " + datagram.remaining() + " bytes");
                }
                List<ScrapeStats> stats = new ArrayList<>();
                while (in.hasRemaining()) {
                    int seeders = in.getInt();
                    long completed = Integer.toUnsignedLong(in.getInt());
                    int leechers = in.getInt();
                    stats.add(new ScrapeStats(seeders, completed, leechers));
                }
                yield new ScrapeReply(transactionId, stats);
            }
            case UdpTrackerPacket.ERROR -> {
                byte[] message = new byte[in.remaining()];
                in.get(message);
                yield new ErrorReply(transactionId, new String(message, StandardCharsets.UTF_8));
            }
            default -> throw new TrackerRequestException("unknown action " + action);
        };
    }
}
