package io.shoal.seeder.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.RoundRobin;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.TestTorrents;
import java.net.InetSocketAddress;
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

    private static void awaitSize(List<String> taken, int size) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (taken.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
