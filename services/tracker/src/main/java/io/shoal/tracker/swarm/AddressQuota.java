package io.shoal.tracker.swarm;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Peers per address across all swarms, so one host cannot fill the tracker's table. Counted in a fixed table
 * of counters indexed by a keyed hash of the address, not in a map: 4 bytes a slot whatever the number of
 * addresses, and nothing allocated per announce. Two addresses sharing a slot share its count, which only
 * ever makes the cap stricter; with a slot per peer the tracker may hold, a host shares its slot with one
 * other on average, and the hash's secret seed keeps anyone from choosing addresses that collide with a
 * victim's.
 */
final class AddressQuota {

    private static final int MIN_SLOTS = 1 << 10;
    private static final int MAX_SLOTS = 1 << 22;

    private final AtomicIntegerArray counts;
    private final int mask;
    private final long seed = new SecureRandom().nextLong();
    private final int limit;

    /** @param expectedPeers the tracker's peer limit: one slot each, between 1,024 and 4,194,304 slots */
    AddressQuota(int limit, long expectedPeers) {
        this.limit = limit;
        int slots = (int) Math.min(MAX_SLOTS, Math.max(MIN_SLOTS, Long.highestOneBit(Math.max(1, expectedPeers - 1)) << 1));
        this.counts = new AtomicIntegerArray(slots);
        this.mask = slots - 1;
    }

    /** Counts one more peer at the address; false (and nothing counted) when it already has its limit. */
    boolean tryAcquire(long address) {
        int slot = slot(address);
        while (true) {
            int count = counts.get(slot);
            if (count >= limit) {
                return false;
            }
            if (counts.compareAndSet(slot, count, count + 1)) {
                return true;
            }
        }
    }

    void release(long address) {
        counts.decrementAndGet(slot(address));
    }

    int count(long address) {
        return counts.get(slot(address));
    }

    /** Table bytes, for the memory benchmark's accounting. */
    long bytes() {
        return 4L * counts.length();
    }

    private int slot(long address) {
        return (int) Swarm.mix(address ^ seed) & mask;
    }
}
