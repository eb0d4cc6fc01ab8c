package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.dht.KrpcMessage.AnnouncePeer;
import io.shoal.bittorrent.dht.KrpcMessage.FindNode;
import io.shoal.bittorrent.dht.KrpcMessage.GetPeers;
import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import io.shoal.bittorrent.dht.KrpcMessage.Ping;
import io.shoal.bittorrent.dht.KrpcMessage.Query;
import io.shoal.bittorrent.dht.KrpcMessage.Response;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A BEP 5 (Kademlia) DHT node: answers ping, find_node, get_peers and announce_peer, and runs iterative lookups
 * with {@link DhtConfig#alpha()} queries in flight. Transport and time come from a {@link DhtRuntime}; every
 * method runs on the runtime's one thread (the node has no locks), so the same code serves a UDP port in the
 * services and 10,000 nodes of an in-memory simulation.
 *
 * <p>Every datagram is hostile until checked: KRPC is decoded by {@link KrpcCodec} with its limits; a query
 * carrying our own id, a source port 0, or a source over its per-address rate is dropped unanswered; a response
 * counts only from the address the query went to and, where the node's id was known, under that id; an
 * announce_peer needs a token made for its source IP; stored peers and pending queries are bounded.
 */
public final class DhtNode {

    /** Peers known to this node by other means (a tracker's swarms), answered to get_peers with the stored ones. */
    public interface PeerSource {
        List<PeerAddress> peers(InfoHash infoHash, int max);
    }

    static final int MAX_PENDING = 4_096;
    static final int MAX_RATE_ENTRIES = 10_000;
    static final int HOP_BUCKETS = 16;
    private static final long MAINTENANCE_MILLIS = 60_000;

    private final NodeId id;
    private final DhtConfig config;
    private final DhtRuntime runtime;
    private final Random random;
    private final RoutingTable table;
    private final PeerStore store;
    private final Tokens tokens;
    private final Map<BString, Pending> pending = new HashMap<>();
    private final Map<InetAddress, Allowance> allowances = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Allowance> eldest) {
            return size() > MAX_RATE_ENTRIES;
        }
    };
    private PeerSource peerSource = (infoHash, max) -> List.of();
    private List<InetSocketAddress> bootstrapNodes = List.of();
    private DhtRuntime.Cancellable maintenance;
    private long lastRotationMillis;
    private int nextTransaction;

    private final Map<String, Long> queriesIn = new HashMap<>();
    private final Map<String, Long> queriesOut = new HashMap<>();
    private long responsesIn, timeouts, dropped, malformed, badTokens, rejectedIds, lookups;
    private final long[] lookupHops = new long[HOP_BUCKETS];

    public DhtNode(NodeId id, DhtConfig config, DhtRuntime runtime, Random random) {
        this.id = id;
        this.config = config;
        this.runtime = runtime;
        this.random = random;
        this.table = new RoutingTable(id, runtime.nowMillis());
        this.store = new PeerStore(config.peers());
        this.tokens = new Tokens(random);
        this.nextTransaction = random.nextInt(1 << 16);
        this.lastRotationMillis = runtime.nowMillis();
    }

    public NodeId id() {
        return id;
    }

    public void peerSource(PeerSource source) {
        this.peerSource = source;
    }

    /**
     * Joins the DHT: pings the nodes a previous run knew (they rejoin the table when they answer), looks up our own
     * id through {@code bootstrap} and them, and starts the maintenance (token rotation, peer expiry, bucket refresh,
     * pings of questionable nodes, a new bootstrap whenever the table empties).
     */
    public CompletableFuture<LookupResult> start(List<InetSocketAddress> bootstrap, List<NodeInfo> known) {
        this.bootstrapNodes = List.copyOf(bootstrap);
        for (NodeInfo node : known) {
            ping(node.address(), Optional.of(node.id()));
        }
        maintenance = runtime.schedule(MAINTENANCE_MILLIS, this::maintain);
        return bootstrap();
    }

    public void stop() {
        if (maintenance != null) {
            maintenance.cancel();
        }
        for (Pending p : List.copyOf(pending.values())) {
            p.timer.cancel();
        }
        pending.clear();
    }

    /**
     * Kademlia's join: a lookup of our own id through the bootstrap nodes and the table (it fills the buckets near us
     * and tells our neighbours about us), then a lookup in every farther bucket (the nodes a self lookup meets all
     * share our prefix; without these a node knows nobody in the other half of the id space). The result is the
     * self lookup's.
     */
    public CompletableFuture<LookupResult> bootstrap() {
        return new Lookup(this, id, Optional.empty()).start(bootstrapNodes).thenCompose(self -> {
            List<CompletableFuture<LookupResult>> refreshes = new ArrayList<>();
            for (int depth = 0; depth < table.bucketCount() - 1; depth++) {
                table.touched(depth, runtime.nowMillis());
                refreshes.add(findNode(id.randomWithCommonPrefix(depth, random)));
            }
            return CompletableFuture.allOf(refreshes.toArray(CompletableFuture[]::new)).thenApply(done -> self.result);
        });
    }

    public CompletableFuture<LookupResult> findNode(NodeId target) {
        return new Lookup(this, target, Optional.empty()).start(List.of()).thenApply(l -> l.result);
    }

    public CompletableFuture<LookupResult> getPeers(InfoHash infoHash) {
        return new Lookup(this, NodeId.of(infoHash), Optional.of(infoHash)).start(List.of()).thenApply(l -> l.result);
    }

    /**
     * BEP 5 announce: a get_peers lookup, then announce_peer with each token to the k closest nodes that answered.
     * {@code port} 0 announces with implied_port (the peer is at our UDP port).
     */
    public CompletableFuture<LookupResult> announce(InfoHash infoHash, int port) {
        return new Lookup(this, NodeId.of(infoHash), Optional.of(infoHash)).start(List.of()).thenCompose(lookup -> {
            List<Lookup.Candidate> targets = lookup.closest.stream().filter(c -> c.token.isPresent()).toList();
            CompletableFuture<LookupResult> done = new CompletableFuture<>();
            if (targets.isEmpty()) {
                done.complete(lookup.result);
                return done;
            }
            int[] outstanding = {targets.size()};
            int[] accepted = {0};
            for (Lookup.Candidate c : targets) {
                Runnable settle = () -> {
                    if (--outstanding[0] == 0) {
                        done.complete(lookup.result.withAnnounced(accepted[0]));
                    }
                };
                query(c.node.address(), Optional.of(c.node.id()),
                        t -> new AnnouncePeer(t, id, infoHash, port, port == 0, c.token.orElseThrow()),
                        r -> {
                            accepted[0]++;
                            settle.run();
                        }, settle);
            }
            return done;
        });
    }

    // --- datagrams in ---

    public void receive(byte[] datagram, InetSocketAddress from) {
        if (from.getPort() == 0) {
            dropped++;
            return;
        }
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            malformed++;
            if (e.transactionId().isPresent() && allowed(from.getAddress())) {
                runtime.send(from, KrpcCodec.encode(new KrpcMessage.Error(e.transactionId().get(),
                        KrpcMessage.PROTOCOL_ERROR, e.getMessage())));
            }
            return;
        }
        switch (message) {
            case Query q -> answer(q, from);
            case Response r -> responded(r, from);
            case KrpcMessage.Error e -> errored(e, from);
        }
    }

    private void answer(Query query, InetSocketAddress from) {
        if (query.id().equals(id) || !allowed(from.getAddress())) {
            dropped++;
            return;
        }
        queriesIn.merge(method(query), 1L, Long::sum);
        long now = runtime.nowMillis();
        if (admissible(query.id(), from)) {
            table.seen(new NodeInfo(query.id(), from), now).ifPresent(this::verify);
        }
        Response answer = switch (query) {
            case Ping p -> new Response(p.transactionId(), id, List.of(), List.of(), Optional.empty());
            case FindNode f -> new Response(f.transactionId(), id, table.closest(f.target(), RoutingTable.K), List.of(),
                    Optional.empty());
            case GetPeers g -> new Response(g.transactionId(), id, table.closest(NodeId.of(g.infoHash()), RoutingTable.K),
                    values(g.infoHash()), Optional.of(tokens.issue(from.getAddress())));
            case AnnouncePeer a -> {
                if (!tokens.valid(a.token(), from.getAddress())) {
                    badTokens++;
                    runtime.send(from, KrpcCodec.encode(new KrpcMessage.Error(a.transactionId(), KrpcMessage.PROTOCOL_ERROR,
                            "bad token")));
                    yield null;
                }
                int port = a.impliedPort() ? from.getPort() : a.port();
                store.store(a.infoHash(), PeerAddress.of(from.getAddress(), port), now);
                yield new Response(a.transactionId(), id, List.of(), List.of(), Optional.empty());
            }
        };
        if (answer != null) {
            runtime.send(from, KrpcCodec.encode(answer));
        }
    }

    private List<PeerAddress> values(InfoHash infoHash) {
        List<PeerAddress> stored = store.peers(infoHash, config.maxValues(), random);
        if (stored.size() >= config.maxValues()) {
            return stored;
        }
        LinkedHashSet<PeerAddress> all = new LinkedHashSet<>(stored);
        for (PeerAddress peer : peerSource.peers(infoHash, config.maxValues())) {
            if (all.size() == config.maxValues()) {
                break;
            }
            all.add(peer);
        }
        return List.copyOf(all);
    }

    /** BEP 42 (as {@link DhtConfig#addressIds()} asks): only a node whose id fits its address is recommended to anyone. */
    boolean admissible(NodeId nodeId, InetSocketAddress address) {
        if (config.addressIds().accepts(nodeId, address.getAddress())) {
            return true;
        }
        rejectedIds++;
        return false;
    }

    private boolean allowed(InetAddress address) {
        long now = runtime.nowMillis();
        Allowance a = allowances.get(address);
        if (a == null) {
            a = new Allowance(2.0 * config.queriesPerSecond(), now);
            allowances.put(address, a);
        }
        double burst = 2.0 * config.queriesPerSecond();
        a.tokens = Math.min(burst, a.tokens + (now - a.refilledMillis) * config.queriesPerSecond() / 1000.0);
        a.refilledMillis = now;
        if (a.tokens < 1) {
            return false;
        }
        a.tokens -= 1;
        return true;
    }

    private void responded(Response response, InetSocketAddress from) {
        Pending p = settle(response.transactionId(), from);
        if (p == null) {
            return;
        }
        responsesIn++;
        if (p.expected.isPresent() && !p.expected.get().equals(response.id())) {
            table.failed(new NodeInfo(p.expected.get(), p.to));
            p.failed.run();
            return;
        }
        if (admissible(response.id(), from)) {
            table.seen(new NodeInfo(response.id(), from), runtime.nowMillis()).ifPresent(this::verify);
        }
        p.answered.accept(response);
    }

    private void errored(KrpcMessage.Error error, InetSocketAddress from) {
        Pending p = settle(error.transactionId(), from);
        if (p != null) {
            p.failed.run();
        }
    }

    /**
     * The query an answer from {@code from} settles, taken off the pending ones; null (and the datagram dropped) when
     * nothing was asked under that transaction id, or it was asked of another address: a forged answer keeps the real
     * one's place.
     */
    private Pending settle(BString transactionId, InetSocketAddress from) {
        Pending p = pending.get(transactionId);
        if (p == null || !p.to.equals(from)) {
            dropped++;
            return null;
        }
        pending.remove(transactionId);
        p.timer.cancel();
        return p;
    }

    // --- queries out ---

    private static final class Pending {
        final InetSocketAddress to;
        final Optional<NodeId> expected;
        final Consumer<Response> answered;
        final Runnable failed;
        DhtRuntime.Cancellable timer;

        Pending(InetSocketAddress to, Optional<NodeId> expected, Consumer<Response> answered, Runnable failed) {
            this.to = to;
            this.expected = expected;
            this.answered = answered;
            this.failed = failed;
        }
    }

    void query(InetSocketAddress to, Optional<NodeId> expected, Function<BString, Query> message, Consumer<Response> answered,
               Runnable failed) {
        if (pending.size() >= MAX_PENDING) {
            failed.run();
            return;
        }
        BString t;
        do {
            nextTransaction = (nextTransaction + 1) & 0xffff;
            t = BString.of(new byte[] {(byte) (nextTransaction >>> 8), (byte) nextTransaction});
        } while (pending.containsKey(t));
        Query q = message.apply(t);
        Pending p = new Pending(to, expected, answered, failed);
        BString transaction = t;
        p.timer = runtime.schedule(config.queryTimeoutMillis(), () -> {
            if (pending.remove(transaction) == p) {
                timeouts++;
                expected.ifPresent(nodeId -> table.failed(new NodeInfo(nodeId, to)));
                failed.run();
            }
        });
        pending.put(t, p);
        queriesOut.merge(method(q), 1L, Long::sum);
        runtime.send(to, KrpcCodec.encode(q));
    }

    /** A node the table wants to know is still there (a newcomer waits for its place); no answer fails it. */
    private void verify(NodeInfo node) {
        ping(node.address(), Optional.of(node.id()));
    }

    private void ping(InetSocketAddress to, Optional<NodeId> expected) {
        query(to, expected, t -> new Ping(t, id), r -> { }, () -> { });
    }

    private static String method(Query q) {
        return switch (q) {
            case Ping p -> "ping";
            case FindNode f -> "find_node";
            case GetPeers g -> "get_peers";
            case AnnouncePeer a -> "announce_peer";
        };
    }

    // --- maintenance ---

    private void maintain() {
        long now = runtime.nowMillis();
        if (now - lastRotationMillis >= config.tokenRotationMillis()) {
            tokens.rotate();
            lastRotationMillis = now;
        }
        store.expire(now);
        if (table.size() == 0 && !bootstrapNodes.isEmpty()) {
            bootstrap();
        }
        for (int depth : table.idleBuckets(now, config.refreshMillis())) {
            table.touched(depth, now);
            findNode(id.randomWithCommonPrefix(depth, random));
        }
        for (NodeInfo node : table.questionable(now, RoutingTable.K)) {
            ping(node.address(), Optional.of(node.id()));
        }
        maintenance = runtime.schedule(MAINTENANCE_MILLIS, this::maintain);
    }

    // --- state for operators, persistence and tests ---

    public List<NodeInfo> routingTable() {
        return table.nodes();
    }

    public DhtStats stats() {
        List<Long> hops = new ArrayList<>(HOP_BUCKETS);
        for (long n : lookupHops) {
            hops.add(n);
        }
        return new DhtStats(table.size(), table.bucketCount(), store.size(), store.infoHashes(), Map.copyOf(queriesIn),
                Map.copyOf(queriesOut), responsesIn, timeouts, dropped, malformed, badTokens, rejectedIds, lookups, hops);
    }

    /**
     * Stores a peer as if announced here: a service's own torrents are found at its node on the first query. Kept
     * until {@link #removeLocally} or, like any announce, 30 minutes after the last call.
     */
    public void storeLocally(InfoHash infoHash, PeerAddress peer) {
        store.store(infoHash, peer, runtime.nowMillis());
    }

    public void removeLocally(InfoHash infoHash, PeerAddress peer) {
        store.remove(infoHash, peer);
    }

    // --- for lookups ---

    DhtConfig config() {
        return config;
    }

    DhtRuntime runtime() {
        return runtime;
    }

    List<NodeInfo> closest(NodeId target) {
        return table.closest(target, RoutingTable.K);
    }

    void lookupFinished(int hops) {
        lookups++;
        lookupHops[Math.min(hops, HOP_BUCKETS - 1)]++;
    }

    private static final class Allowance {
        double tokens;
        long refilledMillis;

        Allowance(double tokens, long refilledMillis) {
            this.tokens = tokens;
            this.refilledMillis = refilledMillis;
        }
    }
}
