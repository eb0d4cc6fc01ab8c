package io.shoal.bittorrent.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RC4 against the published test vectors, on arrays and on direct buffers. */
class Rc4Test {

    @Test
    void theClassicVectors() {
        assertArrayEquals(ByteBufUtil.decodeHexDump("bbf316e8d940af0ad3"), encrypt("Key", "Plaintext"));
        assertArrayEquals(ByteBufUtil.decodeHexDump("1021bf0420"), encrypt("Wiki", "pedia"));
        assertArrayEquals(ByteBufUtil.decodeHexDump("45a01f645fc35b383552544b9bf5"), encrypt("Secret", "Attack at dawn"));
    }

    @Test
    void aDirectBufferGetsTheSameStreamAsAnArray() {
        byte[] data = new byte[20_000];
        new Random(1).nextBytes(data);
        byte[] viaArray = data.clone();
        new Rc4(new byte[] {1, 2, 3}).apply(viaArray, 0, viaArray.length);
        var direct = Unpooled.directBuffer(data.length).writeBytes(data);
        new Rc4(new byte[] {1, 2, 3}).apply(direct);
        assertArrayEquals(viaArray, ByteBufUtil.getBytes(direct));
        direct.release();
    }

    private static byte[] encrypt(String key, String text) {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        new Rc4(key.getBytes(StandardCharsets.US_ASCII)).apply(data, 0, data.length);
        return data;
    }
}
