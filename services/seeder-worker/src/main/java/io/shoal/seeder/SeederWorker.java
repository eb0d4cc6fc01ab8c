package io.shoal.seeder;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.events.EventJson;
import io.shoal.events.HostReportsEvent;
import io.shoal.events.PreheatRequestedEvent;
import io.shoal.events.SeederStatsEvent;
import io.shoal.events.ShoalTopic;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.objectstore.BlobStore;
import io.shoal.platform.KafkaClientProperties;
import io.shoal.platform.RecentRecords;
import io.shoal.platform.dht.DhtSettings;
import io.shoal.platform.dht.LocalDhtNode;
import io.shoal.seeder.announce.DhtAnnouncer;
import io.shoal.seeder.announce.TrackerAnnouncer;
import io.shoal.seeder.catalog.TorrentAssignments;
import io.shoal.seeder.catalog.WantedTorrents;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.ChokingPolicy;
import io.shoal.seeder.choke.LedgerFirst;
import io.shoal.seeder.preheat.PreheatRequests;
import io.shoal.seeder.preheat.Preheater;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.HostReports;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.wire.PeerWireServer;
import io.shoal.seeder.wire.Seeding;
import io.shoal.seeder.wire.WireSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The worker: takes its share of shoal.torrents, loads each torrent's .torrent from the store, serves it on
 * the peer wire, announces it, runs the choking rounds and peer exchange, and publishes the ledger.
 */
@ApplicationScoped
public class SeederWorker implements TorrentAssignments.Target {

    private static final Logger LOG = Logger.getLogger(SeederWorker.class);
    private static final Duration PEX_INTERVAL = Duration.ofSeconds(60);
    private static final Duration LOAD_RETRY = Duration.ofSeconds(5);

    private final SeederConfig config;
    private final BlobStore blobs;
    private final SeederMetrics metrics;
    private final KafkaClientProperties kafka;
    private final PeerId peerId = PeerId.of(peerIdBytes());
    private final Set<String> superSeeded;
    /** Policies keep no state: one serves every torrent. A misspelt name fails startup. */
    private final ChokingPolicy policy;
    /** BEP 3: the optimistic unchoke moves every this many choking rounds (30 s / 10 s). */
    private final int optimisticEvery;
    private final WantedTorrents wanted = new WantedTorrents();
    private final AtomicInteger loading = new AtomicInteger();
    private ExecutorService loader;
    private ExecutorService readers;
    private ScheduledExecutorService scheduler;
    private Seeding seeding;
    private PeerWireServer server;
    private TrackerAnnouncer announcer;
    private final DhtSettings dht;
    private final MeterRegistry registry;
    private LocalDhtNode dhtNode;
    /** Announces torrents to the DHT; absent with SHOAL_DHT_ENABLED=false. */
    private Optional<DhtAnnouncer> dhtAnnouncer = Optional.empty();
    private TorrentAssignments assignments;
    private Preheater preheater;
    private RecentRecords<PreheatRequestedEvent> preheatRequests;
    /** The hosts' reports to the tracker, followed only for the ledger choking policy. */
    private RecentRecords<HostReportsEvent> hostReports;
    private KafkaProducer<String, byte[]> stats;
    private long lastStats = System.currentTimeMillis();
    private int port;

    SeederWorker(SeederConfig config, BlobStore blobs, SeederMetrics metrics,
                 KafkaClientProperties kafka, DhtSettings dht, MeterRegistry registry) {
        this.config = config;
        this.dht = dht;
        this.registry = registry;
        this.blobs = blobs;
        this.metrics = metrics;
        this.kafka = kafka;
        this.superSeeded = config.superSeeding().torrents().orElse(List.of()).stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.policy = ChokingPolicy.named(config.choking().policy());
        this.optimisticEvery = (int) Math.max(1, config.choking().optimisticInterval().toMillis()
                / config.choking().interval().toMillis());
    }

    /** Direct memory the network needs beside the piece cache (socket reads, encryption, Netty's pools). */
    private static final long DIRECT_HEADROOM = 64L << 20;

    private static byte[] peerIdBytes() {
        byte[] id = new byte[20];
        byte[] prefix = "-SH0010-".getBytes(StandardCharsets.US_ASCII); // Azureus style: client SH, version 0.1.0
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        for (int i = prefix.length; i < id.length; i++) {
            id[i] = (byte) "0123456789abcdefghijklmnopqrstuvwxyz".charAt(ThreadLocalRandom.current().nextInt(36));
        }
        return id;
    }

    void start(@Observes @Priority(10) StartupEvent event) throws InterruptedException, IOException {
        SeederConfig.Connections c = config.connections();
        int advertisedPort = config.advertisedPort().orElse(config.peerPort());
        readers = Executors.newFixedThreadPool(config.cache().readers(), daemon("piece-reader"));
        long cacheBytes = config.cache().size().bytes(Runtime.getRuntime().maxMemory());
        long direct = PlatformDependent.maxDirectMemory();
        if (cacheBytes > direct - DIRECT_HEADROOM) {
            throw new IllegalStateException("a piece cache of " + (cacheBytes >> 20) + " MiB (SHOAL_SEEDER_CACHE_SIZE) does not fit in "
                    + (direct >> 20) + " MiB of direct memory with " + (DIRECT_HEADROOM >> 20) + " MiB for the network: lower the"
                    + " cache or raise -XX:MaxDirectMemorySize (by default the heap's maximum)");
        }
        PieceStore store = new PieceStore(blobs::readRange, cacheBytes, config.cache().readAhead(),
                readers, metrics);
        seeding = new Seeding(store, new WireSettings(c.perTorrent(), c.total(), c.perAddress(), c.perAddressTotal(),
                c.requestQueue().orElse(WireSettings.requestQueueFor(config.uploadRateLimit(), config.choking().uploadSlots())),
                c.handshakeTimeout(), c.idleTimeout(), c.keepAlive(), advertisedPort, config.encryption(),
                c.maxUnsentBytes(), c.allowedFast()), peerId, metrics);
        metrics.watch(seeding);
        preheater = new Preheater(store, config.preheat().parallelReads(), config.preheat().window(), Clock.systemUTC());
        server = new PeerWireServer(seeding, Math.max(2, Runtime.getRuntime().availableProcessors()), config.uploadRateLimit());
        port = server.bind(config.peerHost(), config.peerPort());
        scheduler = Executors.newScheduledThreadPool(2, daemon("seeder-scheduler"));
        loader = Executors.newSingleThreadExecutor(daemon("torrent-loader"));
        announcer = new TrackerAnnouncer(scheduler, peerId, config.advertisedHost(), advertisedPort,
                config.announce().maxInterval(), config.announce().connectOut(), this::dial);
        if (dht.enabled()) {
            // BEP 5: the DHT node listens on the peer port's number, over UDP
            InetAddress advertised = InetAddress.getByName(config.advertisedHost());
            dhtNode = LocalDhtNode.start(dht, dht.host().orElse(config.peerHost()), dht.port().orElse(port), Optional.of(advertised),
                    registry, "seeder-worker");
            dhtAnnouncer = Optional.of(new DhtAnnouncer(dhtNode.endpoint(), scheduler, PeerAddress.of(advertised, advertisedPort),
                    dht.announceInterval()));
        }
        long chokeMillis = config.choking().interval().toMillis();
        scheduler.scheduleAtFixedRate(() -> each(Swarm::chokeRound), chokeMillis, chokeMillis, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(() -> each(Swarm::exchangePeers), PEX_INTERVAL.toMillis(), PEX_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        Properties producer = kafka.properties();
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        stats = new KafkaProducer<>(producer);
        long statsMillis = config.statsInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::publishStats, statsMillis, statsMillis, TimeUnit.MILLISECONDS);
        assignments = new TorrentAssignments(kafka.properties(), config.group(), "seeder-" + peerId, config.sessionTimeout(), this);
        metrics.watch(assignments);
        assignments.start();
        preheatRequests = PreheatRequests.follow(kafka.properties(), "seeder-preheat-" + peerId, config.preheat().window(),
                Clock.systemUTC(), this::preheat);
        preheatRequests.start();
        if (policy instanceof LedgerFirst) {
            hostReports = HostReports.follow(kafka.properties(), "seeder-hosts-" + peerId, config.ledgerRetention(), Clock.systemUTC(),
                    seeding::swarm);
            hostReports.start();
        }
        LOG.infof("seeder-worker %s: peer wire on port %d, advertised as %s:%d; %d upload slots (%s), cache %d MiB%s",
                peerId, port, config.advertisedHost(), advertisedPort, config.choking().uploadSlots(), config.choking().policy(),
                cacheBytes >> 20, config.uploadRateLimit() > 0 ? ", upload capped at " + config.uploadRateLimit() + " B/s" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        if (preheatRequests != null) {
            preheatRequests.stop();
        }
        if (hostReports != null) {
            hostReports.stop();
        }
        if (assignments != null) {
            assignments.stop(); // retires every torrent: their announces end with "stopped"
        }
        if (loader != null) {
            loader.shutdown();
            try {
                loader.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (announcer != null) {
            announcer.close();
        }
        if (dhtNode != null) {
            dhtNode.close();
        }
        if (server != null) {
            server.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (readers != null) {
            readers.shutdownNow();
        }
        if (stats != null) {
            stats.close(Duration.ofSeconds(2));
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void each(Consumer<Swarm> action) {
        for (Swarm swarm : seeding.swarms()) {
            try {
                action.accept(swarm);
            } catch (RuntimeException e) {
                LOG.errorf(e, "periodic work on %s failed", swarm.torrent());
            }
        }
    }

    // TorrentAssignments.Target, called on the consumer's thread: the work goes to the loader, in order

    @Override
    public void seed(String key, TorrentPublishedEvent torrent) {
        if (!wanted.want(key, torrent)) {
            return;
        }
        loading.incrementAndGet();
        loader.execute(() -> load(key, torrent));
    }

    @Override
    public void retire(String key, String why) {
        wanted.drop(key);
        loading.incrementAndGet();
        try {
            loader.execute(() -> {
                try {
                    stopSeeding(key, why);
                } finally {
                    loading.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            loading.decrementAndGet();
            stopSeeding(key, why);
        }
    }

    private void load(String key, TorrentPublishedEvent torrent) {
        try {
            if (!wanted.current(key, torrent)) {
                return;
            }
            byte[] file = readTorrentFile(torrent);
            SeededTorrent seeded = SeededTorrent.of(torrent, file);
            // the key is the v1 hash or a v2-only torrent's truncated v2 hash; the full v2 hash names it too
            boolean superSeeding = config.superSeeding().all() || superSeeded.contains(key)
                    || torrent.infoHashV2() != null && superSeeded.contains(torrent.infoHashV2());
            Swarm swarm = new Swarm(seeded, new Choker(policy, config.choking().uploadSlots(), optimisticEvery,
                    ThreadLocalRandom.current()), superSeeding, ThreadLocalRandom.current());
            seeding.add(swarm).ifPresent(old -> {
                announcer.stop(old);
                dhtAnnouncer.ifPresent(d -> d.stop(old));
                old.close("replaced by a newer publication");
            });
            metrics.seeding(swarm);
            announcer.start(swarm, torrent.trackers());
            dhtAnnouncer.ifPresent(d -> d.start(swarm));
            preheater.seeding(seeded);
            LOG.infof("seeding %s: %d pieces of %d bytes, %d bytes%s", seeded, seeded.pieceCount(), seeded.pieceLength(),
                    seeded.length(), superSeeding ? ", super-seeding" : "");
        } catch (MetainfoException | BlobStore.TooLargeException e) {
            LOG.errorf("cannot seed %s (%s): %s", key, torrent.name(), e.getMessage());
        } catch (Exception e) {
            if (wanted.current(key, torrent)) {
                LOG.warnf("cannot read the .torrent of %s (%s) yet: %s; retrying in %d s", key, torrent.name(), e.getMessage(),
                        LOAD_RETRY.toSeconds());
                loading.incrementAndGet();
                scheduler.schedule(() -> loader.execute(() -> load(key, torrent)), LOAD_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            loading.decrementAndGet();
        }
    }

    /**
     * The .torrent an event names, read only from Shoal's own bucket and key layout and only up to the size Shoal
     * writes: a forged record on shoal.torrents must not make the worker fetch any object of any bucket whole.
     */
    private byte[] readTorrentFile(TorrentPublishedEvent torrent) throws Exception {
        String key = SeededTorrent.torrentFileKey(torrent, blobs.bucket());
        return blobs.read(key, Metainfo.MAX_TORRENT_BYTES).orElseThrow(() -> new IOException("no object " + key + " yet"));
    }

    private void stopSeeding(String key, String why) {
        seeding.remove(key).ifPresent(swarm -> {
            announcer.stop(swarm);
            dhtAnnouncer.ifPresent(d -> d.stop(swarm));
            swarm.close(why);
            preheater.retired(key);
            seeding.store().forget(swarm.torrent(), seeding.swarms().stream().map(Swarm::torrent).toList());
            metrics.retired(key);
            LOG.infof("stopped seeding %s: %s", swarm.torrent(), why);
        });
    }

    /** A preheat request from the topic, in order with the torrents' loads (so a torrent being loaded is found). */
    private void preheat(PreheatRequestedEvent request) {
        try {
            loader.execute(() -> preheater.requested(request, seeding.swarm(request.swarmKey()).map(Swarm::torrent)));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Connects out to the leechers an announce listed (they may only take peers that reach them). */
    private void dial(Swarm swarm, InfoHash hash, List<PeerAddress> peers) {
        int room = Math.min(config.connections().perTorrent() - swarm.size(), config.announce().connectOut());
        for (PeerAddress peer : peers) {
            if (room <= 0 || seeding.connections() >= config.connections().total() || swarm.closed()) {
                return;
            }
            InetSocketAddress address = new InetSocketAddress(peer.address(), peer.port());
            if (!swarm.connectedTo(address) && !swarm.knownSeed(address)) {
                server.dial(address, swarm, hash);
                room--;
            }
        }
    }

    private void publishStats() {
        try {
            long now = System.currentTimeMillis();
            seeding.swarms().forEach(s -> s.forgetGone(config.ledgerRetention()));
            Map<String, Long> cached = seeding.store().cachedBytes(seeding.swarms().stream().map(Swarm::torrent).toList());
            List<SeederStatsEvent.TorrentStats> torrents = seeding.swarms().stream().map(s -> new SeederStatsEvent.TorrentStats(
                    s.torrent().key(), s.torrent().name(), s.servedBytes(), s.takeServedSinceReport(), s.size(), s.superSeeding(),
                    s.ledger().stream().map(p -> new SeederStatsEvent.PeerStats(p.peerId(), p.address(), p.servedBytes(),
                            p.receivedBytes())).toList(), cached.getOrDefault(s.torrent().key(), 0L),
                    preheater.stats(s.torrent().key()).orElse(null))).toList();
            SeederStatsEvent event = new SeederStatsEvent(peerId.toString(), config.advertisedHost() + ":"
                    + config.advertisedPort().orElse(config.peerPort()), now, now - lastStats, seeding.connections(), torrents,
                    metrics.cache());
            lastStats = now;
            // also when it seeds nothing: the gateway learns a worker is alive (a new torrent is about to be seeded,
            // its web seed steps aside at once) and metadata learns the worker's peer id before the worker announces
            stats.send(new ProducerRecord<>(ShoalTopic.SEEDER_STATS.topicName(), event.seederId(), EventJson.write(event)),
                    (meta, e) -> {
                        if (e != null) {
                            LOG.warnf("the ledger did not reach %s: %s", ShoalTopic.SEEDER_STATS.topicName(), e.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warnf("publishing the ledger failed: %s", e.getMessage());
        }
    }

    // for the REST resource and readiness

    String choking() {
        return config.choking().policy();
    }

    Seeding seeding() {
        return seeding;
    }

    boolean ready() {
        return server != null && server.listening() && assignments != null && assignments.caughtUp() && loading.get() == 0;
    }

    int port() {
        return port;
    }

    PeerId peerId() {
        return peerId;
    }
}
