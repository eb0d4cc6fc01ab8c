package io.shoal.seeder.choke;

/** What a choking policy knows of a peer. */
public interface ChokeCandidate {

    /** Whether we let it download from us now. */
    boolean unchoked();

    /** Bytes it downloaded from us since the last round: its download rate from us. */
    long servedThisRound();

    /** When it was last unchoked (if {@link #unchoked()}) or last choked (if not), in nanos. */
    long stateSince();

    /**
     * BitSwap's debt ratio as a seeder keeps it: what we served the peer over what it passed on to the swarm
     * (see {@code PeerLedger#debtRatio}); 0 for a peer we have served nothing.
     */
    double debtRatio();
}
