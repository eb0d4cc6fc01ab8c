package io.shoal.bittorrent.dht;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which nodes must carry an id derived from their address (BEP 42) to enter the routing table or a lookup. A node
 * that fails is still answered; it is only never recommended to anyone, so a Sybil attacker cannot place nodes
 * next to a key of its choosing.
 */
public enum AddressIds {
    /** Every id is taken. */
    OFF,
    /** BEP 42 as written: local networks (10/8, 172.16/12, 192.168/16, 169.254/16, loopback, IPv6 ULA and link-local) exempt. */
    PUBLIC,
    /** Every address, local networks included: for a data center, where every node is on a private network. */
    ALL;

    public boolean accepts(NodeId id, InetAddress address) {
        return !requiresDerivedId(address) || id.isDerivedFrom(address);
    }

    /** Whether a node at {@code address} needs an id derived from it (this node's own included). */
    public boolean requiresDerivedId(InetAddress address) {
        return switch (this) {
            case OFF -> false;
            case PUBLIC -> !local(address);
            case ALL -> true;
        };
    }

    static boolean local(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()) {
            return true;
        }
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }
}
