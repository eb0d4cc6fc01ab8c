package io.shoal.bittorrent.peerwire;

import io.shoal.bittorrent.metainfo.InfoHash;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * BEP 6's canonical allowed-fast set: the pieces a choked peer may still download from us, derived from its
 * IPv4 /24 and the info-hash, so every seed picks the same pieces for it and a peer gains nothing by
 * reconnecting from another port.
 */
public final class AllowedFastSet {

    private AllowedFastSet() {
    }

    /** Up to {@code k} piece indexes for a peer at {@code address} (IPv4 only: none for IPv6). */
    public static Set<Integer> of(int k, InetAddress address, InfoHash infoHash, int pieceCount) {
        Set<Integer> pieces = new LinkedHashSet<>();
        if (!(address instanceof Inet4Address) || pieceCount <= 0 || k <= 0) {
            return pieces;
        }
        if (pieceCount <= k) {
            for (int p = 0; p < pieceCount; p++) {
                pieces.add(p);
            }
            return pieces;
        }
        byte[] ip = address.getAddress();
        byte[] x = new byte[4 + 20];
        System.arraycopy(ip, 0, x, 0, 3); // the /24: the last byte stays 0
        System.arraycopy(infoHash.bytes(), 0, x, 4, 20);
        MessageDigest sha1 = sha1();
        while (pieces.size() < k) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && pieces.size() < k; i++) {
                long y = ((x[i * 4] & 0xffL) << 24) | ((x[i * 4 + 1] & 0xff) << 16) | ((x[i * 4 + 2] & 0xff) << 8) | (x[i * 4 + 3] & 0xff);
                pieces.add((int) (y % pieceCount));
            }
        }
        return pieces;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
