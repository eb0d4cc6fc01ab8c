package io.shoal.bittorrent.peerwire;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import java.util.Arrays;

/**
 * BEP 3: {@code <pstrlen=19><"BitTorrent protocol"><reserved:8><info_hash:20><peer_id:20>}, 68 bytes.
 * Reserved bits announce extensions: BEP 10 (byte 5, 0x10), BEP 6 fast (byte 7, 0x04), BEP 5 DHT (byte 7, 0x01).
 */
public record Handshake(byte[] reserved, InfoHash infoHash, PeerId peerId) {

    public static final int LENGTH = 68;
    public static final String PROTOCOL = "BitTorrent protocol";

    public Handshake {
        if (reserved.length != 8) {
            throw new IllegalArgumentException("reserved: " + reserved.length + " bytes (expected: 8)");
        }
        if (infoHash.version() != InfoHash.Version.V1) {
            throw new IllegalArgumentException("the handshake carries 20 bytes (a v2 hash truncated)");
        }
        reserved = reserved.clone();
    }

    /** A handshake announcing the extension protocol, the fast extension and, if asked, the DHT. */
    public static Handshake of(InfoHash infoHash, PeerId peerId, boolean dht) {
        byte[] reserved = new byte[8];
        reserved[5] |= 0x10;
        reserved[7] |= 0x04;
        if (dht) {
            reserved[7] |= 0x01;
        }
        return new Handshake(reserved, infoHash.truncated(), peerId);
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    public boolean extensionProtocol() {
        return (reserved[5] & 0x10) != 0;
    }

    public boolean fastExtension() {
        return (reserved[7] & 0x04) != 0;
    }

    public boolean dht() {
        return (reserved[7] & 0x01) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash) && peerId.equals(h.peerId);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(reserved) + infoHash.hashCode()) + peerId.hashCode();
    }
}
