package io.shoal.seeder.wire;

import io.shoal.bittorrent.peerwire.ExtensionHandshake;
import io.shoal.bittorrent.peerwire.PeerMessage.Extended;
import io.shoal.bittorrent.peerwire.PexMessage;
import io.shoal.bittorrent.peerwire.UtMetadataMessage;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.seeder.torrent.SeededTorrent;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One connection's BEP 10 extensions, apart from the channel: our extension handshake, the ids the peer
 * chose, BEP 9 answers from the info dictionary, and BEP 11's difference to what the peer was told before.
 * Used on the connection's event loop only.
 */
final class ExtensionExchange {

    private final SeededTorrent torrent;
    private int peerMetadataId;
    private int peerPexId;
    private int peerListenPort;
    private Set<InetSocketAddress> told = Set.of();

    ExtensionExchange(SeededTorrent torrent) {
        this.torrent = torrent;
    }

    /** BEP 10's handshake from us: ut_metadata and ut_pex, the metadata size, our port and request queue. */
    static Extended handshake(SeededTorrent torrent, WireSettings settings) {
        return new Extended(0, new ExtensionHandshake(
                Map.of(ExtensionHandshake.UT_METADATA, WireSettings.UT_METADATA, ExtensionHandshake.UT_PEX, WireSettings.UT_PEX),
                OptionalLong.of(torrent.infoSize()), Optional.of(WireSettings.CLIENT),
                OptionalInt.of(settings.advertisedPort()), OptionalInt.of(settings.requestQueue())).encode());
    }

    /** The peer's port from its extension handshake (0: it did not say). */
    int listenPort() {
        return peerListenPort;
    }

    /** An extended message from the peer; the answer to send, if any. Malformed payloads throw. */
    Optional<Extended> receive(Extended message) {
        if (message.extendedId() == 0) {
            ExtensionHandshake theirs = ExtensionHandshake.decode(message.payload());
            peerMetadataId = theirs.extensions().getOrDefault(ExtensionHandshake.UT_METADATA, 0);
            peerPexId = theirs.extensions().getOrDefault(ExtensionHandshake.UT_PEX, 0);
            peerListenPort = theirs.listenPort().orElse(0);
        } else if (message.extendedId() == WireSettings.UT_METADATA) {
            UtMetadataMessage m = UtMetadataMessage.decode(message.payload());
            if (m.type() == UtMetadataMessage.REQUEST && peerMetadataId != 0) {
                UtMetadataMessage answer = (long) m.piece() * UtMetadataMessage.PIECE_SIZE < torrent.infoSize()
                        ? UtMetadataMessage.data(m.piece(), torrent.infoBytes()) : UtMetadataMessage.reject(m.piece());
                return Optional.of(new Extended(peerMetadataId, answer.encode()));
            }
        } else if (message.extendedId() == WireSettings.UT_PEX) {
            PexMessage.decode(message.payload()); // checked; a seed has no use for more leechers' addresses
        }
        return Optional.empty();
    }

    /**
     * BEP 11: the peers of the swarm (at most 50) this peer was not told of, and those it was told of that are
     * gone; empty when nothing changed or the peer does not speak ut_pex.
     */
    Optional<Extended> exchange(List<InetSocketAddress> swarm, InetSocketAddress self) {
        if (peerPexId == 0) {
            return Optional.empty();
        }
        Set<InetSocketAddress> now = new HashSet<>();
        for (InetSocketAddress other : swarm) {
            if (!other.equals(self) && now.size() < PexMessage.MAX_PEERS) {
                now.add(other);
            }
        }
        List<PeerAddress> added = now.stream().filter(a -> !told.contains(a)).map(ExtensionExchange::address).toList();
        List<InetSocketAddress> gone = told.stream().filter(a -> !now.contains(a)).toList();
        if (added.isEmpty() && gone.isEmpty()) {
            return Optional.empty();
        }
        told = now; // never more than 50, so neither added nor dropped can exceed BEP 11's 50
        return Optional.of(new Extended(peerPexId, new PexMessage(added,
                gone.stream().map(ExtensionExchange::address).toList()).encode()));
    }

    private static PeerAddress address(InetSocketAddress a) {
        return PeerAddress.of(a.getAddress(), a.getPort());
    }
}
