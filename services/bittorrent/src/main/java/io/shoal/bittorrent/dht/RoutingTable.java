package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * BEP 5's routing table: k-buckets of at most {@link #K} nodes. Bucket {@code i} holds the nodes whose ids share
 * exactly {@code i} leading bits with ours; the last bucket holds every node sharing at least as many, and only
 * it splits when full (so the table knows many nodes near its own id and a few far away, O(log N) in all).
 * A full bucket that cannot split keeps newcomers in a replacement cache, which fills the place of a node
 * that stops answering. Not thread-safe: the node owns it on its one thread.
 */
public final class RoutingTable {

    public static final int K = 8;
    /** A node that failed this many queries in a row leaves the table even when nobody waits to replace it. */
    static final int MAX_FAILURES = 5;
    /** BEP 5: a node not heard from for 15 minutes is questionable. */
    public static final long QUESTIONABLE_AFTER_MILLIS = 15 * 60_000L;
    /**
     * With a newcomer waiting, the bucket's least recently seen node is pinged when we have not heard from it for
     * this long (and not pinged it for as long): a node that left makes room within a minute instead of fifteen.
     * Kademlia's rule (ping the oldest before turning a newcomer away), bounded to one ping a node a minute.
     */
    public static final long VERIFY_AFTER_MILLIS = 60_000L;

    /** A node in the table: when we last heard from it, how many queries in a row it left unanswered. */
    public static final class Entry {
        private final NodeInfo node;
        private long lastSeenMillis;
        private long lastVerifiedMillis;
        private int failures;

        Entry(NodeInfo node, long lastSeenMillis) {
            this.node = node;
            this.lastSeenMillis = lastSeenMillis;
        }

        public NodeInfo node() {
            return node;
        }

        public long lastSeenMillis() {
            return lastSeenMillis;
        }

        public int failures() {
            return failures;
        }
    }

    private static final class Bucket {
        final List<Entry> nodes = new ArrayList<>(K);
        final ArrayDeque<Entry> replacements = new ArrayDeque<>(K);
        long lastChangedMillis;

        Bucket(long now) {
            lastChangedMillis = now;
        }
    }

    private final NodeId self;
    private final List<Bucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId self, long nowMillis) {
        this.self = self;
        buckets.add(new Bucket(nowMillis));
    }

    public NodeId self() {
        return self;
    }

    private int bucketIndex(NodeId id) {
        return Math.min(self.commonPrefixBits(id), buckets.size() - 1);
    }

    /**
     * We heard from {@code node} (it answered a query of ours, or queried us): refresh it, or add it when its
     * bucket has room (splitting the last bucket as needed), or keep it as a replacement. A node that reappears
     * under a known id with another address keeps the address it had: moving a known id takes an answer from
     * that node at the old address first (a forged source address cannot move it).
     *
     * @return a node to ping when {@code node} had to wait as a replacement: the bucket's least recently seen, when
     *         it is older than {@link #VERIFY_AFTER_MILLIS}; if it does not answer, {@link #failed} lets the
     *         newcomer in
     */
    public Optional<NodeInfo> seen(NodeInfo node, long nowMillis) {
        if (node.id().equals(self)) {
            return Optional.empty();
        }
        while (true) {
            Bucket bucket = buckets.get(bucketIndex(node.id()));
            for (Entry e : bucket.nodes) {
                if (e.node.id().equals(node.id())) {
                    if (e.node.address().equals(node.address())) {
                        e.lastSeenMillis = nowMillis;
                        e.failures = 0;
                    }
                    return Optional.empty();
                }
            }
            if (bucket.nodes.size() < K) {
                removeAddress(node.address());
                bucket.nodes.add(new Entry(node, nowMillis));
                bucket.lastChangedMillis = nowMillis;
                bucket.replacements.removeIf(r -> r.node.id().equals(node.id()));
                return Optional.empty();
            }
            boolean last = bucket == buckets.getLast();
            if (last && buckets.size() < NodeId.LENGTH * 8) {
                split(nowMillis);
                continue;
            }
            Iterator<Entry> bad = bucket.nodes.iterator();
            while (bad.hasNext()) {
                if (bad.next().failures > 0) {
                    bad.remove();
                    bucket.nodes.add(new Entry(node, nowMillis));
                    bucket.lastChangedMillis = nowMillis;
                    return Optional.empty();
                }
            }
            bucket.replacements.removeIf(r -> r.node.id().equals(node.id()));
            if (bucket.replacements.size() == K) {
                bucket.replacements.removeFirst();
            }
            bucket.replacements.addLast(new Entry(node, nowMillis));
            Entry oldest = bucket.nodes.getFirst();
            for (Entry e : bucket.nodes) {
                if (e.lastSeenMillis < oldest.lastSeenMillis) {
                    oldest = e;
                }
            }
            if (nowMillis - oldest.lastSeenMillis >= VERIFY_AFTER_MILLIS && nowMillis - oldest.lastVerifiedMillis >= VERIFY_AFTER_MILLIS) {
                oldest.lastVerifiedMillis = nowMillis;
                return Optional.of(oldest.node);
            }
            return Optional.empty();
        }
    }

    private void removeAddress(InetSocketAddress address) {
        for (Bucket bucket : buckets) {
            bucket.nodes.removeIf(e -> e.node.address().equals(address));
        }
    }

    private void split(long nowMillis) {
        Bucket last = buckets.getLast();
        int depth = buckets.size() - 1;
        Bucket deeper = new Bucket(nowMillis);
        moveDeeper(last.nodes, deeper.nodes, depth);
        moveDeeper(last.replacements, deeper.replacements, depth);
        buckets.add(deeper);
    }

    private void moveDeeper(java.util.Collection<Entry> from, java.util.Collection<Entry> to, int depth) {
        Iterator<Entry> it = from.iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (self.commonPrefixBits(e.node.id()) > depth) {
                it.remove();
                to.add(e);
            }
        }
    }

    /**
     * {@code node} left a query unanswered (or answered as another id). With a replacement waiting it gives its
     * place at once; without one it stays (a node on a lossy path may answer the next time) until
     * {@link #MAX_FAILURES} in a row.
     */
    public void failed(NodeInfo node) {
        Bucket bucket = buckets.get(bucketIndex(node.id()));
        Iterator<Entry> it = bucket.nodes.iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.node.equals(node)) {
                e.failures++;
                if (!bucket.replacements.isEmpty() || e.failures >= MAX_FAILURES) {
                    it.remove();
                    if (!bucket.replacements.isEmpty()) {
                        bucket.nodes.add(bucket.replacements.removeLast());
                    }
                }
                return;
            }
        }
        bucket.replacements.removeIf(r -> r.node.equals(node));
    }

    /** The {@code count} nodes closest to {@code target}, nearest first; nodes that failed their last query last. */
    public List<NodeInfo> closest(NodeId target, int count) {
        List<Entry> all = new ArrayList<>(size());
        for (Bucket bucket : buckets) {
            all.addAll(bucket.nodes);
        }
        all.sort(Comparator.<Entry>comparingInt(e -> e.failures > 0 ? 1 : 0)
                .thenComparing((a, b) -> target.compareDistance(a.node.id(), b.node.id())));
        List<NodeInfo> out = new ArrayList<>(Math.min(count, all.size()));
        for (int i = 0; i < all.size() && i < count; i++) {
            out.add(all.get(i).node);
        }
        return out;
    }

    public Optional<Entry> find(NodeId id) {
        for (Entry e : buckets.get(bucketIndex(id)).nodes) {
            if (e.node.id().equals(id)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public int size() {
        int n = 0;
        for (Bucket bucket : buckets) {
            n += bucket.nodes.size();
        }
        return n;
    }

    public int bucketCount() {
        return buckets.size();
    }

    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>(size());
        for (Bucket bucket : buckets) {
            for (Entry e : bucket.nodes) {
                out.add(e.node);
            }
        }
        return out;
    }

    /** The depths of buckets nothing joined or left for {@code idleMillis}: a refresh looks up an id in each. */
    public List<Integer> idleBuckets(long nowMillis, long idleMillis) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            if (nowMillis - buckets.get(i).lastChangedMillis >= idleMillis) {
                out.add(i);
            }
        }
        return out;
    }

    void touched(int depth, long nowMillis) {
        buckets.get(depth).lastChangedMillis = nowMillis;
    }

    /** Nodes not heard from for 15 minutes (BEP 5's questionable), oldest first: a refresh pings them. */
    public List<NodeInfo> questionable(long nowMillis, int max) {
        List<Entry> out = new ArrayList<>();
        for (Bucket bucket : buckets) {
            for (Entry e : bucket.nodes) {
                if (nowMillis - e.lastSeenMillis >= QUESTIONABLE_AFTER_MILLIS) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparingLong(e -> e.lastSeenMillis));
        return out.stream().limit(max).map(e -> e.node).toList();
    }
}
