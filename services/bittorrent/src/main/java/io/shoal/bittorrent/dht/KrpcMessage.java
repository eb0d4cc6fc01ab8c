package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * BEP 5 KRPC messages: bencoded dictionaries over UDP with a transaction id {@code t} and a type
 * {@code y}: query ({@code q}), response ({@code r}) or error ({@code e}). Transaction ids and tokens are
 * opaque byte strings, held as {@link BString} so that messages compare by value.
 */
public sealed interface KrpcMessage {

    int GENERIC_ERROR = 201, SERVER_ERROR = 202, PROTOCOL_ERROR = 203, METHOD_UNKNOWN = 204;

    BString transactionId();

    sealed interface Query extends KrpcMessage permits Ping, FindNode, GetPeers, AnnouncePeer {
        NodeId id();
    }

    /** {@code q=ping, a={id}} */
    record Ping(BString transactionId, NodeId id) implements Query {
    }

    /** {@code q=find_node, a={id, target}} */
    record FindNode(BString transactionId, NodeId id, NodeId target) implements Query {
    }

    /** {@code q=get_peers, a={id, info_hash}} */
    record GetPeers(BString transactionId, NodeId id, InfoHash infoHash) implements Query {
    }

    /**
     * {@code q=announce_peer, a={id, info_hash, port, token, implied_port}}; with implied_port the peer's
     * port is the UDP source port.
     */
    record AnnouncePeer(BString transactionId, NodeId id, InfoHash infoHash, int port, boolean impliedPort,
                        BString token) implements Query {
    }

    /** A node in compact node info: 20-byte id, then the address (BEP 5: 26 bytes for IPv4). */
    record NodeInfo(NodeId id, InetSocketAddress address) {
    }

    /**
     * {@code r={id, nodes?, values?, token?}}. A response does not say which query it answers; the
     * querying node matches it by transaction id.
     */
    record Response(BString transactionId, NodeId id, List<NodeInfo> nodes, List<PeerAddress> values,
                    Optional<BString> token) implements KrpcMessage {
        public Response {
            nodes = List.copyOf(nodes);
            values = List.copyOf(values);
        }
    }

    /** {@code e=[code, message]}: 201 generic, 202 server, 203 protocol, 204 method unknown. */
    record Error(BString transactionId, int code, String message) implements KrpcMessage {
    }
}
