package io.shoal.seeder.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.RoundRobin;
import io.shoal.seeder.torrent.TestTorrents;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ledger keeps connected peers, forgets peers gone past the retention, and never grows past its cap. */
class LedgerTest {

    private static Swarm swarm() throws Exception {
        return new Swarm(TestTorrents.make(TorrentFormat.V1, 16 * 1024, 1, 40_000).torrent(),
                new Choker(new RoundRobin(), 4, 3, new Random(1)), false, new Random(1));
    }

    @Test
    void aPeerGoneLongerThanTheRetentionIsForgottenAConnectedOneIsNot() throws Exception {
        Swarm swarm = swarm();
        PeerLedger stays = swarm.account("connected", "10.0.0.1:6881");
        PeerLedger goes = swarm.account("gone", "10.0.0.2:6881");
        PeerLedger back = swarm.account("back", "10.0.0.3:6881");
        goes.served(100);
        swarm.release(goes);
        swarm.release(back);
        assertEquals(back, swarm.account("back", "10.0.0.3:6882"), "a peer that comes back keeps its account");
        swarm.forgetGone(Duration.ofHours(1));
        assertEquals(3, swarm.ledger().size(), "nobody gone for an hour yet");
        Thread.sleep(5);
        swarm.forgetGone(Duration.ofMillis(1));
        assertEquals(Set.of(stays, back), Set.copyOf(swarm.ledger()));
    }

    @Test
    void peerIdsAloneCannotGrowTheLedgerPastItsCap() throws Exception {
        Swarm swarm = swarm();
        PeerLedger connected = swarm.account("connected", "10.0.0.1:6881");
        for (int i = 0; i < Swarm.MAX_LEDGER + 100; i++) {
            swarm.release(swarm.account("id-" + i, "10.0.0.2:6881"));
        }
        swarm.forgetGone(Duration.ofHours(1));
        assertEquals(Swarm.MAX_LEDGER, swarm.ledger().size());
        assertTrue(swarm.ledger().contains(connected), "a connected peer is never dropped");
        assertTrue(swarm.ledger().stream().noneMatch(a -> a.peerId().equals("id-0")), "the longest gone go first");
    }
}
