package io.shoal.seeder.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WireSettingsTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void withoutAnUploadCapPeersMayQueueAsManyRequestsAsLibtorrentAllows() {
        assertEquals(2000, WireSettings.requestQueueFor(0, 8));
    }

    @Test
    void underACapAPeerQueuesWhatItsShareOfTheCapSendsInTwoSeconds() {
        // 20 MiB/s over 8 slots and the optimistic unchoke: 2.2 MiB/s a peer, 4.4 MiB in two seconds
        assertEquals(284, WireSettings.requestQueueFor(20 * MIB, 8));
        assertEquals(1280, WireSettings.requestQueueFor(20 * MIB, 1));
    }

    @Test
    void theQueueStaysWithinItsBoundsForAnyCap() {
        assertEquals(64, WireSettings.requestQueueFor(100 * 1024, 8), "a tiny cap still lets a peer pipeline");
        assertEquals(2000, WireSettings.requestQueueFor(10_000 * MIB, 8), "a cap beyond any link: as without one");
        assertEquals(2000, WireSettings.requestQueueFor(Long.MAX_VALUE, 0), "no overflow");
    }
}
