package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shoal.bittorrent.dht.KrpcCodec;
import io.shoal.bittorrent.dht.KrpcException;
import io.shoal.bittorrent.magnet.MagnetException;
import io.shoal.bittorrent.magnet.MagnetUri;
import java.nio.charset.StandardCharsets;

/** DHT datagrams and magnet links. */
public class KrpcAndMagnetFuzzTest {

    public static void fuzzerTestOneInput(byte[] input) {
        try {
            KrpcCodec.decode(input);
        } catch (KrpcException expected) {
            // answered with error 203 or dropped
        }
        try {
            MagnetUri.parse(new String(input, StandardCharsets.UTF_8));
        } catch (MagnetException expected) {
            // a 400 at the gateway
        }
    }

    @FuzzTest(maxDuration = "10s")
    void krpcAndMagnetParsers(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
