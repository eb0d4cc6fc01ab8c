package io.shoal.tracker.swarm;

import java.util.Arrays;
import java.util.List;

/**
 * Where a peer sits, so peers near an asking client can come first: a configured rack (a list of CIDR
 * blocks), else its subnet (by default a /24 for IPv4, a /64 for IPv6).
 */
public final class Topology {

    /** One named rack and its address blocks. */
    public record Rack(String name, List<Cidr> blocks) {
    }

    private final boolean enabled;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final List<Rack> racks;

    public Topology(boolean enabled, int ipv4Prefix, int ipv6Prefix, List<Rack> racks) {
        if (ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("subnet prefixes " + ipv4Prefix + ", " + ipv6Prefix + " (expected: 0-32, 0-128)");
        }
        this.enabled = enabled;
        this.ipv4Prefix = ipv4Prefix;
        this.ipv6Prefix = ipv6Prefix;
        this.racks = List.copyOf(racks);
    }

    public static Topology off() {
        return new Topology(false, 24, 64, List.of());
    }

    public boolean enabled() {
        return enabled;
    }

    /** A number equal for peers in the same rack (or subnet); racks are negative, subnets not. */
    public long rackOf(byte[] endpoint) {
        if (!enabled) {
            return 0;
        }
        byte[] address = Arrays.copyOf(endpoint, endpoint.length - 2);
        for (int i = 0; i < racks.size(); i++) {
            for (Cidr block : racks.get(i).blocks()) {
                if (block.contains(address)) {
                    return -(i + 1L);
                }
            }
        }
        byte[] subnet = Cidr.mask(address, address.length == 4 ? ipv4Prefix : ipv6Prefix);
        return ((long) address.length << 32) | (Arrays.hashCode(subnet) & 0xffffffffL);
    }
}
