package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/** A peer handed to an announcing client: its compact endpoint (6 or 18 bytes) and its id. */
public record Handout(byte[] endpoint, PeerId peerId) {

    /** The peer as the protocol library's response codecs take it (for the dictionary answer). */
    public PeerAddress toPeerAddress() {
        PeerAddress address = PeerAddress.readCompact(ByteBuffer.wrap(endpoint), endpoint.length - 2);
        return new PeerAddress(address.address(), address.port(), Optional.of(peerId));
    }
}
