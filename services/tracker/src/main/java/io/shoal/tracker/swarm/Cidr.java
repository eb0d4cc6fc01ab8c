package io.shoal.tracker.swarm;

/** An address block, {@code 10.1.2.0/24} or {@code fd00:1::/64}. */
public record Cidr(byte[] network, int prefixLength) {

    public Cidr {
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network of " + network.length + " bytes (expected: 4 or 16)");
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " (expected: 0-" + network.length * 8 + ")");
        }
        network = mask(network, prefixLength);
    }

    /** Parses an address literal with a prefix length; host names are refused (no DNS). */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block (expected: address/prefix)");
        }
        byte[] address = io.netty.util.NetUtil.createByteArrayFromIpAddressString(text.substring(0, slash).trim());
        if (address == null) {
            throw new IllegalArgumentException("'" + text.substring(0, slash).trim() + "' is not an address literal");
        }
        try {
            return new Cidr(address, Integer.parseInt(text.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block", e);
        }
    }

    /** Compares in place, without a masked copy: it runs on every announce (trusted addresses, racks). */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int bits = prefixLength % 8;
        return bits == 0 || ((address[whole] ^ network[whole]) & (0xff << (8 - bits)) & 0xff) == 0;
    }

    static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int bit = prefixLength; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }
}
