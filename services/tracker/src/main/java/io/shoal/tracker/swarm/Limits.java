package io.shoal.tracker.swarm;

/**
 * How many peers the tracker holds: in all, in one swarm, and at one address across all swarms (a trusted
 * address, such as a seeder-worker's or a proxy's, is not counted against its address).
 */
public record Limits(long peers, int perSwarm, int perAddress) {

    public Limits {
        if (peers < 1 || perSwarm < 1 || perAddress < 1) {
            throw new IllegalArgumentException("peer limits " + peers + ", " + perSwarm + ", " + perAddress + " (expected: >= 1)");
        }
    }

    /** Only the tracker-wide limit. */
    public static Limits of(long peers) {
        return new Limits(peers, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
}
