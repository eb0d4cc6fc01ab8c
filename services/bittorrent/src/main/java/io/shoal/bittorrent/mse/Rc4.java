package io.shoal.bittorrent.mse;

import io.netty.buffer.ByteBuf;

/**
 * RC4 as Message Stream Encryption uses it: one keystream per direction, the first 1024 bytes thrown away,
 * then every byte of that direction XORed with the next keystream byte, in order, never restarted.
 * Not thread-safe: each stream belongs to one channel's event loop.
 */
public final class Rc4 {

    private final int[] s = new int[256];
    private int i;
    private int j;

    public Rc4(byte[] key) {
        for (int k = 0; k < 256; k++) {
            s[k] = k;
        }
        for (int k = 0, m = 0; k < 256; k++) {
            m = (m + s[k] + (key[k % key.length] & 0xff)) & 0xff;
            int t = s[k];
            s[k] = s[m];
            s[m] = t;
        }
    }

    /** A stream keyed with {@code key}, its first 1024 bytes discarded (MSE). */
    static Rc4 discarding1024(byte[] key) {
        Rc4 rc4 = new Rc4(key);
        rc4.apply(new byte[1024], 0, 1024);
        return rc4;
    }

    /** Encrypts (or decrypts: the same operation) {@code length} bytes of {@code data} in place. */
    public void apply(byte[] data, int offset, int length) {
        int[] s = this.s;
        int i = this.i;
        int j = this.j;
        for (int end = offset + length, k = offset; k < end; k++) {
            i = (i + 1) & 0xff;
            int si = s[i];
            j = (j + si) & 0xff;
            int sj = s[j];
            s[i] = sj;
            s[j] = si;
            data[k] ^= (byte) s[(si + sj) & 0xff];
        }
        this.i = i;
        this.j = j;
    }

    /** Applies the stream to a buffer's readable bytes in place; the buffer must be writable (not shared). */
    public void apply(ByteBuf buf) {
        int length = buf.readableBytes();
        if (buf.hasArray()) {
            apply(buf.array(), buf.arrayOffset() + buf.readerIndex(), length);
            return;
        }
        byte[] chunk = new byte[Math.min(length, 8192)];
        for (int at = buf.readerIndex(), end = at + length; at < end; ) {
            int n = Math.min(chunk.length, end - at);
            buf.getBytes(at, chunk, 0, n);
            apply(chunk, 0, n);
            buf.setBytes(at, chunk, 0, n);
            at += n;
        }
    }
}
