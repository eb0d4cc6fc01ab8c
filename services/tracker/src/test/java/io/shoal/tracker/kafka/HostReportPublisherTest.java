package io.shoal.tracker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.events.HostReportsEvent;
import io.shoal.tracker.swarm.PeerUpdate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostReportPublisherTest {

    private static final InfoHash A = InfoHash.fromHex("aa".repeat(20));
    private static final InfoHash B = InfoHash.fromHex("bb".repeat(20));

    private static HostReportPublisher.Pending announce(InfoHash swarm, int host, long left, AnnounceEvent event, long at) {
        byte[] peerId = new byte[20];
        peerId[19] = (byte) host;
        return new HostReportPublisher.Pending(swarm, PeerUpdate.endpoint(new byte[] {10, 0, 0, (byte) host}, 6881), PeerId.of(peerId),
                100L * host, 1000 - left, left, event, at);
    }

    @Test
    void eachHostsLatestAnnouncePerSwarmWhateverTheOrderTheyArrived() {
        List<HostReportsEvent> events = HostReportPublisher.events("r1", List.of(
                announce(A, 1, 1000, AnnounceEvent.STARTED, 10),
                announce(A, 1, 0, AnnounceEvent.COMPLETED, 30),
                announce(A, 1, 400, AnnounceEvent.NONE, 20),
                announce(A, 2, 700, AnnounceEvent.NONE, 15),
                announce(B, 1, 5, AnnounceEvent.STOPPED, 40)), 99);
        assertEquals(2, events.size());
        HostReportsEvent a = events.getFirst();
        assertEquals("aa".repeat(20), a.swarmKey());
        assertEquals("r1", a.replica());
        assertEquals(99, a.atMillis());
        HostReportsEvent.HostReport one = a.hosts().stream().filter(h -> h.endpoint().equals("10.0.0.1:6881")).findFirst().orElseThrow();
        assertEquals(new HostReportsEvent.HostReport("10.0.0.1:6881", "00".repeat(19) + "01", 100, 1000, 0, "completed", 30), one);
        assertEquals(2, a.hosts().size());
        assertEquals("stopped", events.get(1).hosts().getFirst().event());
    }

    @Test
    void whatWaitsIsEachHostsLatestAnnounceBoundedByHostsNotAnnounces() {
        HostReportPublisher.Latest latest = new HostReportPublisher.Latest(2);
        for (int round = 0; round < 1000; round++) { // two hosts re-announcing a thousand times keep two entries
            assertEquals(true, latest.put(announce(A, 1, 1000 - round, AnnounceEvent.NONE, round)));
            assertEquals(true, latest.put(announce(A, 2, 1000 - round, AnnounceEvent.NONE, round)));
        }
        assertEquals(false, latest.put(announce(B, 1, 5, AnnounceEvent.STARTED, 1)), "a third host is beyond the capacity");
        List<HostReportPublisher.Pending> taken = latest.take();
        assertEquals(2, taken.size());
        assertEquals(List.of(999L, 999L), taken.stream().map(HostReportPublisher.Pending::atMillis).toList());
        assertEquals(List.of(), latest.take(), "taken once");
        assertEquals(true, latest.put(announce(B, 1, 5, AnnounceEvent.STARTED, 1)), "room again after a send");
    }

    @Test
    void aSwarmWithMoreHostsThanARecordHoldsTakesSeveralRecords() {
        List<HostReportPublisher.Pending> many = new ArrayList<>();
        for (int i = 0; i < HostReportsEvent.MAX_HOSTS + 10; i++) {
            many.add(new HostReportPublisher.Pending(A, PeerUpdate.endpoint(new byte[] {10, 1, (byte) (i >> 8), (byte) i}, 1000 + (i >> 16)),
                    PeerId.of(new byte[20]), 0, 0, 1, AnnounceEvent.NONE, i));
        }
        List<HostReportsEvent> events = HostReportPublisher.events("r1", many, 0);
        assertEquals(List.of(HostReportsEvent.MAX_HOSTS, 10), events.stream().map(e -> e.hosts().size()).toList());
    }

    @Test
    void endpointsAreWrittenAsClientsWriteThem() {
        assertEquals("192.168.1.2:51413", HostReportPublisher.endpoint(PeerUpdate.endpoint(new byte[] {(byte) 192, (byte) 168, 1, 2}, 51413)));
        byte[] v6 = new byte[16];
        v6[0] = (byte) 0xfd;
        v6[15] = 1;
        assertEquals("[fd00:0:0:0:0:0:0:1]:6881", HostReportPublisher.endpoint(PeerUpdate.endpoint(v6, 6881)));
    }
}
