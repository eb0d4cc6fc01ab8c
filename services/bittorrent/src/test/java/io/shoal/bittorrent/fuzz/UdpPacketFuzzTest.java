package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.bittorrent.tracker.UdpTrackerCodec;
import java.nio.ByteBuffer;

/** BEP 15 datagrams, both directions and both address families. */
public class UdpPacketFuzzTest {

    public static void fuzzerTestOneInput(byte[] input) {
        try {
            UdpTrackerCodec.decodeRequest(ByteBuffer.wrap(input));
        } catch (TrackerRequestException expected) {
            UdpTrackerCodec.transactionIdOf(ByteBuffer.wrap(input));
        }
        for (boolean ipv6 : new boolean[] {false, true}) {
            try {
                UdpTrackerCodec.decodeReply(ByteBuffer.wrap(input), ipv6);
            } catch (TrackerRequestException expected) {
                // a broken tracker
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void udpPacketParser(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
