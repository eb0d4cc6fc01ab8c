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

    private static final InfoHash HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

    private static ReplicatedAnnounce sample(byte[] address, boolean trusted, long at) {
        return new ReplicatedAnnounce(HASH,
                new PeerUpdate(PeerId.random("-SH0100-"), PeerUpdate.endpoint(address, 51413), trusted, 1234, AnnounceEvent.COMPLETED, at));
    }

    @Test
    void aBatchRoundTripsIpv4AndIpv6() {
        List<ReplicatedAnnounce> batch = List.of(sample(new byte[] {10, 0, 0, 1}, true, 77), sample(new byte[16], false, 78));
        List<ReplicatedAnnounce> read = ReplicatedAnnounce.decodeBatch(ReplicatedAnnounce.encodeBatch(batch));
        assertEquals(2, read.size());
        for (int i = 0; i < 2; i++) {
            ReplicatedAnnounce a = batch.get(i);
            ReplicatedAnnounce b = read.get(i);
            assertEquals(a.infoHash(), b.infoHash());
            assertEquals(a.update().peerId(), b.update().peerId());
            assertArrayEquals(a.update().endpoint(), b.update().endpoint());
            assertEquals(a.update().trusted(), b.update().trusted());
            assertEquals(a.update().left(), b.update().left());
            assertEquals(a.update().event(), b.update().event());
            assertEquals(a.update().atMillis(), b.update().atMillis());
        }
    }

    @Test
    void malformedRecordsAreRefusedWhole() {
        byte[] good = ReplicatedAnnounce.encodeBatch(List.of(sample(new byte[] {10, 0, 0, 1}, false, 1)));
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
        endpoint[3 + 20 + 1 + 1 + 8 + 8 + 20] = 7;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(endpoint), "endpoint of 7 bytes");
        byte[] event = good.clone();
        event[3 + 20] = 9;
        assertThrows(IllegalArgumentException.class, () -> ReplicatedAnnounce.decodeBatch(event), "event");
    }

    @Test
    void aVersion2BatchFromAReplicaNotYetUpgradedIsRead() {
        PeerId peer = PeerId.random("-SH0100-");
        byte[] key = "abcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer v2 = java.nio.ByteBuffer.allocate(3 + 20 + 1 + 8 + 8 + 20 + 1 + 6 + 1 + key.length);
        v2.put((byte) 2).putShort((short) 1).put(HASH.bytes()).put((byte) AnnounceEvent.STARTED.udpCode()).putLong(5).putLong(42)
                .put(peer.bytes()).put((byte) 6).put(PeerUpdate.endpoint(new byte[] {10, 0, 0, 7}, 6881)).put((byte) key.length).put(key);
        ReplicatedAnnounce read = ReplicatedAnnounce.decodeBatch(v2.array()).getFirst();
        assertEquals(peer, read.update().peerId());
        assertArrayEquals(PeerUpdate.endpoint(new byte[] {10, 0, 0, 7}, 6881), read.update().endpoint());
        assertEquals(42, read.update().atMillis());
        assertEquals(false, read.update().trusted(), "version 2 did not say");
    }
}
