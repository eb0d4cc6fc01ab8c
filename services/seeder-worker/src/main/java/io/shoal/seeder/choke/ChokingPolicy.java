package io.shoal.seeder.choke;

import java.util.List;

/**
 * Who gets a torrent's regular upload slots in the next round (BEP 3: recomputed every 10 s; the optimistic
 * unchoke is chosen apart from the policy, by {@link Choker}). Only peers interested in our pieces compete.
 */
public interface ChokingPolicy {

    /** @return at most {@code slots} of {@code interested}, the ones to unchoke */
    List<ChokeCandidate> choose(List<ChokeCandidate> interested, int slots);

    /** By name, as configured: {@code round-robin}, {@code fastest-download-first} or {@code ledger}. */
    static ChokingPolicy named(String name) {
        return switch (name) {
            case "round-robin" -> new RoundRobin();
            case "fastest-download-first" -> new FastestDownloadFirst();
            case "ledger" -> new LedgerFirst();
            default -> throw new IllegalArgumentException("choking policy '" + name
                    + "' (expected: round-robin, fastest-download-first or ledger)");
        };
    }
}
