package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.tracker.swarm.Announced.Outcome;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One torrent's peers (BEP 3), packed in parallel arrays indexed by slot: no object per peer. A peer is its
 * endpoint (address and port, as opentracker keys it): one process listens there, so a new peer id at an
 * endpoint is that client restarted and takes the entry over, and nobody can speak for an endpoint it does
 * not announce from. Seeders fill slots {@code [0, seeders)} and leechers {@code [seeders, size)}, so a seeder
 * is handed leechers first and a random sample costs O(wanted), not O(swarm). An open-addressing table maps
 * endpoints to slots. Every method holds the swarm's lock; an announce touches one swarm only.
 */
final class Swarm {

    private static final int ID = PeerId.LENGTH;
    private static final int V6 = 18;
    private static final int FIRST_CAPACITY = 4;
    /** Its {@code completed} event was counted toward the swarm's downloads. */
    private static final byte COUNTED = 1;
    /** Announced from a trusted address: not counted against its address's quota. */
    private static final byte EXEMPT = 2;
    private static final long SEED = new SecureRandom().nextLong();

    private final AtomicLong trackerPeers;
    private final Limits limits;
    private final AddressQuota quota;
    private final boolean keepRacks;

    private int size;
    private int seeders;
    /** The endpoint as one number: an IPv4 one exactly (48 bits), an IPv6 one by a hash, negative. */
    private long[] keys = new long[0];
    private long[] lastSeen = new long[0];
    private byte[] ids = new byte[0];
    private byte[] flags = new byte[0];
    /** Rack numbers ({@link Topology#rackOf}), only when the topology hint is on. */
    private long[] racks;
    /** IPv6 endpoints, 18 bytes a slot, only once an IPv6 peer joined. */
    private byte[] v6;
    /** Slot + 1 by endpoint key, 0 for empty; linear probing, at most about half full. */
    private int[] index = new int[0];
    private long downloaded;
    /** Set once the swarm left the tracker's map: an announce that still reached it must find the new one. */
    private boolean retired;
    /** What the last {@link #update} did; read under the same lock right after it. */
    private Outcome outcome;

    /** @param trackerPeers peers across all swarms, shared so one limit holds for the whole tracker */
    Swarm(AtomicLong trackerPeers, Limits limits, AddressQuota quota, boolean keepRacks) {
        this.trackerPeers = trackerPeers;
        this.limits = limits;
        this.quota = quota;
        this.keepRacks = keepRacks;
    }

    /** Records the update and picks peers for its sender (none when it stopped or was refused); null once retired. */
    synchronized Announced announce(PeerUpdate update, long rack, Selection selection) {
        if (retired) {
            return null;
        }
        int slot = update(update, rack);
        Outcome change = outcome;
        if ((change != Outcome.ADDED && change != Outcome.UPDATED) || selection.count() == 0) {
            return Announced.without(change, seeders, size - seeders, downloaded);
        }
        int[] chosen = selection.byRack() ? selectByRack(slot, rack, selection) : select(slot, selection);
        return answer(change, chosen);
    }

    /** Peers for someone outside the swarm, any of them, nothing recorded; null once retired. */
    synchronized Announced sample(Selection selection) {
        if (retired) {
            return null;
        }
        int[] chosen = new int[Math.min(selection.count(), size)];
        int count = sample(-1, 0, size, chosen.length, selection.family(), chosen, 0);
        return answer(Outcome.IGNORED, count == chosen.length ? chosen : Arrays.copyOf(chosen, count));
    }

    /** An announce another replica received: recorded, nobody to answer; null once retired. */
    synchronized Outcome apply(PeerUpdate update, long rack) {
        if (retired) {
            return null;
        }
        update(update, rack);
        return outcome;
    }

    synchronized ScrapeStats stats() {
        return new ScrapeStats(seeders, downloaded, size - seeders);
    }

    /** Drops peers last seen before the cutoff; returns how many. */
    synchronized int expire(long cutoffMillis) {
        int removed = 0;
        // downwards: a removal moves a peer from a higher slot, one already looked at, into the hole
        for (int slot = size - 1; slot >= 0; slot--) {
            if (slot < size && lastSeen[slot] < cutoffMillis) {
                remove(slot);
                removed++;
            }
        }
        if (size < keys.length / 4 && keys.length > FIRST_CAPACITY) {
            resize(Math.max(FIRST_CAPACITY, size * 2));
        }
        return removed;
    }

    /** Drops every peer and takes no more: the torrent was retired, or an open tracker's swarm emptied. */
    synchronized void retire() {
        expire(Long.MAX_VALUE);
        retired = true;
    }

    /** Retires the swarm if it has no peers; returns whether it did. */
    synchronized boolean retireIfEmpty() {
        if (size == 0) {
            retired = true;
        }
        return retired;
    }

    // ---- the update -----------------------------------------------------------------------------------------

    /** Applies the update; sets {@link #outcome} and returns the peer's slot (-1 when it is not in the swarm). */
    private int update(PeerUpdate update, long rack) {
        byte[] endpoint = update.endpoint();
        long key = keyOf(endpoint);
        int slot = find(key, endpoint);
        if (slot >= 0 && update.atMillis() < lastSeen[slot]) {
            outcome = Outcome.IGNORED; // a replica's older news about a peer that announced since
            return slot;
        }
        if (update.event() == AnnounceEvent.STOPPED) {
            // the old session's late 'stopped' must not remove a restarted client's new one
            if (slot < 0 || !update.peerId().matches(ids, slot * ID)) {
                outcome = Outcome.IGNORED;
                return -1;
            }
            remove(slot);
            outcome = Outcome.REMOVED;
            return -1;
        }
        if (slot < 0) {
            Outcome refused = admit(endpoint, update.trusted());
            if (refused != null) {
                outcome = refused;
                return -1;
            }
            slot = add(key, endpoint, update.seeder());
            flags[slot] = update.trusted() ? EXEMPT : 0;
            update.peerId().copyTo(ids, slot * ID);
            outcome = Outcome.ADDED;
        } else {
            if (!update.peerId().matches(ids, slot * ID)) {
                update.peerId().copyTo(ids, slot * ID); // the client restarted: a new session, not yet completed
                flags[slot] &= ~COUNTED;
            }
            if ((slot < seeders) != update.seeder()) {
                slot = flip(slot);
            }
            outcome = Outcome.UPDATED;
        }
        lastSeen[slot] = update.atMillis();
        if (keepRacks) {
            racks[slot] = rack;
        }
        if (update.event() == AnnounceEvent.COMPLETED && (flags[slot] & COUNTED) == 0) {
            flags[slot] |= COUNTED;
            downloaded++;
        }
        return slot;
    }

    /** Takes a place for a new peer under the swarm's, its address's and the tracker's limits; null when admitted. */
    private Outcome admit(byte[] endpoint, boolean trusted) {
        if (size >= limits.perSwarm()) {
            return Outcome.SWARM_FULL;
        }
        long address = addressOf(endpoint);
        if (!trusted && !quota.tryAcquire(address)) {
            return Outcome.ADDRESS_FULL;
        }
        if (trackerPeers.incrementAndGet() > limits.peers()) {
            trackerPeers.decrementAndGet();
            if (!trusted) {
                quota.release(address);
            }
            return Outcome.FULL;
        }
        return null;
    }

    // ---- slots ----------------------------------------------------------------------------------------------

    /** A new peer in the last slot, then moved to the seeders' end when it seeds; returns its slot. */
    private int add(long key, byte[] endpoint, boolean seeder) {
        if (size == keys.length) {
            resize(Math.max(FIRST_CAPACITY, keys.length + (keys.length >> 1)));
        }
        int slot = size++;
        keys[slot] = key;
        if (key < 0) {
            if (v6 == null) {
                v6 = new byte[keys.length * V6];
            }
            System.arraycopy(endpoint, 0, v6, slot * V6, V6);
        }
        insert(slot);
        if (seeder) {
            swap(slot, seeders);
            slot = seeders++;
        }
        return slot;
    }

    private void remove(int slot) {
        if ((flags[slot] & EXEMPT) == 0) {
            quota.release(addressOf(slot));
        }
        trackerPeers.decrementAndGet();
        delete(position(slot));
        if (slot < seeders) {
            int lastSeeder = seeders - 1;
            move(lastSeeder, slot);
            slot = lastSeeder;
            seeders--;
        }
        move(size - 1, slot);
        size--;
    }

    /** Moves a peer across the seeder/leecher boundary; returns its new slot. */
    private int flip(int slot) {
        if (slot < seeders) {
            swap(slot, seeders - 1);
            return --seeders;
        }
        swap(slot, seeders);
        return seeders++;
    }

    /** Moves the peer in {@code from} into {@code to}, whose peer is already gone from the index. */
    private void move(int from, int to) {
        if (from == to) {
            return;
        }
        index[position(from)] = to + 1;
        copy(from, to);
    }

    private void swap(int a, int b) {
        if (a == b) {
            return;
        }
        int pa = position(a);
        int pb = position(b);
        long key = keys[a];
        keys[a] = keys[b];
        keys[b] = key;
        long seen = lastSeen[a];
        lastSeen[a] = lastSeen[b];
        lastSeen[b] = seen;
        byte flag = flags[a];
        flags[a] = flags[b];
        flags[b] = flag;
        if (keepRacks) {
            long rack = racks[a];
            racks[a] = racks[b];
            racks[b] = rack;
        }
        swapBytes(ids, a * ID, b * ID, ID);
        if (v6 != null) {
            swapBytes(v6, a * V6, b * V6, V6);
        }
        index[pa] = b + 1;
        index[pb] = a + 1;
    }

    /** Swaps in place: this runs on the announce path whenever a peer starts or stops seeding. */
    private static void swapBytes(byte[] bytes, int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            byte t = bytes[a + i];
            bytes[a + i] = bytes[b + i];
            bytes[b + i] = t;
        }
    }

    private void copy(int from, int to) {
        keys[to] = keys[from];
        lastSeen[to] = lastSeen[from];
        flags[to] = flags[from];
        if (keepRacks) {
            racks[to] = racks[from];
        }
        System.arraycopy(ids, from * ID, ids, to * ID, ID);
        if (keys[from] < 0) {
            System.arraycopy(v6, from * V6, v6, to * V6, V6);
        }
    }

    private void resize(int capacity) {
        keys = Arrays.copyOf(keys, capacity);
        lastSeen = Arrays.copyOf(lastSeen, capacity);
        flags = Arrays.copyOf(flags, capacity);
        ids = Arrays.copyOf(ids, capacity * ID);
        if (keepRacks) {
            racks = racks == null ? new long[capacity] : Arrays.copyOf(racks, capacity);
        }
        if (v6 != null) {
            v6 = Arrays.copyOf(v6, capacity * V6);
        }
        // a power of two at least 1.5 times the capacity: the table is at most two thirds full
        index = new int[Math.max(8, Integer.highestOneBit(capacity + (capacity >> 1) - 1) << 1)];
        for (int slot = 0; slot < size; slot++) {
            insert(slot);
        }
    }

    // ---- the endpoint index ---------------------------------------------------------------------------------

    private int find(long key, byte[] endpoint) {
        if (index.length == 0) {
            return -1;
        }
        int mask = index.length - 1;
        for (int i = home(key) & mask; ; i = (i + 1) & mask) {
            int entry = index[i];
            if (entry == 0) {
                return -1;
            }
            int slot = entry - 1;
            if (keys[slot] == key && (key >= 0 || Arrays.equals(v6, slot * V6, slot * V6 + V6, endpoint, 0, V6))) {
                return slot;
            }
        }
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int i = home(keys[slot]) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
    }

    /** Where the slot's entry is in the index. */
    private int position(int slot) {
        int mask = index.length - 1;
        int i = home(keys[slot]) & mask;
        while (index[i] != slot + 1) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Empties an index position, moving back later entries of the probe run (no tombstones). */
    private void delete(int position) {
        int mask = index.length - 1;
        int hole = position;
        for (int i = (position + 1) & mask; index[i] != 0; i = (i + 1) & mask) {
            int home = home(keys[index[i] - 1]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                index[hole] = index[i];
                hole = i;
            }
        }
        index[hole] = 0;
    }

    private static int home(long key) {
        return (int) mix(key ^ SEED);
    }

    /** MurmurHash3's 64-bit finalizer: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** An IPv4 endpoint exactly (address and port in 48 bits); an IPv6 one by a hash with the top bit set. */
    static long keyOf(byte[] endpoint) {
        if (endpoint.length == 6) {
            long key = 0;
            for (byte b : endpoint) {
                key = (key << 8) | (b & 0xff);
            }
            return key;
        }
        return Long.MIN_VALUE | (mix(v6Address(endpoint, 0) ^ ((endpoint[16] & 0xffL) << 8 | (endpoint[17] & 0xff))) >>> 1);
    }

    /** The address without the port, as the quota counts it: IPv4 exactly, IPv6 by a hash. */
    private static long addressOf(byte[] endpoint) {
        return endpoint.length == 6 ? keyOf(endpoint) >>> 16 : Long.MIN_VALUE | v6Address(endpoint, 0);
    }

    private long addressOf(int slot) {
        return keys[slot] >= 0 ? keys[slot] >>> 16 : Long.MIN_VALUE | v6Address(v6, slot * V6);
    }

    private static long v6Address(byte[] bytes, int offset) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[offset + i] & 0xff);
            low = (low << 8) | (bytes[offset + 8 + i] & 0xff);
        }
        return mix(high) ^ low;
    }

    // ---- choosing peers -------------------------------------------------------------------------------------

    /**
     * A random sample of the peers the asker may get: never itself, only the family its answer can carry. A
     * seeder gets leechers, and seeders only to fill up when there are fewer leechers than it asked for: a client
     * fetching a magnet link's metadata announces left=0 (aria2), and it must still find the seeds.
     */
    private int[] select(int asker, Selection selection) {
        int wanted = Math.min(selection.count(), size - 1);
        int[] chosen = new int[Math.max(0, wanted)];
        int count;
        if (asker < seeders) {
            count = sample(asker, seeders, size, wanted, selection.family(), chosen, 0);
            count = sample(asker, 0, seeders, wanted - count, selection.family(), chosen, count);
        } else {
            count = sample(asker, 0, size, wanted, selection.family(), chosen, 0);
        }
        return count == chosen.length ? chosen : Arrays.copyOf(chosen, count);
    }

    /**
     * Adds up to {@code wanted} eligible peers of slots [from, to) to {@code chosen} from position {@code at};
     * returns the new count. A pool barely larger than asked for is taken whole and shuffled; a larger one is
     * walked from a random slot by a random step prime to its size, which visits every slot once in an order
     * that differs from one announce to the next, allocates nothing and needs no record of what was taken.
     */
    private int sample(int asker, int from, int to, int wanted, AddressFamily family, int[] chosen, int at) {
        int pool = to - from;
        if (pool <= 0 || wanted <= 0) {
            return at;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (pool <= wanted + 1) {
            int[] all = new int[pool];
            int eligible = 0;
            for (int slot = from; slot < to; slot++) {
                if (slot != asker && family.accepts(keys[slot])) {
                    all[eligible++] = slot;
                }
            }
            shuffle(all, 0, eligible, random);
            int taken = Math.min(eligible, wanted);
            System.arraycopy(all, 0, chosen, at, taken);
            return at + taken;
        }
        int step = 1 + random.nextInt(pool - 1);
        while (gcd(step, pool) != 1) {
            step = step == pool - 1 ? 1 : step + 1;
        }
        int offset = random.nextInt(pool);
        int taken = 0;
        for (int visited = 0; visited < pool && taken < wanted; visited++) {
            int slot = from + offset;
            if (slot != asker && family.accepts(keys[slot])) {
                chosen[at++] = slot;
                taken++;
            }
            offset += step;
            if (offset >= pool) {
                offset -= pool;
            }
        }
        return at;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * The asker's rack first (at random; an asking seeder gets its rack's leechers before its seeders), then at
     * most {@link Selection#otherRacks()} peers from elsewhere, seeds first for a leecher (the source, and hosts
     * done with spare upload) and leechers first for a seeder. A client connects to what it is handed (and to
     * whoever connects to it), so this, not the order, decides where its bytes come from; the few peers from
     * other racks keep every rack joined to the swarm. Scans the swarm: O(swarm) per announce.
     */
    private int[] selectByRack(int asker, long askerRack, Selection selection) {
        boolean askerSeeds = asker < seeders;
        // near and far peers, each kept in the order seeders then leechers (their slots' order)
        int[] near = new int[size];
        int[] far = new int[size];
        int nearCount = 0;
        int farCount = 0;
        int nearSeeders = 0;
        int farSeeders = 0;
        for (int slot = 0; slot < size; slot++) {
            if (slot == asker || !selection.family().accepts(keys[slot])) {
                continue;
            }
            if (racks[slot] == askerRack) {
                near[nearCount++] = slot;
                nearSeeders += slot < seeders ? 1 : 0;
            } else {
                far[farCount++] = slot;
                farSeeders += slot < seeders ? 1 : 0;
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (askerSeeds) { // the rack's leechers, then its seeders
            shuffle(near, 0, nearSeeders, random);
            shuffle(near, nearSeeders, nearCount, random);
            rotate(near, nearSeeders, nearCount);
        } else {
            shuffle(near, 0, nearCount, random);
        }
        int[] chosen = new int[Math.min(selection.count(), nearCount + farCount)];
        int count = Math.min(chosen.length, nearCount);
        System.arraycopy(near, 0, chosen, 0, count);
        int farWanted = Math.min(chosen.length - count, selection.otherRacks());
        shuffle(far, 0, farSeeders, random);
        shuffle(far, farSeeders, farCount, random);
        if (askerSeeds) { // leechers from elsewhere first
            rotate(far, farSeeders, farCount);
        }
        int farTaken = Math.min(farWanted, farCount);
        System.arraycopy(far, 0, chosen, count, farTaken);
        return Arrays.copyOf(chosen, count + farTaken);
    }

    private static void shuffle(int[] a, int from, int to, ThreadLocalRandom random) {
        for (int i = to - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Puts [middle, end) before [0, middle). */
    private static void rotate(int[] a, int middle, int end) {
        int[] head = Arrays.copyOfRange(a, 0, middle);
        System.arraycopy(a, middle, a, 0, end - middle);
        System.arraycopy(head, 0, a, end - middle, middle);
    }

    /** The chosen peers in compact form, each family on its own, in the order chosen. */
    private Announced answer(Outcome change, int[] chosen) {
        int sixes = 0;
        for (int slot : chosen) {
            sixes += keys[slot] < 0 ? 1 : 0;
        }
        int fours = chosen.length - sixes;
        byte[] ipv4 = new byte[fours * 6];
        byte[] ipv4Ids = new byte[fours * ID];
        byte[] ipv6 = new byte[sixes * V6];
        byte[] ipv6Ids = new byte[sixes * ID];
        int four = 0;
        int six = 0;
        for (int slot : chosen) {
            long key = keys[slot];
            if (key >= 0) {
                for (int b = 0; b < 6; b++) {
                    ipv4[four * 6 + b] = (byte) (key >>> (40 - 8 * b));
                }
                System.arraycopy(ids, slot * ID, ipv4Ids, four * ID, ID);
                four++;
            } else {
                System.arraycopy(v6, slot * V6, ipv6, six * V6, V6);
                System.arraycopy(ids, slot * ID, ipv6Ids, six * ID, ID);
                six++;
            }
        }
        return new Announced(change, seeders, size - seeders, downloaded, ipv4, ipv4Ids, ipv6, ipv6Ids);
    }
}
