package io.shoal.seeder.announce;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.seeder.swarm.Swarm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Announces each seeded torrent to its HTTP and UDP (BEP 15) trackers as a seed (left=0): {@code started} when seeding
 * starts, again every interval the tracker asks for, {@code stopped} when it ends. A hybrid torrent is
 * announced under both hashes (a tracker keeps a swarm per hash). The leechers an answer lists are handed
 * on, so the worker connects out to them: some clients (Transmission) only take peers that reach them.
 */
public final class TrackerAnnouncer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrackerAnnouncer.class);
    private static final Duration RETRY = Duration.ofSeconds(15);

    /** Where the leechers of an answer go: the swarm, the hash it was announced under, the peers. */
    public interface Leechers {
        void found(Swarm swarm, InfoHash hash, List<PeerAddress> peers);
    }

    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final UdpTrackerClient udp = new UdpTrackerClient();
    private final PeerId peerId;
    private final String advertisedHost;
    private final int advertisedPort;
    private final Optional<Duration> maxInterval;
    private final int numwant;
    private final Leechers leechers;
    private final String key = Long.toHexString(Double.doubleToLongBits(Math.random()) & 0xffffffffL);
    /** What is announced now; the next announce of each, once scheduled. */
    private final Set<Announced> active = ConcurrentHashMap.newKeySet();
    private final Map<Announced, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();
    /** Announces the tracker took since they started or last failed: the first success of each is logged. */
    private final Set<Announced> confirmed = ConcurrentHashMap.newKeySet();
    /**
     * {@code stopped} announces not answered yet, by tracker and hash. A swarm seeded again right after it stopped
     * (its partition moved away and back, after a Kafka restart) announces {@code started} only once the tracker
     * has answered the {@code stopped}: sent side by side, the tracker could take them in the other order and drop
     * a seed that is there, until its next announce an interval later.
     */
    private final Map<String, CompletableFuture<?>> stopping = new ConcurrentHashMap<>();

    private record Announced(Swarm swarm, String tracker, InfoHash hash) {
        /** The tracker's swarm this announces into, whichever seeding of the torrent it is. */
        String endpoint() {
            return tracker + " " + hash.hex();
        }
    }

    public TrackerAnnouncer(ScheduledExecutorService scheduler, PeerId peerId, String advertisedHost, int advertisedPort,
                            Optional<Duration> maxInterval, int numwant, Leechers leechers) {
        this.scheduler = scheduler;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.peerId = peerId;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        this.maxInterval = maxInterval;
        this.numwant = numwant;
        this.leechers = leechers;
    }

    public void start(Swarm swarm, List<String> trackers) {
        for (String tracker : trackers) {
            if (!tracker.startsWith("http://") && !tracker.startsWith("https://") && !tracker.startsWith("udp://")) {
                LOG.debugf("not announcing %s to %s: only HTTP and UDP trackers are announced to", swarm.torrent(), tracker);
                continue;
            }
            for (InfoHash hash : swarm.torrent().wireHashes()) {
                Announced target = new Announced(swarm, tracker, hash);
                active.add(target);
                CompletableFuture<?> stopped = stopping.get(target.endpoint());
                if (stopped == null) {
                    scheduler.execute(() -> announce(target, "started"));
                } else {
                    stopped.whenComplete((answer, failure) -> scheduler.execute(() -> announce(target, "started")));
                }
            }
        }
    }

    /** Ends the announces of a swarm with {@code stopped}; returns when they are sent (or failed). */
    public CompletableFuture<Void> stop(Swarm swarm) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Announced target : List.copyOf(active)) {
            if (target.swarm() == swarm) {
                active.remove(target);
                confirmed.remove(target);
                ScheduledFuture<?> next = scheduled.remove(target);
                if (next != null) {
                    next.cancel(false);
                }
                CompletableFuture<?> stopped = send(target, "stopped").handle((r, e) -> null);
                stopping.put(target.endpoint(), stopped);
                stopped.whenComplete((r, e) -> stopping.remove(target.endpoint(), stopped));
                sent.add(stopped);
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private void announce(Announced target, String event) {
        if (!active.contains(target)) {
            return;
        }
        send(target, event).whenComplete((answer, failure) -> {
            Duration next;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                LOG.warnf("announcing %s to %s failed: %s; again in %d s", target.swarm().torrent(), target.tracker(),
                        cause.getMessage(), RETRY.toSeconds());
                next = RETRY;
                confirmed.remove(target);
            } else {
                next = Duration.ofSeconds(Math.max(1, answer.interval()));
                if (maxInterval.isPresent() && maxInterval.get().compareTo(next) < 0) {
                    next = maxInterval.get().compareTo(Duration.ofSeconds(answer.minInterval())) < 0
                            ? Duration.ofSeconds(answer.minInterval()) : maxInterval.get();
                }
                List<PeerAddress> peers = answer.peers().stream()
                        .filter(p -> p.port() != advertisedPort || !p.address().getHostAddress().equals(advertisedHost))
                        .toList();
                if (!peers.isEmpty()) {
                    leechers.found(target.swarm(), target.hash(), peers);
                }
                if (active.contains(target) && confirmed.add(target)) {
                    LOG.infof("announced %s to %s as %s:%d: %d peers handed back, again in %d s", target.swarm().torrent(),
                            target.tracker(), advertisedHost, advertisedPort, peers.size(), next.toSeconds());
                }
            }
            if (active.contains(target)) {
                scheduled.put(target, scheduler.schedule(() -> announce(target, ""), next.toMillis(), TimeUnit.MILLISECONDS));
            }
        });
    }

    private CompletableFuture<AnnounceResponse> send(Announced target, String event) {
        if (target.tracker().startsWith("udp://")) {
            try {
                AnnounceRequest request = new AnnounceRequest(target.hash(), peerId, advertisedPort, target.swarm().servedBytes(), 0, 0,
                        switch (event) {
                            case "started" -> AnnounceEvent.STARTED;
                            case "stopped" -> AnnounceEvent.STOPPED;
                            default -> AnnounceEvent.NONE;
                        }, OptionalInt.of(numwant), true, false, Optional.of(advertisedHost), Optional.of(key));
                return udp.announce(URI.create(target.tracker()), request);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new IOException("not a usable tracker URL: " + target.tracker()));
            }
        }
        String url = target.tracker() + (target.tracker().contains("?") ? "&" : "?")
                + "info_hash=" + PercentEncoding.encode(target.hash().bytes())
                + "&peer_id=" + PercentEncoding.encode(peerId.bytes())
                + "&port=" + advertisedPort
                + "&uploaded=" + target.swarm().servedBytes() + "&downloaded=0&left=0"
                + "&compact=1&numwant=" + numwant + "&key=" + key
                + "&ip=" + PercentEncoding.encode(advertisedHost)
                + (event.isEmpty() ? "" : "&event=" + event);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("not a usable tracker URL: " + target.tracker()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new CompletionException(new IOException("HTTP " + response.statusCode()));
            }
            try {
                return HttpTrackerResponses.parseAnnounce(response.body());
            } catch (TrackerRequestException e) {
                throw new CompletionException(new IOException("tracker says: " + e.getMessage()));
            }
        });
    }

    /** Sends {@code stopped} for everything still announced, waiting at most a few seconds. */
    @Override
    public void close() {
        List<Swarm> swarms = active.stream().map(Announced::swarm).distinct().toList();
        List<CompletableFuture<Void>> stops = swarms.stream().map(this::stop).toList();
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("not every tracker heard the stop: %s", e.getMessage());
        }
        http.close();
        udp.close();
    }
}
