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

/**
 * The ledger keeps connected peers, forgets peers gone past the retention, and never grows past its cap; it credits
 * a peer with the copies of our pieces that reached others by it, and with its reported share ratio.
 */
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

    @Test
    void aPieceAnnouncedByAPeerThatDidNotGetItFromUsCreditsThePeerWeServedItToFirst() throws Exception {
        Swarm swarm = swarm(); // 40,000 bytes in pieces of 16 KiB: 16384, 16384, 7232
        PeerLedger a = swarm.account("a", "10.0.0.1:6881");
        PeerLedger b = swarm.account("b", "10.0.0.2:6881");
        PeerLedger c = swarm.account("c", "10.0.0.3:6881");
        swarm.served(a, 0, 16384);
        swarm.served(b, 0, 16384); // a second copy: a keeps the first
        swarm.served(b, 2, 7232);
        swarm.passedOn(c, 0);
        swarm.passedOn(a, 0); // its own copy credits nobody
        swarm.passedOn(c, 1); // nobody got piece 1 from us
        swarm.passedOn(a, 2);
        assertEquals(16384, a.passedOnBytes());
        assertEquals(7232, b.passedOnBytes());
        assertEquals(0, c.passedOnBytes());
        assertEquals(16384, a.givenBytes());
        assertEquals(16384.0 / 16385, a.debtRatio(), 1e-12);
        assertEquals(23616.0 / 7233, b.debtRatio(), 1e-12);
        assertEquals(0.0, c.debtRatio(), "a peer served nothing owes nothing");
    }

    @Test
    void oncePeerServedAPieceFirstHasLeftTheNextPeerServedItTakesTheCredit() throws Exception {
        Swarm swarm = swarm();
        PeerLedger early = swarm.account("early", "10.0.0.1:6881");
        swarm.served(early, 0, 16384);
        swarm.release(early); // the swarm outlives it
        PeerLedger late = swarm.account("late", "10.0.0.2:6881");
        swarm.served(late, 0, 16384);
        swarm.passedOn(swarm.account("other", "10.0.0.3:6881"), 0);
        assertEquals(0, early.passedOnBytes());
        assertEquals(16384, late.passedOnBytes());
        PeerLedger third = swarm.account("third", "10.0.0.4:6881");
        swarm.served(third, 0, 16384); // late is still here: it keeps the piece
        swarm.passedOn(swarm.account("fourth", "10.0.0.5:6881"), 0);
        assertEquals(2 * 16384, late.passedOnBytes());
        assertEquals(0, third.passedOnBytes());
    }

    @Test
    void aReportedShareRatioCountsUpToWhatWeServedAndAnOlderReportChangesNothing() throws Exception {
        Swarm swarm = swarm();
        PeerLedger a = swarm.account("a", "10.0.0.1:50123");
        swarm.listensAt(a, new java.net.InetSocketAddress("10.0.0.1", 6881));
        swarm.served(a, 0, 16384);
        swarm.served(a, 1, 16384);
        swarm.reported("10.0.0.1:6882", 500, 1000, 2_000); // another host at that address
        assertEquals(0, a.givenBytes());
        swarm.reported("10.0.0.1:6881", 500, 1000, 2_000); // shares half of what it downloads
        assertEquals(16384, a.givenBytes());
        assertEquals(32768.0 / 16385, a.debtRatio(), 1e-12);
        swarm.reported("10.0.0.1:6881", 0, 1000, 1_000); // late, from another replica
        assertEquals(500, a.reportedUploaded());
        swarm.reported("10.0.0.1:6881", 9_000, 1000, 3_000); // uploads nine times what it took: counts as all we served, no more
        assertEquals(32768, a.givenBytes());
        swarm.passedOn(swarm.account("b", "10.0.0.2:6881"), 0);
        swarm.passedOn(swarm.account("c", "10.0.0.3:6881"), 0);
        swarm.passedOn(swarm.account("d", "10.0.0.4:6881"), 1);
        assertEquals(3 * 16384, a.givenBytes(), "what we saw it pass on counts in full");
        swarm.listensAt(a, new java.net.InetSocketAddress("10.0.0.1", 7000)); // it said so again, elsewhere
        swarm.reported("10.0.0.1:6881", 0, 1000, 5_000);
        assertEquals(9_000, a.reportedUploaded(), "the old endpoint is not its any more");
        swarm.reported("10.0.0.1:7000", 1, 1000, 5_000);
        assertEquals(1, a.reportedUploaded());
        swarm.listensAt(a, new java.net.InetSocketAddress("::1", 6881));
        assertEquals("[0:0:0:0:0:0:0:1]:6881", a.listenEndpoint(), "as the tracker writes it");
    }
}
