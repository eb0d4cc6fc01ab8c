package io.shoal.bench;

import io.shoal.bittorrent.dht.DhtConfig;
import io.shoal.bittorrent.dht.DhtNode;
import io.shoal.bittorrent.dht.LookupResult;
import io.shoal.bittorrent.dht.NodeId;
import io.shoal.bittorrent.dht.SimulatedNetwork;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * N nodes of the real {@link DhtNode} on an in-memory network with latency and loss ({@link SimulatedNetwork}: a
 * discrete-event clock, real KRPC bytes). Nodes join one after another through 8 bootstrap nodes; then three phases,
 * each measuring lookups from random nodes for random targets (does the lookup reach the closest live node, in how
 * many hops, with how many queries) and get_peers for info-hashes that random nodes announced:
 * <ol>
 *   <li>steady: every node up;</li>
 *   <li>failed: 20% of the nodes gone at once without warning (tables still name them);</li>
 *   <li>churn: then 10% of the nodes replaced per minute for {@code churnMinutes} (leaving without warning, new
 *       ones joining), the announcers announcing again every {@code reannounceMinutes}.</li>
 * </ol>
 * {@code e2e-tests/bench/dht-sim.sh} runs it at 10,000 nodes; DhtSimulationTest at a smaller size in every build.
 */
public final class DhtSimulation {

    public record Settings(int nodes, int lookups, int infoHashes, long minLatencyMillis, long maxLatencyMillis,
                           double loss, double failedShare, double churnPerMinute, int churnMinutes,
                           int reannounceMinutes, long seed) {
        static Settings defaults(int nodes) {
            return new Settings(nodes, 1_000, 100, 10, 100, 0.01, 0.20, 0.10, 10, 15, 1);
        }
    }

    /** One phase's lookups: success rates, hops and queries (p50, p99). */
    public record Phase(String name, int liveNodes, int lookups, double closestFound, int hopsP50, int hopsP99,
                        int queriesP50, int queriesP99, int millisP50, int millisP99, int getPeers, double peersFound) {
    }

    public record Report(Settings settings, List<Phase> phases, double joinSeconds, double heapBytesPerNode,
                         double log2Nodes, long datagrams) {
        int hopsGoal() {
            return (int) Math.ceil(log2Nodes / 3) + 1;
        }
    }

    private final Settings settings;
    private final Random random;
    private final SimulatedNetwork net;
    private final DhtConfig config = DhtConfig.DEFAULT;
    private final List<SimulatedNetwork.Host> live = new ArrayList<>();
    private final List<InetSocketAddress> bootstrap = new ArrayList<>();
    private final Map<InfoHash, SimulatedNetwork.Host> announcers = new HashMap<>();
    private int nextAddress = 1;

    DhtSimulation(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.net = new SimulatedNetwork(random, settings.minLatencyMillis(), settings.maxLatencyMillis(), settings.loss());
    }

    public static Report run(Settings settings) {
        return new DhtSimulation(settings).run();
    }

    private Report run() {
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        for (int i = 0; i < settings.nodes(); i++) {
            join();
            // A node joins every 20 ms of simulated time; joins overlap as they would in a real start-up.
            net.runUntil(net.nowMillis() + 20);
        }
        net.runUntil(net.nowMillis() + 30_000);
        double joinSeconds = (System.nanoTime() - started) / 1e9;
        double perNode = (usedHeap() - heapBefore) / (double) settings.nodes();

        List<Phase> phases = new ArrayList<>();
        announceAll();
        phases.add(measure("steady"));

        List<SimulatedNetwork.Host> shuffled = new ArrayList<>(live);
        Collections.shuffle(shuffled, random);
        for (SimulatedNetwork.Host host : shuffled.subList(0, (int) (settings.failedShare() * live.size()))) {
            fail(host);
        }
        phases.add(measure("failed " + percent(settings.failedShare())));

        long churnEnd = net.nowMillis() + settings.churnMinutes() * 60_000L;
        long nextAnnounce = net.nowMillis() + settings.reannounceMinutes() * 60_000L;
        int perSecond = (int) Math.round(settings.churnPerMinute() * live.size() / 60);
        while (net.nowMillis() < churnEnd) {
            for (int i = 0; i < perSecond; i++) {
                fail(live.get(random.nextInt(live.size())));
                join();
            }
            if (net.nowMillis() >= nextAnnounce) {
                announceAll();
                nextAnnounce += settings.reannounceMinutes() * 60_000L;
            }
            net.runUntil(net.nowMillis() + 1_000);
        }
        phases.add(measure("churn " + percent(settings.churnPerMinute()) + "/min, " + settings.churnMinutes() + " min"));
        return new Report(settings, phases, joinSeconds, perNode, Math.log(settings.nodes()) / Math.log(2), net.datagrams());
    }

    private void join() {
        SimulatedNetwork.Host host = net.host(address(nextAddress++));
        DhtNode node = new DhtNode(NodeId.random(random), config, host, random);
        host.attach(node);
        live.add(host);
        node.start(List.copyOf(bootstrap), List.of());
        if (bootstrap.size() < 8) {
            bootstrap.add(host.address());
        }
    }

    private void fail(SimulatedNetwork.Host host) {
        host.fail();
        live.remove(host);
        // The announced peer stays stored at others; its announcer no longer refreshes it.
        announcers.values().removeIf(h -> h == host);
    }

    private void announceAll() {
        if (announcers.isEmpty()) {
            for (int i = 0; i < settings.infoHashes(); i++) {
                announcers.put(InfoHash.of(NodeId.random(random).bytes()), live.get(random.nextInt(live.size())));
            }
        }
        List<CompletableFuture<LookupResult>> announces = new ArrayList<>();
        announcers.forEach((hash, host) -> announces.add(host.node().announce(hash, 6881)));
        await(announces);
    }

    private Phase measure(String name) {
        List<NodeId> targets = new ArrayList<>();
        List<CompletableFuture<LookupResult>> lookups = new ArrayList<>();
        for (int i = 0; i < settings.lookups(); i++) {
            NodeId target = NodeId.random(random);
            targets.add(target);
            lookups.add(live.get(random.nextInt(live.size())).node().findNode(target));
        }
        await(lookups);
        List<NodeId> liveIds = live.stream().map(h -> h.node().id()).toList();
        int found = 0;
        List<Integer> hops = new ArrayList<>();
        List<Integer> queries = new ArrayList<>();
        List<Integer> millis = new ArrayList<>();
        for (int i = 0; i < lookups.size(); i++) {
            LookupResult r = lookups.get(i).join();
            NodeId target = targets.get(i);
            NodeId closest = liveIds.stream().min(target::compareDistance).orElseThrow();
            // The lookup's own node never appears in its result: when it is the closest, the next one counts.
            if (!r.closest().isEmpty() && (r.closest().getFirst().id().equals(closest)
                    || liveIds.stream().filter(id -> !id.equals(closest)).min(target::compareDistance).orElseThrow()
                    .equals(r.closest().getFirst().id()))) {
                found++;
            }
            hops.add(r.hops());
            queries.add(r.queries());
            millis.add((int) r.millis());
        }
        List<Map.Entry<InfoHash, SimulatedNetwork.Host>> stored = new ArrayList<>(announcers.entrySet());
        List<CompletableFuture<LookupResult>> gets = new ArrayList<>();
        List<PeerAddress> wanted = new ArrayList<>();
        for (var entry : stored) {
            gets.add(live.get(random.nextInt(live.size())).node().getPeers(entry.getKey()));
            wanted.add(PeerAddress.of(entry.getValue().address().getAddress(), 6881));
        }
        await(gets);
        int peersFound = 0;
        for (int i = 0; i < gets.size(); i++) {
            if (gets.get(i).join().peers().contains(wanted.get(i))) {
                peersFound++;
            }
        }
        return new Phase(name, live.size(), lookups.size(), found / (double) lookups.size(), percentile(hops, 50),
                percentile(hops, 99), percentile(queries, 50), percentile(queries, 99), percentile(millis, 50),
                percentile(millis, 99), gets.size(),
                gets.isEmpty() ? 1 : peersFound / (double) gets.size());
    }

    private void await(List<CompletableFuture<LookupResult>> futures) {
        net.runWhile(() -> futures.stream().anyMatch(f -> !f.isDone()), net.nowMillis() + 600_000);
        if (futures.stream().anyMatch(f -> !f.isDone())) {
            throw new IllegalStateException("lookups still running after 10 simulated minutes");
        }
    }

    private static int percentile(List<Integer> values, int p) {
        List<Integer> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}), 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static String markdown(Report report) {
        Settings s = report.settings();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d nodes (log2 N = %.1f; hops goal: median <= %d), latency %d-%d ms, loss %.1f%%, "
                        + "k = 8, alpha = 3; %,d lookups and %d get_peers a phase; join %.1f s wall, %.0f bytes of heap a node, %,d datagrams%n%n",
                s.nodes(), report.log2Nodes(), report.hopsGoal(), s.minLatencyMillis(), s.maxLatencyMillis(), s.loss() * 100,
                s.lookups(), s.infoHashes(), report.joinSeconds(), report.heapBytesPerNode(), report.datagrams()));
        out.append("| phase | live nodes | closest node found | hops p50 / p99 | queries p50 / p99 | lookup ms p50 / p99 "
                + "| get_peers found the peer |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Phase p : report.phases()) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f%% | %d / %d | %d / %d | %,d / %,d | %.1f%% |%n", p.name(),
                    p.liveNodes(), p.closestFound() * 100, p.hopsP50(), p.hopsP99(), p.queriesP50(), p.queriesP99(), p.millisP50(),
                    p.millisP99(), p.peersFound() * 100));
        }
        return out.toString();
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Settings d = Settings.defaults(nodes);
        Settings settings = new Settings(nodes, Integer.getInteger("sim.lookups", d.lookups()),
                Integer.getInteger("sim.infoHashes", d.infoHashes()), Long.getLong("sim.minLatency", d.minLatencyMillis()),
                Long.getLong("sim.maxLatency", d.maxLatencyMillis()), Double.parseDouble(System.getProperty("sim.loss", "" + d.loss())),
                d.failedShare(), d.churnPerMinute(), Integer.getInteger("sim.churnMinutes", d.churnMinutes()),
                Integer.getInteger("sim.reannounceMinutes", d.reannounceMinutes()), Long.getLong("sim.seed", d.seed()));
        System.out.print(markdown(run(settings)));
    }
}
