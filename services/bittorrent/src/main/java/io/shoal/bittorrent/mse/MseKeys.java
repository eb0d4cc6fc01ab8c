package io.shoal.bittorrent.mse;

import io.shoal.bittorrent.metainfo.InfoHash;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One side's Diffie-Hellman key pair for Message Stream Encryption (the 768-bit prime, generator 2, 160-bit
 * private keys) and the hashes both sides derive from the shared secret S and the torrent's info-hash SKEY.
 */
final class MseKeys {

    /** The public keys' and the secret's length on the wire: 768 bits. */
    static final int KEY_LENGTH = 96;

    private static final BigInteger P = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A43"
                    + "1B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
    private static final BigInteger G = BigInteger.TWO;

    private final BigInteger privateKey;
    private final byte[] publicKey;

    MseKeys(SecureRandom random) {
        this.privateKey = new BigInteger(160, random).setBit(159);
        this.publicKey = fixed(G.modPow(privateKey, P));
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /** S from the other side's public key; empty when the key is outside 2..P-2 (a key that fixes S). */
    byte[] secret(byte[] theirs) {
        BigInteger y = new BigInteger(1, theirs);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            return null;
        }
        return fixed(y.modPow(privateKey, P));
    }

    static byte[] req1(byte[] s) {
        return sha1(ascii("req1"), s);
    }

    static byte[] req2(InfoHash skey) {
        return sha1(ascii("req2"), skey.bytes());
    }

    static byte[] req3(byte[] s) {
        return sha1(ascii("req3"), s);
    }

    /** The RC4 stream the connecting side (A) encrypts with, keyed HASH('keyA', S, SKEY). */
    static Rc4 streamA(byte[] s, InfoHash skey) {
        return Rc4.discarding1024(sha1(ascii("keyA"), s, skey.bytes()));
    }

    /** The RC4 stream the accepting side (B) encrypts with, keyed HASH('keyB', S, SKEY). */
    static Rc4 streamB(byte[] s, InfoHash skey) {
        return Rc4.discarding1024(sha1(ascii("keyB"), s, skey.bytes()));
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = (byte) (a[k] ^ b[k]);
        }
        return out;
    }

    private static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[KEY_LENGTH];
        int copy = Math.min(raw.length, KEY_LENGTH);
        System.arraycopy(raw, raw.length - copy, out, KEY_LENGTH - copy, copy);
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (byte[] part : parts) {
                sha1.update(part);
            }
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
