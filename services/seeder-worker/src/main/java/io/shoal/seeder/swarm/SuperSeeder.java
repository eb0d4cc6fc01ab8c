package io.shoal.seeder.swarm;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * BEP 16 super-seeding for one torrent: the seed claims no pieces, then tells each peer of one or two pieces
 * at a time, the ones fewest peers have and nobody else was offered, so each piece leaves the seed about
 * once and the peers trade the rest among themselves. A peer is offered the next piece when it announces
 * it has one it was offered. Not thread-safe: the swarm calls it under its lock.
 *
 * @param <P> a peer (its identity is the key)
 */
public final class SuperSeeder<P> {

    /** Pieces a peer may hold offers for at once: one to download while it asks for the next. */
    static final int OFFERS_PER_PEER = 2;

    private final int pieceCount;
    private final int[] availability;
    private final int[] offeredTo;
    private final Map<P, BitSet> has = new HashMap<>();
    private final Map<P, Set<Integer>> offers = new HashMap<>();
    private final RandomGenerator random;

    public SuperSeeder(int pieceCount, RandomGenerator random) {
        this.pieceCount = pieceCount;
        this.availability = new int[pieceCount];
        this.offeredTo = new int[pieceCount];
        this.random = random;
    }

    public void join(P peer) {
        has.putIfAbsent(peer, new BitSet(pieceCount));
        offers.putIfAbsent(peer, new HashSet<>());
    }

    /** Forgets a peer: what it had no longer counts, and what it was offered may go to others. */
    public void leave(P peer) {
        BitSet pieces = has.remove(peer);
        if (pieces != null) {
            pieces.stream().forEach(p -> availability[p]--);
        }
        Set<Integer> offered = offers.remove(peer);
        if (offered != null) {
            offered.forEach(p -> offeredTo[p]--);
        }
    }

    /** A piece the peer says it has (BEP 3 have, or a bitfield / have-all piece by piece). */
    public void has(P peer, int piece) {
        BitSet pieces = has.get(peer);
        if (pieces == null || pieces.get(piece)) {
            return;
        }
        pieces.set(piece);
        availability[piece]++;
        Set<Integer> offered = offers.get(peer);
        if (offered.remove(piece)) {
            offeredTo[piece]--;
        }
    }

    /** Whether the peer was offered this piece, the only pieces it may ask us for. */
    public boolean offered(P peer, int piece) {
        Set<Integer> offered = offers.get(peer);
        return offered != null && offered.contains(piece);
    }

    /**
     * The next piece to tell this peer about, if it has room for another offer: the piece it lacks that was
     * offered to the fewest peers, then held by the fewest, ties broken at random.
     */
    public OptionalInt nextOffer(P peer) {
        BitSet pieces = has.get(peer);
        Set<Integer> offered = offers.get(peer);
        if (pieces == null || offered.size() >= OFFERS_PER_PEER) {
            return OptionalInt.empty();
        }
        int best = -1;
        long bestScore = Long.MAX_VALUE;
        int ties = 0;
        int start = random.nextInt(Math.max(1, pieceCount));
        for (int k = 0; k < pieceCount; k++) {
            int p = (start + k) % pieceCount;
            if (pieces.get(p) || offered.contains(p)) {
                continue;
            }
            long score = ((long) offeredTo[p] << 32) | availability[p];
            if (score < bestScore) {
                best = p;
                bestScore = score;
                ties = 1;
            } else if (score == bestScore && random.nextInt(++ties) == 0) {
                best = p;
            }
        }
        if (best < 0) {
            return OptionalInt.empty();
        }
        offered.add(best);
        offeredTo[best]++;
        return OptionalInt.of(best);
    }
}
