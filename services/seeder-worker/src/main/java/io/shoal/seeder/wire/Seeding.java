package io.shoal.seeder.wire;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.mse.MseHandshake;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.Swarm;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The torrents this worker seeds, by the 20-byte hashes peers handshake with (and, for encrypted handshakes,
 * by {@code HASH('req2', hash)}), and what every connection shares: the piece store, the limits, our peer id
 * and the connection counts, in total and per address.
 */
public final class Seeding {

    private final Map<InfoHash, Swarm> byHash = new ConcurrentHashMap<>();
    private final Map<String, Swarm> byKey = new ConcurrentHashMap<>();
    private final Map<InfoHash, InfoHash> byReq2 = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger streams = new AtomicInteger();
    private final PieceStore store;
    private final WireSettings settings;
    private final PeerId peerId;
    private final WireEvents events;

    public Seeding(PieceStore store, WireSettings settings, PeerId peerId, WireEvents events) {
        this.store = store;
        this.settings = settings;
        this.peerId = peerId;
        this.events = events;
    }

    public PieceStore store() {
        return store;
    }

    /** A connection's pieces are read ahead from now on: it shares the cache's read-ahead budget. */
    void streamStarted() {
        streams.incrementAndGet();
    }

    void streamStopped() {
        streams.decrementAndGet();
    }

    /** Connections whose pieces are read ahead now. */
    int streams() {
        return streams.get();
    }

    public WireSettings settings() {
        return settings;
    }

    public PeerId peerId() {
        return peerId;
    }

    public WireEvents events() {
        return events;
    }

    public Optional<Swarm> swarm(InfoHash wireHash) {
        return Optional.ofNullable(byHash.get(wireHash));
    }

    /** The swarm of the torrent with this key on shoal.torrents. */
    public Optional<Swarm> swarm(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** MSE: the torrents an encrypted handshake may name. */
    public MseHandshake.Torrents encryptedHandshakes() {
        return req2 -> Optional.ofNullable(byReq2.get(InfoHash.of(req2)));
    }

    public Collection<Swarm> swarms() {
        return List.copyOf(byKey.values());
    }

    /** Starts serving a torrent; a swarm already under its key is replaced (and returned, to be closed). */
    public Optional<Swarm> add(Swarm swarm) {
        Swarm previous = byKey.put(swarm.torrent().key(), swarm);
        if (previous != null) {
            previous.torrent().wireHashes().forEach(h -> byHash.remove(h, previous));
        }
        swarm.torrent().wireHashes().forEach(h -> {
            byHash.put(h, swarm);
            byReq2.put(req2(h), h);
        });
        return Optional.ofNullable(previous);
    }

    /** Stops serving a torrent: it is no longer found by its hashes; the caller closes the swarm. */
    public Optional<Swarm> remove(String key) {
        Swarm swarm = byKey.remove(key);
        if (swarm != null) {
            swarm.torrent().wireHashes().forEach(h -> {
                byHash.remove(h, swarm);
                if (!byHash.containsKey(h)) {
                    byReq2.remove(req2(h), h);
                }
            });
        }
        return Optional.ofNullable(swarm);
    }

    /**
     * Counts a new connection from {@code address} in; empty when admitted, else why not (the worker has
     * {@code total} already, or the address its {@code perAddressTotal}).
     */
    Optional<CloseReason> openConnection(InetAddress address) {
        if (connections.incrementAndGet() > settings.total()) {
            connections.decrementAndGet();
            return Optional.of(CloseReason.FULL);
        }
        boolean[] admitted = {true};
        byAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < settings.perAddressTotal();
            return admitted[0] ? count + 1 : n;
        });
        if (!admitted[0]) {
            connections.decrementAndGet();
            return Optional.of(CloseReason.ADDRESS_FULL);
        }
        return Optional.empty();
    }

    void closeConnection(InetAddress address) {
        connections.decrementAndGet();
        byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections open from {@code address}. */
    public int connections(InetAddress address) {
        return byAddress.getOrDefault(address, 0);
    }

    private static InfoHash req2(InfoHash hash) {
        return InfoHash.of(MseHandshake.req2(hash));
    }

    public int connections() {
        return connections.get();
    }
}
