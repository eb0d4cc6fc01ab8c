package io.shoal.seeder.choke;

import java.util.Comparator;
import java.util.List;

/**
 * BEP 3's rule for a seed: the peers that download fastest from us keep the slots, so uploads go where they
 * are used best. Ties (no bytes yet) go to the peers already unchoked, then to the one waiting longest.
 */
public final class FastestDownloadFirst implements ChokingPolicy {

    @Override
    public List<ChokeCandidate> choose(List<ChokeCandidate> interested, int slots) {
        return interested.stream()
                .sorted(Comparator.comparingLong(ChokeCandidate::servedThisRound).reversed()
                        .thenComparing(c -> !c.unchoked())
                        .thenComparingLong(ChokeCandidate::stateSince))
                .limit(slots)
                .toList();
    }
}
