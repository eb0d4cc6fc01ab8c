package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/** A peer handed to an announcing client: its compact endpoint (6 or 18 bytes) and its id. */
public record Handout(byte[] endpoint, PeerId peerId) {

    public boolean ipv6() {
        return endpoint.length == 18;
    }

    /** The peer as the protocol library's response codecs take it. */
    public PeerAddress toPeerAddress() {
        try {
            int port = ((endpoint[endpoint.length - 2] & 0xff) << 8) | (endpoint[endpoint.length - 1] & 0xff);
            InetAddress address = InetAddress.getByAddress(java.util.Arrays.copyOf(endpoint, endpoint.length - 2));
            return new PeerAddress(address, port, Optional.of(peerId));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes always make an address", e);
        }
    }

    public void writeCompact(ByteBuffer out) {
        out.put(endpoint);
    }
}
