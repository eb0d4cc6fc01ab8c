package io.shoal.tracker.swarm;

/**
 * What an asking client gets: how many peers at most, of which address family, and whether peers of its
 * own rack or subnet come first.
 */
public record Selection(int count, AddressFamily family, boolean sameRackFirst) {

    public Selection {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
    }
}
