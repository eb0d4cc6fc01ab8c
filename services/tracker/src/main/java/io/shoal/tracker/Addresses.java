package io.shoal.tracker;

import io.netty.util.NetUtil;

/** Peer addresses as bytes: 4 for IPv4 (IPv4-mapped IPv6 addresses included), 16 for IPv6. */
public final class Addresses {

    private Addresses() {
    }

    /** The address of a literal the server itself reported (a socket's remote address). */
    public static byte[] of(String literal) {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(literal);
        if (address == null) {
            throw new IllegalArgumentException("'" + literal + "' is not an address literal");
        }
        return unmapped(address);
    }

    /** ::ffff:a.b.c.d becomes a.b.c.d: a dual-stack socket sees IPv4 clients so. */
    public static byte[] unmapped(byte[] address) {
        if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        return java.util.Arrays.copyOfRange(address, 12, 16);
    }
}
