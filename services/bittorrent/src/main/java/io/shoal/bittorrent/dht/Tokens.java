package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BString;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;

/**
 * BEP 5's write tokens: a get_peers answer carries SHA-1(secret, querier's IP) cut to 8 bytes, and an
 * announce_peer is accepted only with a token made for its source IP from the current or the previous secret.
 * The secret changes every {@code rotationMillis} (5 minutes by default), so a token is good for 5 to 10 minutes
 * and nobody can announce for an address it cannot receive packets at.
 */
public final class Tokens {

    static final int LENGTH = 8;

    private final Random random;
    private byte[] current = new byte[16];
    private byte[] previous = new byte[16];

    public Tokens(Random random) {
        this.random = random;
        random.nextBytes(current);
        random.nextBytes(previous);
    }

    public void rotate() {
        previous = current;
        current = new byte[16];
        random.nextBytes(current);
    }

    public BString issue(InetAddress address) {
        return BString.of(token(current, address));
    }

    public boolean valid(BString token, InetAddress address) {
        byte[] given = token.bytes();
        return MessageDigest.isEqual(given, token(current, address)) || MessageDigest.isEqual(given, token(previous, address));
    }

    private static byte[] token(byte[] secret, InetAddress address) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(address.getAddress());
            return Arrays.copyOf(sha1.digest(), LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
