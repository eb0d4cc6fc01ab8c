package io.shoal.tracker.swarm;

/**
 * What an asking client gets: how many peers at most, of which address family, and whether they are chosen by
 * rack (its own rack or subnet, then at most {@code otherRacks} from elsewhere).
 */
public record Selection(int count, AddressFamily family, boolean byRack, int otherRacks) {

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
