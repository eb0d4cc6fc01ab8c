package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;

/**
 * What one announce says about its peer, whichever replica received it.
 *
 * @param endpoint compact address and port (6 or 18 bytes, BEP 23 / BEP 7)
 * @param trusted  sent from a trusted address (a seeder-worker, a proxy): not counted against its address's quota
 * @param left     bytes the peer still lacks; 0 makes it a seeder
 */
public record PeerUpdate(PeerId peerId, byte[] endpoint, boolean trusted, long left, AnnounceEvent event, long atMillis) {

    public PeerUpdate {
        if (endpoint.length != 6 && endpoint.length != 18) {
            throw new IllegalArgumentException("endpoint of " + endpoint.length + " bytes (expected: 6 or 18)");
        }
        if (left < 0) {
            throw new IllegalArgumentException("left: " + left + " (expected: >= 0)");
        }
    }

    public boolean seeder() {
        return left == 0;
    }

    /** The compact endpoint of an address (4 or 16 bytes) and a port. */
    public static byte[] endpoint(byte[] address, int port) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address of " + address.length + " bytes (expected: 4 or 16)");
        }
        byte[] endpoint = java.util.Arrays.copyOf(address, address.length + 2);
        endpoint[address.length] = (byte) (port >>> 8);
        endpoint[address.length + 1] = (byte) port;
        return endpoint;
    }
}
