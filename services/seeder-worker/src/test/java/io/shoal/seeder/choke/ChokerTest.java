package io.shoal.seeder.choke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChokerTest {

    static final class Candidate implements ChokeCandidate {
        boolean unchoked;
        long served;
        long since;
        double debtRatio;

        Candidate(long served, long since) {
            this.served = served;
            this.since = since;
        }

        public boolean unchoked() {
            return unchoked;
        }

        public long servedThisRound() {
            return served;
        }

        public long stateSince() {
            return since;
        }

        public double debtRatio() {
            return debtRatio;
        }
    }

    private static List<Candidate> peers(int n) {
        List<Candidate> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new Candidate(i * 1000L, i));
        }
        return peers;
    }

    private static void apply(List<Candidate> peers, Set<ChokeCandidate> unchoke, long now) {
        for (Candidate c : peers) {
            boolean want = unchoke.contains(c);
            if (want != c.unchoked) {
                c.unchoked = want;
                c.since = now;
            }
        }
    }

    @Test
    void fastestDownloadFirstKeepsTheFastestAndOneOptimisticUnchokeBesides() {
        List<Candidate> peers = peers(10);
        Choker choker = new Choker(new FastestDownloadFirst(), 3, 3, new Random(1));
        Set<ChokeCandidate> unchoke = choker.round(peers);
        assertEquals(4, unchoke.size(), "three slots and the optimistic unchoke");
        assertTrue(unchoke.containsAll(peers.subList(7, 10)), "the three fastest");
    }

    @Test
    void theOptimisticUnchokeStaysThreeRoundsThenMoves() {
        List<Candidate> peers = peers(20);
        Choker choker = new Choker(new FastestDownloadFirst(), 2, 3, new Random(2));
        Set<ChokeCandidate> seen = new HashSet<>();
        ChokeCandidate previous = null;
        int changes = 0;
        for (int round = 0; round < 30; round++) {
            Set<ChokeCandidate> unchoke = new HashSet<>(choker.round(peers));
            unchoke.removeAll(peers.subList(18, 20));
            assertEquals(1, unchoke.size());
            ChokeCandidate optimistic = unchoke.iterator().next();
            if (round % 3 != 0) {
                assertEquals(previous, optimistic, "round " + round + " keeps it");
            } else if (previous != null && previous != optimistic) {
                changes++;
            }
            seen.add(optimistic);
            previous = optimistic;
        }
        assertTrue(changes >= 5 && seen.size() >= 5, "it rotates among the choked peers");
    }

    @Test
    void roundRobinGivesEveryInterestedPeerItsTurn() {
        List<Candidate> peers = peers(6);
        ChokingPolicy policy = new RoundRobin();
        Set<Candidate> served = new HashSet<>();
        for (int round = 1; round <= 3; round++) {
            Set<ChokeCandidate> unchoke = new HashSet<>(policy.choose(new ArrayList<>(peers), 2));
            assertEquals(2, unchoke.size());
            apply(peers, unchoke, 100 + round);
            peers.stream().filter(c -> c.unchoked).forEach(served::add);
        }
        assertEquals(6, served.size(), "six peers, two slots, three rounds: everyone had a turn");
        assertEquals(3, new RoundRobin().choose(new ArrayList<>(peers(3)), 5).size(), "fewer peers than slots: all");
    }

    @Test
    void aFreeSlotIsGivenAtOnceAndPoliciesAreNamed() {
        List<Candidate> peers = peers(3);
        Choker choker = new Choker(new RoundRobin(), 2, 3, new Random(3));
        assertTrue(choker.freeSlot(peers));
        peers.get(0).unchoked = true;
        peers.get(1).unchoked = true;
        assertFalse(choker.freeSlot(peers));
        assertTrue(ChokingPolicy.named("round-robin") instanceof RoundRobin);
        assertTrue(ChokingPolicy.named("fastest-download-first") instanceof FastestDownloadFirst);
        assertTrue(ChokingPolicy.named("ledger") instanceof LedgerFirst);
        assertThrows(IllegalArgumentException.class, () -> ChokingPolicy.named("tit-for-tat-ish"));
        assertThrows(IllegalArgumentException.class, () -> new Choker(new RoundRobin(), 0, 3, new Random()));
    }

    @Test
    void theLedgerPolicyPrefersPeersThatPassOnWhatTheyGotThenTheFastest() {
        List<Candidate> peers = peers(6); // served this round 0, 1000, ..., 5000
        double[] ratios = {0.0, 3.0, 0.5, 0.5, 40.0, 1.5};
        for (int i = 0; i < peers.size(); i++) {
            peers.get(i).debtRatio = ratios[i];
        }
        List<ChokeCandidate> chosen = new LedgerFirst().choose(new ArrayList<>(peers), 4);
        assertEquals(List.of(peers.get(0), peers.get(3), peers.get(2), peers.get(5)), chosen,
                "a peer not served yet first, then the lowest debt ratio (equal ones: the faster), the debtors last");
        assertEquals(Set.copyOf(peers), Set.copyOf(new LedgerFirst().choose(new ArrayList<>(peers), 10)),
                "with a slot free for everyone nobody is refused, whatever it owes");
    }
}
