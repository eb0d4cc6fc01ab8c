package io.shoal.tracker.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.tracker.swarm.PeerUpdate;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicatedAnnounceTest {

    private static final String HEX = "0123456789abcdef0123456789abcdef01234567";

    private static ReplicatedAnnounce sample(byte[] address, String key) {
        return new ReplicatedAnnounce(UUID.randomUUID(), InfoHash.fromHex(HEX), new PeerUpdate(PeerId.random("-SH0100-"),
                PeerUpdate.endpoint(address, 51413), key, 1234, AnnounceEvent.COMPLETED, 77));
    }

    @Test
    void roundTripsIpv4AndIpv6() {
        for (ReplicatedAnnounce a : new ReplicatedAnnounce[] {sample(new byte[] {10, 0, 0, 1}, "abcd1234"), sample(new byte[16], "")}) {
            ReplicatedAnnounce b = ReplicatedAnnounce.decode(HEX, a.encodeValue(), 77);
            assertEquals(a.replica(), b.replica());
            assertEquals(a.infoHash(), b.infoHash());
            assertEquals(a.update().peerId(), b.update().peerId());
            assertArrayEquals(a.update().endpoint(), b.update().endpoint());
            assertEquals(a.update().key(), b.update().key());
            assertEquals(a.update().left(), b.update().left());
            assertEquals(a.update().event(), b.update().event());
        }
    }

    @Test
    void malformedRecordsAreRefused() {
        byte[] good = sample(new byte[] {10, 0, 0, 1}, "k").encodeValue();
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode(HEX, Arrays.copyOf(good, good.length - 1), 1), "truncated");
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode(HEX, Arrays.copyOf(good, good.length + 1), 1), "trailing");
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode("abc", good, 1), "key");
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode(HEX, null, 1), "no value");
        byte[] version = good.clone();
        version[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode(HEX, version, 1), "version");
        byte[] endpoint = good.clone();
        endpoint[1 + 16 + 1 + 8 + 20] = 7;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode(HEX, endpoint, 1), "endpoint of 7 bytes");
        byte[] event = good.clone();
        event[17] = 9;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decode(HEX, event, 1), "event");
    }
}
