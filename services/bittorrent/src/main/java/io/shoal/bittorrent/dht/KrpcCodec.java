package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.dht.KrpcMessage.AnnouncePeer;
import io.shoal.bittorrent.dht.KrpcMessage.Error;
import io.shoal.bittorrent.dht.KrpcMessage.FindNode;
import io.shoal.bittorrent.dht.KrpcMessage.GetPeers;
import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import io.shoal.bittorrent.dht.KrpcMessage.Ping;
import io.shoal.bittorrent.dht.KrpcMessage.Response;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** KRPC (BEP 5) to and from datagrams; decoding never depends on the node's state. */
public final class KrpcCodec {

    /** A KRPC datagram fits in one UDP packet; nothing in it nests deeper than e or values. */
    static final BencodeLimits LIMITS = new BencodeLimits(4, 2048, 512);
    public static final int MAX_DATAGRAM = 2048;
    static final int MAX_TRANSACTION_ID = 16;
    static final int MAX_TOKEN = 64;
    static final int COMPACT_NODE = 26;

    private KrpcCodec() {
    }

    public static byte[] encode(KrpcMessage message) {
        BDict.Builder dict = BDict.builder().put(BString.of("t"), message.transactionId());
        switch (message) {
            case Ping q -> query(dict, "ping", BDict.builder().put("id", q.id().bytes()));
            case FindNode q -> query(dict, "find_node", BDict.builder().put("id", q.id().bytes()).put("target", q.target().bytes()));
            case GetPeers q -> query(dict, "get_peers", BDict.builder().put("id", q.id().bytes()).put("info_hash", q.infoHash().bytes()));
            case AnnouncePeer q -> query(dict, "announce_peer", BDict.builder().put("id", q.id().bytes())
                    .put("info_hash", q.infoHash().bytes()).put("port", q.port()).put(BString.of("token"), q.token())
                    .put("implied_port", q.impliedPort() ? 1 : 0));
            case Response r -> {
                BDict.Builder body = BDict.builder().put("id", r.id().bytes());
                byte[] nodes = compactNodes(r.nodes());
                if (nodes.length > 0) {
                    body.put("nodes", nodes);
                }
                if (!r.values().isEmpty()) {
                    List<BValue> values = new ArrayList<>();
                    for (PeerAddress peer : r.values()) {
                        ByteBuffer compact = ByteBuffer.allocate(peer.ipv6() ? 18 : 6);
                        peer.writeCompact(compact);
                        values.add(BString.of(compact.array()));
                    }
                    body.put("values", new BList(values));
                }
                r.token().ifPresent(t -> body.put(BString.of("token"), t));
                dict.put("y", "r").put("r", body.build());
            }
            case Error e -> dict.put("y", "e").put("e", BList.of(BInteger.of(e.code()), BString.of(e.message())));
        }
        return BencodeEncoder.encode(dict.build());
    }

    private static void query(BDict.Builder dict, String method, BDict.Builder args) {
        dict.put("y", "q").put("q", method).put("a", args.build());
    }

    public static KrpcMessage decode(byte[] datagram) throws KrpcException {
        if (datagram.length > MAX_DATAGRAM) {
            throw new KrpcException("datagram of " + datagram.length + " bytes (expected: <= " + MAX_DATAGRAM + ")", null);
        }
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(datagram, LIMITS);
        } catch (BencodeException e) {
            throw new KrpcException("malformed KRPC: " + e.getMessage(), null);
        }
        BString t = dict.get("t").orElse(null) instanceof BString s && s.length() <= MAX_TRANSACTION_ID ? s : null;
        if (t == null) {
            throw new KrpcException("missing or oversized transaction id t", null);
        }
        String y = text(dict, "y", t);
        return switch (y) {
            case "q" -> decodeQuery(dict, t);
            case "r" -> decodeResponse(dict(dict, "r", t), t);
            case "e" -> {
                if (!(dict.get("e").orElse(null) instanceof BList e) || e.size() < 2
                        || !(e.get(0) instanceof BInteger code) || !(e.get(1) instanceof BString message)) {
                    throw new KrpcException("malformed error e (expected: [code, message])", t);
                }
                yield new Error(t, (int) Math.max(0, Math.min(999, code.value())), message.utf8());
            }
            default -> throw new KrpcException("unknown message type y=" + y + " (expected: q, r or e)", t);
        };
    }

    private static KrpcMessage decodeQuery(BDict dict, BString t) throws KrpcException {
        String method = text(dict, "q", t);
        BDict args = dict(dict, "a", t);
        NodeId id = NodeId.of(bytes(args, "id", 20, t));
        return switch (method) {
            case "ping" -> new Ping(t, id);
            case "find_node" -> new FindNode(t, id, NodeId.of(bytes(args, "target", 20, t)));
            case "get_peers" -> new GetPeers(t, id, InfoHash.of(bytes(args, "info_hash", 20, t)));
            case "announce_peer" -> {
                InfoHash infoHash = InfoHash.of(bytes(args, "info_hash", 20, t));
                boolean implied = args.get("implied_port").orElse(null) instanceof BInteger i && i.value() != 0;
                long port = args.get("port").orElse(null) instanceof BInteger p ? p.value() : -1;
                if (!implied && (port < 1 || port > 65535)) {
                    throw new KrpcException("announce_peer port " + port + " (expected: 1-65535)", t);
                }
                if (!(args.get("token").orElse(null) instanceof BString token) || token.length() > MAX_TOKEN) {
                    throw new KrpcException("announce_peer without a token", t);
                }
                yield new AnnouncePeer(t, id, infoHash, implied ? 0 : (int) port, implied, token);
            }
            default -> throw new KrpcException("method unknown: " + method, t);
        };
    }

    private static Response decodeResponse(BDict r, BString t) throws KrpcException {
        NodeId id = NodeId.of(bytes(r, "id", 20, t));
        List<NodeInfo> nodes = List.of();
        if (r.get("nodes").orElse(null) instanceof BString compact) {
            if (compact.length() % COMPACT_NODE != 0) {
                throw new KrpcException("nodes of " + compact.length() + " bytes (expected: a multiple of 26)", t);
            }
            nodes = parseCompactNodes(compact.bytes());
        }
        List<PeerAddress> values = new ArrayList<>();
        if (r.get("values").orElse(null) instanceof BList list) {
            for (BValue value : list.values()) {
                if (!(value instanceof BString peer) || (peer.length() != 6 && peer.length() != 18)) {
                    throw new KrpcException("values holds a peer that is not 6 or 18 bytes", t);
                }
                try {
                    values.add(PeerAddress.readCompact(ByteBuffer.wrap(peer.bytes()), peer.length() - 2));
                } catch (IllegalArgumentException e) {
                    throw new KrpcException("values holds a peer with " + e.getMessage(), t);
                }
            }
        }
        Optional<BString> token = r.get("token").orElse(null) instanceof BString s && s.length() <= MAX_TOKEN
                ? Optional.of(s) : Optional.empty();
        return new Response(t, id, nodes, values, token);
    }

    /** BEP 5 compact node info: 20-byte id, IPv4 address, port; IPv6 nodes belong in BEP 32's nodes6 and are left out. */
    static byte[] compactNodes(List<NodeInfo> nodes) {
        List<NodeInfo> ipv4 = nodes.stream().filter(n -> n.address().getAddress() instanceof Inet4Address).toList();
        ByteBuffer out = ByteBuffer.allocate(COMPACT_NODE * ipv4.size());
        for (NodeInfo node : ipv4) {
            out.put(node.id().bytes()).put(node.address().getAddress().getAddress()).putShort((short) node.address().getPort());
        }
        return out.array();
    }

    /** The nodes of BEP 5 compact node info; {@code compact}'s length is a multiple of 26. */
    static List<NodeInfo> parseCompactNodes(byte[] compact) {
        List<NodeInfo> nodes = new ArrayList<>(compact.length / COMPACT_NODE);
        ByteBuffer in = ByteBuffer.wrap(compact);
        while (in.remaining() >= COMPACT_NODE) {
            byte[] nodeId = new byte[NodeId.LENGTH];
            byte[] ip = new byte[4];
            in.get(nodeId).get(ip);
            int port = Short.toUnsignedInt(in.getShort());
            nodes.add(new NodeInfo(NodeId.of(nodeId), new InetSocketAddress(address(ip), port)));
        }
        return nodes;
    }

    private static InetAddress address(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes always make an address", e);
        }
    }

    private static String text(BDict dict, String key, BString t) throws KrpcException {
        if (dict.get(key).orElse(null) instanceof BString s) {
            return s.utf8();
        }
        throw new KrpcException("missing " + key, t);
    }

    private static BDict dict(BDict dict, String key, BString t) throws KrpcException {
        if (dict.get(key).orElse(null) instanceof BDict d) {
            return d;
        }
        throw new KrpcException("missing dictionary " + key, t);
    }

    private static byte[] bytes(BDict dict, String key, int length, BString t) throws KrpcException {
        if (dict.get(key).orElse(null) instanceof BString s && s.length() == length) {
            return s.bytes();
        }
        throw new KrpcException("missing or wrong-length " + key + " (expected: " + length + " bytes)", t);
    }
}
