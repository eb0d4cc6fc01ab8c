package io.shoal.seeder.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.RoundRobin;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.TestTorrents;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrackerAnnouncerTest {

    private static final Pattern EVENT = Pattern.compile("event=(\\w+)");

    /**
     * A torrent stopped and seeded again at once (its partition moved away and back): the tracker must take the
     * {@code stopped} before the {@code started}, or it drops a seed that is there until the next interval.
     */
    @Test
    void started_again_waits_for_the_tracker_to_take_the_stopped() throws Exception {
        List<String> taken = new CopyOnWriteArrayList<>();
        HttpServer tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tracker.setExecutor(Executors.newFixedThreadPool(4));
        tracker.createContext("/announce", exchange -> {
            Matcher event = EVENT.matcher(exchange.getRequestURI().getRawQuery());
            String name = event.find() ? event.group(1) : "regular";
            if (name.equals("stopped")) {
                try {
                    Thread.sleep(500); // a busy tracker: this one is taken late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            taken.add(name);
            byte[] body = HttpTrackerResponses.announceCompact(1800, 60, 1, 0, 0, new byte[0], new byte[0], Optional.empty());
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tracker.start();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
        try (TrackerAnnouncer announcer = new TrackerAnnouncer(scheduler, PeerId.random("-SH0001-"), "127.0.0.1", 6881,
                Optional.empty(), 0, (swarm, hash, peers) -> { })) {
            var torrent = TestTorrents.make(TorrentFormat.V1, 16384, 3, 20_000).torrent();
            Swarm first = new Swarm(torrent, new Choker(new RoundRobin(), 2, 3, new Random(1)), false, new Random(1));
            announcer.start(first, List.of(url));
            awaitSize(taken, 1);
            announcer.stop(first);
            Swarm again = new Swarm(torrent, new Choker(new RoundRobin(), 2, 3, new Random(2)), false, new Random(2));
            announcer.start(again, List.of(url));
            awaitSize(taken, 3);
            assertEquals(List.of("started", "stopped", "started"), taken);
        } finally {
            scheduler.shutdownNow();
            tracker.stop(0);
        }
    }

    /**
     * A seed announced over UDP (BEP 15) to opentracker, the reference tracker: a leecher's HTTP announce to the
     * same tracker lists the seed's advertised address, and the seed's next announce hands the leecher on.
     */
    @Test
    void aSeedAnnouncesOverUdpToOpentrackerAndLeechersGetIt() throws Exception {
        var torrent = TestTorrents.make(TorrentFormat.V1, 16384, 4, 20_000).torrent();
        var hash = torrent.wireHashes().getFirst();
        Path dir = Files.createTempDirectory("opentracker");
        Path whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, hash.hex() + "\n");
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        whitelist.toFile().setReadable(true, false);
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process opentracker = new ProcessBuilder("opentracker", "-i", "127.0.0.1", "-p", Integer.toString(port), "-P",
                Integer.toString(port), "-d", dir.toString(), "-u", "nobody", "-w", "whitelist") // read after the chroot into dir
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        List<List<PeerAddress>> handedOn = new CopyOnWriteArrayList<>();
        try (TrackerAnnouncer announcer = new TrackerAnnouncer(scheduler, PeerId.random("-SH0001-"), "127.0.0.1", 6881,
                Optional.of(Duration.ofSeconds(1)), 50, (swarm, h, peers) -> handedOn.add(peers))) {
            Thread.sleep(300); // opentracker binding
            Swarm swarm = new Swarm(torrent, new Choker(new RoundRobin(), 2, 3, new Random(1)), false, new Random(1));
            announcer.start(swarm, List.of("udp://127.0.0.1:" + port + "/announce"));
            HttpClient http = HttpClient.newHttpClient();
            String leecher = "http://127.0.0.1:" + port + "/announce?info_hash="
                    + PercentEncoding.encode(hash.bytes()) + "&peer_id=-LT2080-leecher00001&port=51413"
                    + "&uploaded=0&downloaded=0&left=1000&compact=1";
            List<PeerAddress> listed = List.of();
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (listed.stream().noneMatch(p -> p.port() == 6881) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                byte[] body = http.send(HttpRequest.newBuilder(URI.create(leecher)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                listed = HttpTrackerResponses.parseAnnounce(body).peers();
            }
            assertEquals(true, listed.stream().anyMatch(p -> p.port() == 6881 && p.address().getHostAddress().equals("127.0.0.1")),
                    "the leecher is told of the seed: " + listed);
            while (handedOn.stream().flatMap(List::stream).noneMatch(p -> p.port() == 51413) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(true, handedOn.stream().flatMap(List::stream).anyMatch(p -> p.port() == 51413),
                    "the seed's next UDP announce hands the leecher on: " + handedOn);
        } finally {
            scheduler.shutdownNow();
            opentracker.destroy();
            opentracker.waitFor();
        }
    }

    private static void awaitSize(List<String> taken, int size) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (taken.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
