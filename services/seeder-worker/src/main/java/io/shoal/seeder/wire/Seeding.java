package io.shoal.seeder.wire;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.Swarm;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The torrents this worker seeds, by the 20-byte hashes peers handshake with, and what every connection
 * shares: the piece store, the limits, our peer id and the connection count.
 */
public final class Seeding {

    private final Map<InfoHash, Swarm> byHash = new ConcurrentHashMap<>();
    private final Map<String, Swarm> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
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

    public Collection<Swarm> swarms() {
        return List.copyOf(byKey.values());
    }

    /** Starts serving a torrent; a swarm already under its key is replaced (and returned, to be closed). */
    public Optional<Swarm> add(Swarm swarm) {
        Swarm previous = byKey.put(swarm.torrent().key(), swarm);
        if (previous != null) {
            previous.torrent().wireHashes().forEach(h -> byHash.remove(h, previous));
        }
        swarm.torrent().wireHashes().forEach(h -> byHash.put(h, swarm));
        return Optional.ofNullable(previous);
    }

    /** Stops serving a torrent: it is no longer found by its hashes; the caller closes the swarm. */
    public Optional<Swarm> remove(String key) {
        Swarm swarm = byKey.remove(key);
        if (swarm != null) {
            swarm.torrent().wireHashes().forEach(h -> byHash.remove(h, swarm));
        }
        return Optional.ofNullable(swarm);
    }

    /** Counts a new connection in, unless the worker has {@code total} already. */
    boolean openConnection() {
        if (connections.incrementAndGet() > settings.total()) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void closeConnection() {
        connections.decrementAndGet();
    }

    public int connections() {
        return connections.get();
    }
}
