package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.dht.KrpcMessage.FindNode;
import io.shoal.bittorrent.dht.KrpcMessage.GetPeers;
import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import io.shoal.bittorrent.dht.KrpcMessage.Query;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Kademlia's iterative lookup: ask the alpha closest nodes not yet asked, add the nodes they name, and stop when
 * the k closest nodes known have all answered (or failed), or after {@link DhtConfig#maxLookupQueries()}.
 */
final class Lookup {

    enum State { NEW, QUERYING, ANSWERED, FAILED }

    static final class Candidate {
        final NodeInfo node;
        final int hop;
        State state = State.NEW;
        boolean slow;
        Optional<BString> token = Optional.empty();

        Candidate(NodeInfo node, int hop) {
            this.node = node;
            this.hop = hop;
        }
    }

    private static final int MAX_CANDIDATES = 8 * RoutingTable.K;
    /** Peers one get_peers lookup keeps: answers are up to 2 KB each, and a hostile node may fill them. */
    static final int MAX_PEERS = 500;

    private final DhtNode node;
    private final DhtConfig config;
    private final DhtRuntime runtime;
    private final NodeId target;
    private final Optional<InfoHash> infoHash;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Set<InetSocketAddress> known = new HashSet<>();
    private final LinkedHashSet<PeerAddress> peers = new LinkedHashSet<>();
    private final CompletableFuture<Lookup> done = new CompletableFuture<>();
    /** Once finished: the k closest nodes that answered, nearest first (announce sends them its tokens). */
    final List<Candidate> closest = new ArrayList<>();
    LookupResult result;
    private final long startedMillis;
    private int inFlight, seedsInFlight, queries, failures;
    private boolean finished;

    Lookup(DhtNode node, NodeId target, Optional<InfoHash> infoHash) {
        this.node = node;
        this.config = node.config();
        this.runtime = node.runtime();
        this.target = target;
        this.infoHash = infoHash;
        this.startedMillis = runtime.nowMillis();
    }

    CompletableFuture<Lookup> start(Collection<InetSocketAddress> seeds) {
        for (NodeInfo n : node.closest(target)) {
            add(n, 1);
        }
        for (InetSocketAddress seed : seeds) {
            if (known.add(seed)) {
                seedsInFlight++;
                ask(seed, Optional.empty(), 1, null);
            }
        }
        pump();
        return done;
    }

    private void add(NodeInfo n, int hop) {
        if (n.id().equals(node.id()) || n.address().getPort() == 0 || !node.admissible(n.id(), n.address())
                || !known.add(n.address())) {
            return;
        }
        int at = 0;
        while (at < candidates.size() && target.compareDistance(candidates.get(at).node.id(), n.id()) <= 0) {
            at++;
        }
        if (at >= MAX_CANDIDATES) {
            return;
        }
        candidates.add(at, new Candidate(n, hop));
        if (candidates.size() > MAX_CANDIDATES) {
            candidates.removeLast();
        }
    }

    private void pump() {
        if (finished) {
            return;
        }
        int considered = 0;
        boolean open = false;
        for (Candidate c : candidates) {
            // a failed node, or a slow one (likely gone), gives its place among the k to the next closest
            if (c.state == State.FAILED || c.state == State.QUERYING && c.slow) {
                continue;
            }
            if (considered++ == RoutingTable.K) {
                break;
            }
            if (c.state == State.NEW && inFlight < config.alpha() && queries < config.maxLookupQueries()) {
                c.state = State.QUERYING;
                ask(c.node.address(), Optional.of(c.node.id()), c.hop, c);
            }
            open |= c.state == State.NEW && queries < config.maxLookupQueries() || c.state == State.QUERYING;
        }
        if (!open && seedsInFlight == 0) {
            finish();
        }
    }

    private void ask(InetSocketAddress to, Optional<NodeId> expected, int hop, Candidate candidate) {
        inFlight++;
        queries++;
        Function<BString, Query> message = infoHash.isPresent()
                ? t -> new GetPeers(t, node.id(), infoHash.get())
                : t -> new FindNode(t, node.id(), target);
        // Slow: no longer counted against alpha, so the lookup goes on past a node that may be gone.
        boolean[] settled = {false};
        boolean[] slow = {false};
        runtime.schedule(config.slowQueryMillis(), () -> {
            if (!settled[0] && !finished) {
                slow[0] = true;
                if (candidate != null) {
                    candidate.slow = true;
                }
                inFlight--;
                pump();
            }
        });
        Runnable settle = () -> {
            settled[0] = true;
            if (!slow[0]) {
                inFlight--;
            }
        };
        node.query(to, expected, message, r -> {
            settle.run();
            Candidate c = candidate;
            if (c == null) {
                seedsInFlight--;
                // A bootstrap address answered: it is a candidate now, at the hop it was asked.
                known.remove(to);
                add(new NodeInfo(r.id(), to), hop);
                c = candidates.stream().filter(x -> x.node.address().equals(to)).findFirst().orElse(null);
            }
            if (c != null) {
                c.state = State.ANSWERED;
                c.token = r.token();
            }
            for (NodeInfo n : r.nodes()) {
                add(n, hop + 1);
            }
            for (PeerAddress peer : r.values()) {
                if (peers.size() < MAX_PEERS) {
                    peers.add(peer);
                }
            }
            pump();
        }, () -> {
            settle.run();
            failures++;
            if (candidate == null) {
                seedsInFlight--;
            } else {
                candidate.state = State.FAILED;
            }
            pump();
        });
    }

    private void finish() {
        finished = true;
        for (Candidate c : candidates) {
            if (c.state == State.ANSWERED && closest.size() < RoutingTable.K) {
                closest.add(c);
            }
        }
        int hops = closest.isEmpty() ? 0 : closest.getFirst().hop;
        node.lookupFinished(hops);
        result = new LookupResult(target, closest.stream().map(c -> c.node).toList(), List.copyOf(peers), hops,
                queries, failures, 0, runtime.nowMillis() - startedMillis);
        done.complete(this);
    }
}
