package io.shoal.tracker.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.tracker.swarm.PeerUpdate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicatedAnnounceTest {

    private static ReplicatedAnnounce sample(byte[] address, String key, long at) {
        return new ReplicatedAnnounce(InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567"),
                new PeerUpdate(PeerId.random("-SH0100-"), PeerUpdate.endpoint(address, 51413), key, 1234, AnnounceEvent.COMPLETED, at));
    }

    @Test
    void aBatchRoundTripsIpv4AndIpv6() {
        List<ReplicatedAnnounce> batch = List.of(sample(new byte[] {10, 0, 0, 1}, "abcd1234", 77), sample(new byte[16], "", 78));
        List<ReplicatedAnnounce> read = ReplicatedAnnounce.decodeBatch(ReplicatedAnnounce.encodeBatch(batch));
        assertEquals(2, read.size());
        for (int i = 0; i < 2; i++) {
            ReplicatedAnnounce a = batch.get(i);
            ReplicatedAnnounce b = read.get(i);
            assertEquals(a.infoHash(), b.infoHash());
            assertEquals(a.update().peerId(), b.update().peerId());
            assertArrayEquals(a.update().endpoint(), b.update().endpoint());
            assertEquals(a.update().key(), b.update().key());
            assertEquals(a.update().left(), b.update().left());
            assertEquals(a.update().event(), b.update().event());
            assertEquals(a.update().atMillis(), b.update().atMillis());
        }
    }

    @Test
    void malformedRecordsAreRefusedWhole() {
        byte[] good = ReplicatedAnnounce.encodeBatch(List.of(sample(new byte[] {10, 0, 0, 1}, "k", 1)));
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(Arrays.copyOf(good, good.length - 1)), "truncated");
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(Arrays.copyOf(good, good.length + 1)), "trailing");
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(null), "no value");
        byte[] version = good.clone();
        version[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(version), "version");
        byte[] count = good.clone();
        count[2] = 2;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(count), "claims two announces, holds one");
        byte[] endpoint = good.clone();
        endpoint[3 + 20 + 1 + 8 + 8 + 20] = 7;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(endpoint), "endpoint of 7 bytes");
        byte[] event = good.clone();
        event[3 + 20] = 9;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(event), "event");
    }
}
