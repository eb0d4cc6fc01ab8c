package io.shoal.seeder.choke;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * BEP 3's choking for one torrent: every round the policy picks the regular unchokes among the interested
 * peers; every third round (30 s) the optimistic unchoke moves to a random choked, interested peer, so a
 * newcomer gets a chance to show its rate. Not thread-safe: the swarm calls it under its lock.
 */
public final class Choker {

    private final ChokingPolicy policy;
    private final int slots;
    private final int optimisticEvery;
    private final RandomGenerator random;
    private ChokeCandidate optimistic;
    private int round;

    public Choker(ChokingPolicy policy, int slots, int optimisticEvery, RandomGenerator random) {
        if (slots < 1) {
            throw new IllegalArgumentException("upload slots: " + slots + " (expected: >= 1)");
        }
        this.policy = policy;
        this.slots = slots;
        this.optimisticEvery = Math.max(1, optimisticEvery);
        this.random = random;
    }

    /** Whether a peer that just became interested may be unchoked at once, without waiting for the round. */
    public boolean freeSlot(java.util.Collection<? extends ChokeCandidate> peers) {
        long unchoked = peers.stream().filter(ChokeCandidate::unchoked).filter(p -> p != optimistic).count();
        return unchoked < slots;
    }

    /** One round: the peers to have unchoked from now on (the rest are choked). */
    public Set<ChokeCandidate> round(List<? extends ChokeCandidate> interested) {
        List<ChokeCandidate> all = new ArrayList<>(interested);
        if (optimistic != null && !all.contains(optimistic)) {
            optimistic = null;
        }
        boolean rotate = round++ % optimisticEvery == 0 || optimistic == null;
        List<ChokeCandidate> regularPool = new ArrayList<>(all);
        if (!rotate && optimistic != null) {
            regularPool.remove(optimistic);
        }
        Set<ChokeCandidate> unchoke = new HashSet<>(policy.choose(regularPool, slots));
        if (rotate) {
            List<ChokeCandidate> choked = all.stream().filter(c -> !unchoke.contains(c)).toList();
            optimistic = choked.isEmpty() ? null : choked.get(random.nextInt(choked.size()));
        }
        if (optimistic != null) {
            unchoke.add(optimistic);
        }
        return unchoke;
    }
}
