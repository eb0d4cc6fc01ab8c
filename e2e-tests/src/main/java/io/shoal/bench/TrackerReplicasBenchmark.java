package io.shoal.bench;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Three tracker replicas behind one UDP address (one port, SO_REUSEPORT across the three processes: the kernel
 * spreads clients over them, as a load balancer would), sharing swarms through shoal.tracker.announces on the
 * stack's Kafka, beside the stack's own tracker as the one-replica reference. Measures the aggregate UDP
 * announce rate; how long an announce answered by one replica takes to be handed out by another (p50, p99; idle
 * and under load); and, with one replica killed (SIGKILL) under load, whether the two left lost any peer.
 * Each replica also has an HTTP port of its own, so a probe can choose the replica it asks.
 *
 * <p>Arguments: the stack's state file, a scratch directory, seconds per measurement, the tracker's jar.
 */
public final class TrackerReplicasBenchmark {

    private static final int TORRENTS = 1000;
    private static final int PROBE_TORRENTS = 400;
    private static final int PEERS = 20_000;
    private static final int REPLICAS = 3;

    private TrackerReplicasBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Properties stack = TrackerBenchmark.stack(Path.of(args[0]));
        Path work = Path.of(args[1]);
        int seconds = Integer.parseInt(args[2]);
        Path jar = Path.of(args[3]);
        String kafka = stack.getProperty("kafka.bootstrap.servers");
        URI single = URI.create(stack.getProperty("service.tracker.url"));

        Random random = new Random(2);
        byte[][] hashes = new byte[TORRENTS][20];
        byte[][] probes = new byte[PROBE_TORRENTS][20];
        for (byte[] hash : hashes) {
            random.nextBytes(hash);
        }
        for (byte[] hash : probes) {
            random.nextBytes(hash);
        }
        TrackerBenchmark.publish(kafka, hashes);
        TrackerBenchmark.publish(kafka, probes);

        int udpPort = TrackerBenchmark.freePort();
        byte[] secretBytes = new byte[24];
        new SecureRandom().nextBytes(secretBytes);
        String secret = HexFormat.of().formatHex(secretBytes);
        List<Process> replicas = new ArrayList<>();
        List<URI> http = new ArrayList<>();
        try {
            for (int i = 0; i < REPLICAS; i++) {
                int port = TrackerBenchmark.freePort();
                http.add(URI.create("http://127.0.0.1:" + port));
                replicas.add(TrackerBenchmark.startTracker(jar, work.resolve("replica-" + i), kafka, port, Map.of(
                        "SHOAL_TRACKER_UDP_PORT", Integer.toString(udpPort), "SHOAL_TRACKER_UDP_CONNECTION_SECRET", secret)));
            }
            for (URI replica : http) {
                TrackerBenchmark.awaitTracked(replica, probes[probes.length - 1]);
            }
            TrackerBenchmark.awaitTracked(single, probes[probes.length - 1]);
            InetSocketAddress shared = new InetSocketAddress("127.0.0.1", udpPort);
            InetSocketAddress alone = new InetSocketAddress("127.0.0.1", single.getPort());

            // warm-up, then each measured in turn
            load(shared, hashes, 5);
            load(alone, hashes, 5);
            UdpAnnounceLoad.Result one = load(alone, hashes, seconds);
            UdpAnnounceLoad.Result three = load(shared, hashes, seconds);
            System.out.println("| measurement | result |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| UDP announces/s, 6 sockets x 11 in flight: one replica (the stack's) | %.0f (p50 %.2f ms, p99 %.2f ms) |%n",
                    one.perSecond(), one.p50Millis(), one.p99Millis());
            System.out.printf(Locale.ROOT, "| same load, %d replicas on one UDP port | %.0f (p50 %.2f ms, p99 %.2f ms), %.2fx one |%n", REPLICAS,
                    three.perSecond(), three.p50Millis(), three.p99Millis(), three.perSecond() / one.perSecond());

            Probes probe = new Probes(http, probes);
            probe.run(300, 20); // the probes' own warm-up: HTTP connections, the replicas' first records
            probe.slowest();
            double[] idle = probe.run(0, 150);
            System.out.printf(Locale.ROOT, "| an announce at one replica handed out by another, idle (150 probes) | p50 %.1f ms, p99 %.1f ms, max %.1f ms%s |%n",
                    idle[0], idle[1], idle[2], probe.slowest());
            CompletableFuture<UdpAnnounceLoad.Result> background = CompletableFuture.supplyAsync(() -> loadQuietly(shared, hashes, seconds));
            double[] busy = probe.run(150, 150);
            UdpAnnounceLoad.Result during = background.join();
            System.out.printf(Locale.ROOT, "| same, under the aggregate load (%.0f announces/s meanwhile) | p50 %.1f ms, p99 %.1f ms, max %.1f ms%s |%n",
                    during.perSecond(), busy[0], busy[1], busy[2], probe.slowest());

            // one replica killed halfway through a load: the two left must still hold every peer they held
            CompletableFuture<UdpAnnounceLoad.Result> killLoad = CompletableFuture.supplyAsync(() -> loadQuietly(shared, hashes, seconds));
            Thread.sleep(seconds * 500L);
            long[] before = {peers(http.get(0)), peers(http.get(1))};
            replicas.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            UdpAnnounceLoad.Result afterKill = killLoad.join();
            Thread.sleep(1_000); // the last batches
            long[] after = {peers(http.get(0)), peers(http.get(1))};
            System.out.printf(Locale.ROOT, "| replica 3 killed (SIGKILL) halfway through %d s of load | replicas 1 and 2 held %d and %d peers before, %d and %d after "
                            + "(%s); the load went on at %.0f announces/s, %d datagrams re-sent |%n", seconds, before[0], before[1], after[0], after[1],
                    after[0] >= before[0] && after[1] >= before[1] ? "none lost" : "PEERS LOST", afterKill.perSecond(), afterKill.lost());
        } finally {
            for (Process replica : replicas) {
                replica.destroy();
            }
            for (Process replica : replicas) {
                replica.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    private static UdpAnnounceLoad.Result load(InetSocketAddress tracker, byte[][] hashes, int seconds) throws Exception {
        return new UdpAnnounceLoad(tracker, hashes, PEERS).run(6, 11, seconds * 1000L);
    }

    private static UdpAnnounceLoad.Result loadQuietly(InetSocketAddress tracker, byte[][] hashes, int seconds) {
        try {
            return load(tracker, hashes, seconds);
        } catch (Exception e) {
            throw new IllegalStateException("the UDP load failed", e);
        }
    }

    /** shoal_tracker_peers from the replica's metrics. */
    private static long peers(URI replica) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(replica.resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("shoal_tracker_peers "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no shoal_tracker_peers in " + replica + "/q/metrics"));
    }

    /** Announce a new peer at one replica, then ask the next one until it hands that peer out. */
    private record Probes(List<URI> replicas, byte[][] hashes, List<String> slow) {

        Probes(List<URI> replicas, byte[][] hashes) {
            this(replicas, hashes, new ArrayList<>());
        }

        /** The probes of the last run that took over 200 ms, when they were (seconds into the run): where tails come from. */
        String slowest() {
            String said = slow.isEmpty() ? "" : "; over 200 ms: " + String.join(", ", slow.subList(0, Math.min(8, slow.size())))
                    + (slow.size() > 8 ? ", ..." : "");
            slow.clear();
            return said;
        }

        /** p50, p99 and max in milliseconds over {@code count} probes, each on a swarm of its own (infinite: not within 10 s). */
        double[] run(int first, int count) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            double[] millis = new double[count];
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int n = first + i;
                URI at = replicas.get(n % replicas.size());
                URI other = replicas.get((n + 1) % replicas.size());
                String hash = PercentEncoding.encode(hashes[n]);
                int port = 20_000 + n;
                get(client, at, "/announce?info_hash=" + hash + "&peer_id=" + String.format("-PR0001-%012d", n)
                        + "&port=" + port + "&uploaded=0&downloaded=0&left=5&event=started&numwant=0&compact=1");
                long answered = System.nanoTime();
                long deadline = answered + TimeUnit.SECONDS.toNanos(10);
                while (true) {
                    AnnounceResponse seen = HttpTrackerResponses.parseAnnounce(get(client, other, "/announce?info_hash=" + hash
                            + "&peer_id=-PL0001-000000000000&port=9&uploaded=0&downloaded=0&left=5&numwant=50&compact=1"));
                    if (seen.peers().stream().anyMatch(p -> p.port() == port)) {
                        millis[i] = (System.nanoTime() - answered) / 1e6;
                        if (millis[i] > 200) {
                            slow.add(String.format(Locale.ROOT, "%.0f ms at %.1f s", millis[i], (answered - start) / 1e9));
                        }
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        // replication is best effort: an announce Kafka did not take in time is dropped (and counted),
                        // and the peer reaches the other replicas with its next announce
                        millis[i] = Double.POSITIVE_INFINITY;
                        slow.add(String.format(Locale.ROOT, "not within 10 s at %.1f s", (answered - start) / 1e9));
                        break;
                    }
                    Thread.sleep(1);
                }
            }
            Arrays.sort(millis);
            return new double[] {millis[count / 2], millis[Math.min(count - 1, (int) (count * 0.99))], millis[count - 1]};
        }

        private static byte[] get(HttpClient client, URI replica, String pathAndQuery) throws Exception {
            return client.send(HttpRequest.newBuilder(replica.resolve(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        }
    }
}
