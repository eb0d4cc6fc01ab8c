package io.shoal.tracker.udp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash, fast on short inputs and safe to use
 * as a MAC there. Connection ids are made with it, once per UDP announce.
 */
final class SipHash {

    private final long k0;
    private final long k1;

    /** @param key 16 bytes */
    SipHash(byte[] key) {
        if (key.length != 16) {
            throw new IllegalArgumentException("SipHash key of " + key.length + " bytes (expected: 16)");
        }
        k0 = littleEndian(key, 0, 8);
        k1 = littleEndian(key, 8, 8);
    }

    long hash(byte[] message) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        int whole = message.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            compress(v, littleEndian(message, i, 8), 2);
        }
        compress(v, ((long) message.length << 56) | littleEndian(message, whole, message.length - whole), 2);
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** One message word: c rounds of SipRound between xoring it into v3 and into v0. */
    private static void compress(long[] v, long m, int c) {
        v[3] ^= m;
        rounds(v, c);
        v[0] ^= m;
    }

    private static void rounds(long[] v, int count) {
        for (int r = 0; r < count; r++) {
            v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
            v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
            v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    private static long littleEndian(byte[] bytes, int offset, int length) {
        long value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xffL);
        }
        return value;
    }
}
