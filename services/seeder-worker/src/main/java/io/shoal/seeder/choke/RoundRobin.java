package io.shoal.seeder.choke;

import java.util.Comparator;
import java.util.List;

/**
 * Every interested peer gets its turn: those choked longest come in, those unchoked longest go out. With
 * no more interested peers than slots nobody is ever choked.
 */
public final class RoundRobin implements ChokingPolicy {

    @Override
    public List<ChokeCandidate> choose(List<ChokeCandidate> interested, int slots) {
        if (interested.size() <= slots) {
            return List.copyOf(interested);
        }
        // waiting peers first, longest waiting first; then the unchoked, most recently unchoked first
        Comparator<ChokeCandidate> turn = Comparator.comparing(ChokeCandidate::unchoked)
                .thenComparingLong(c -> c.unchoked() ? -c.stateSince() : c.stateSince());
        return interested.stream().sorted(turn).limit(slots).toList();
    }
}
