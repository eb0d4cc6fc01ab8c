package io.shoal.bittorrent.tracker;

import io.shoal.bittorrent.metainfo.PeerId;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/** A peer as a tracker hands it out: an IPv4 or IPv6 address, a port, and its id when known. */
public record PeerAddress(InetAddress address, int port, Optional<PeerId> peerId) {

    public PeerAddress {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    public static PeerAddress of(InetAddress address, int port) {
        return new PeerAddress(address, port, Optional.empty());
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    /** BEP 23 / BEP 7 compact form: the address bytes then the port, big-endian (6 or 18 bytes). */
    public void writeCompact(ByteBuffer out) {
        out.put(address.getAddress());
        out.putShort((short) port);
    }

    /** Reads {@code addressLength} (4 or 16) address bytes and a port. */
    public static PeerAddress readCompact(ByteBuffer in, int addressLength) {
        byte[] raw = new byte[addressLength];
        in.get(raw);
        int port = Short.toUnsignedInt(in.getShort());
        try {
            InetAddress address = InetAddress.getByAddress(raw);
            if (addressLength == 16 && address instanceof Inet4Address) {
                // an IPv4-mapped IPv6 address; keep the family the tracker used
                address = Inet6Address.getByAddress(null, raw, null);
            }
            return PeerAddress.of(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes always make an address", e);
        }
    }
}
