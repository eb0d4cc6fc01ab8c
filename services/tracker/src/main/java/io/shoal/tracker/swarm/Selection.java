package io.shoal.tracker.swarm;

/**
 * What an asking client gets: how many peers at most, of which address family, and whether peers of its
 * own rack or subnet come first, and then how many from other racks at most.
 */
public record Selection(int count, AddressFamily family, boolean sameRackFirst, int otherRacks) {

    public Selection {
        if (count < 0 || otherRacks < 0) {
            throw new IllegalArgumentException("count: " + count + ", otherRacks: " + otherRacks + " (expected: >= 0)");
        }
    }

    /** Without the topology hint: any peers. */
    public Selection(int count, AddressFamily family) {
        this(count, family, false, Integer.MAX_VALUE);
    }
}
