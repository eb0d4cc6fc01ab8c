package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BValue;
import java.util.Arrays;

/** Only {@link BencodeException} may leave the decoder; what it accepts re-encodes to the same bytes. */
public class BencodeFuzzTest {

    public static void fuzzerTestOneInput(byte[] input) {
        BValue value;
        try {
            value = BencodeDecoder.decode(input);
        } catch (BencodeException expected) {
            return;
        }
        if (!Arrays.equals(input, BencodeEncoder.encode(value))) {
            throw new AssertionError("accepted bencode that is not canonical");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void bencodeDecoder(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
