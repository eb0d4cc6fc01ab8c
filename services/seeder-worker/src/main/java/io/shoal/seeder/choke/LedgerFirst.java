package io.shoal.seeder.choke;

import java.util.Comparator;
import java.util.List;

/**
 * BitSwap's strategy for a seeder ({@code SHOAL_SEEDER_CHOKING_POLICY=ledger}): the slots go to the peers with
 * the lowest debt ratio r = served / (given + 1), where "given" is what a peer passed on of what it got (a seeder
 * takes nothing back, so a peer repays it by feeding the swarm; see {@code PeerLedger#givenBytes}). BitSwap sends
 * to a peer with probability 1 - 1 / (1 + e^(6 - 3r)), which falls as r grows; with a fixed number of slots that
 * preference is this order, and a seeder refuses nobody while a slot is free (it has nothing to lose by serving).
 * A peer we have not served yet has r = 0 and comes first, as a fresh BitSwap ledger does; equal ratios go to the
 * fastest, then to those already unchoked, then to the one waiting longest.
 */
public final class LedgerFirst implements ChokingPolicy {

    /** A candidate's standing, read once: its counters move while the round sorts. */
    private record Standing(ChokeCandidate peer, double debtRatio, long servedThisRound, boolean unchoked, long since) {
        Standing(ChokeCandidate peer) {
            this(peer, peer.debtRatio(), peer.servedThisRound(), peer.unchoked(), peer.stateSince());
        }
    }

    private static final Comparator<Standing> ORDER = Comparator.comparingDouble(Standing::debtRatio)
            .thenComparing(Comparator.comparingLong(Standing::servedThisRound).reversed())
            .thenComparing(s -> !s.unchoked())
            .thenComparingLong(Standing::since);

    @Override
    public List<ChokeCandidate> choose(List<ChokeCandidate> interested, int slots) {
        return interested.stream().map(Standing::new).sorted(ORDER).limit(slots).map(Standing::peer).toList();
    }
}
