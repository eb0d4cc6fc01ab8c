package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * BEP 5 KRPC messages: bencoded dictionaries over UDP with a transaction id {@code t} and a type
 * {@code y}: query ({@code q}), response ({@code r}) or error ({@code e}).
 */
public sealed interface KrpcMessage {

    int GENERIC_ERROR = 201, SERVER_ERROR = 202, PROTOCOL_ERROR = 203, METHOD_UNKNOWN = 204;

    byte[] transactionId();

    sealed interface Query extends KrpcMessage permits Ping, FindNode, GetPeers, AnnouncePeer {
        NodeId id();
    }

    /** {@code q=ping, a={id}} */
    record Ping(byte[] transactionId, NodeId id) implements Query {
        public Ping {
            transactionId = transactionId.clone();
        }

        @Override
        public byte[] transactionId() {
            return transactionId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(transactionId, p.transactionId) && id.equals(p.id);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + id.hashCode();
        }
    }

    /** {@code q=find_node, a={id, target}} */
    record FindNode(byte[] transactionId, NodeId id, NodeId target) implements Query {
        public FindNode {
            transactionId = transactionId.clone();
        }

        @Override
        public byte[] transactionId() {
            return transactionId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FindNode f && Arrays.equals(transactionId, f.transactionId) && id.equals(f.id) && target.equals(f.target);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + target.hashCode();
        }
    }

    /** {@code q=get_peers, a={id, info_hash}} */
    record GetPeers(byte[] transactionId, NodeId id, InfoHash infoHash) implements Query {
        public GetPeers {
            transactionId = transactionId.clone();
        }

        @Override
        public byte[] transactionId() {
            return transactionId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GetPeers g && Arrays.equals(transactionId, g.transactionId) && id.equals(g.id) && infoHash.equals(g.infoHash);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + infoHash.hashCode();
        }
    }

    /**
     * {@code q=announce_peer, a={id, info_hash, port, token, implied_port}}; with implied_port the peer's
     * port is the UDP source port.
     */
    record AnnouncePeer(byte[] transactionId, NodeId id, InfoHash infoHash, int port, boolean impliedPort, byte[] token)
            implements Query {
        public AnnouncePeer {
            transactionId = transactionId.clone();
            token = token.clone();
        }

        @Override
        public byte[] transactionId() {
            return transactionId.clone();
        }

        @Override
        public byte[] token() {
            return token.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnnouncePeer a && Arrays.equals(transactionId, a.transactionId) && id.equals(a.id)
                    && infoHash.equals(a.infoHash) && port == a.port && impliedPort == a.impliedPort && Arrays.equals(token, a.token);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + infoHash.hashCode() + port;
        }
    }

    /** A node in compact node info: 20-byte id, then the address (BEP 5: 26 bytes for IPv4). */
    record NodeInfo(NodeId id, InetSocketAddress address) {
    }

    /**
     * {@code r={id, nodes?, values?, token?}}. A response does not say which query it answers; the
     * querying node matches it by transaction id.
     */
    record Response(byte[] transactionId, NodeId id, List<NodeInfo> nodes, List<PeerAddress> values,
                    Optional<byte[]> token) implements KrpcMessage {
        public Response {
            transactionId = transactionId.clone();
            nodes = List.copyOf(nodes);
            values = List.copyOf(values);
            token = token.map(byte[]::clone);
        }

        @Override
        public byte[] transactionId() {
            return transactionId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && Arrays.equals(transactionId, r.transactionId) && id.equals(r.id)
                    && nodes.equals(r.nodes) && values.equals(r.values)
                    && Arrays.equals(token.orElse(null), r.token.orElse(null));
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + id.hashCode() + nodes.hashCode() + values.hashCode();
        }
    }

    /** {@code e=[code, message]}: 201 generic, 202 server, 203 protocol, 204 method unknown. */
    record Error(byte[] transactionId, int code, String message) implements KrpcMessage {
        public Error {
            transactionId = transactionId.clone();
        }

        @Override
        public byte[] transactionId() {
            return transactionId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Error e && Arrays.equals(transactionId, e.transactionId) && code == e.code && message.equals(e.message);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + code;
        }
    }
}
