package io.shoal.tracker;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.events.TorrentPublishedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The info-hashes this tracker answers for: every torrent Shoal published, as shoal.torrents says. A
 * hybrid torrent has two swarms (BEP 52): its v1 hash and its v2 hash truncated to 20 bytes, because a
 * client connects to a peer with the hash it found the peer under.
 */
public final class TrackedTorrents {

    private final boolean open;
    private final ConcurrentHashMap<InfoHash, String> keyByHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<InfoHash>> hashesByKey = new ConcurrentHashMap<>();
    /** BEP 27: hashes of private torrents, whose peers come from the tracker only. */
    private final Set<InfoHash> privateHashes = ConcurrentHashMap.newKeySet();

    /** @param open track every info-hash, published or not */
    public TrackedTorrents(boolean open) {
        this.open = open;
    }

    public boolean tracks(InfoHash infoHash) {
        return open || keyByHash.containsKey(infoHash);
    }

    /**
     * Whether the DHT may hand out this swarm's peers: a published torrent that is not private. An open tracker's
     * unpublished swarms are not: nothing says whether they are private.
     */
    public boolean sharedByDht(InfoHash infoHash) {
        return keyByHash.containsKey(infoHash) && !privateHashes.contains(infoHash);
    }

    /** Returns the hashes the key tracked before and tracks no longer (a republished torrent may change). */
    public List<InfoHash> publish(String key, TorrentPublishedEvent torrent) {
        List<InfoHash> hashes = new ArrayList<>();
        if (torrent.infoHash() != null) {
            hashes.add(InfoHash.fromHex(torrent.infoHash()));
        }
        if (torrent.infoHashV2() != null) {
            hashes.add(InfoHash.fromHex(torrent.infoHashV2()).truncated());
        }
        hashes.forEach(h -> keyByHash.put(h, key));
        if (torrent.privateTorrent()) {
            privateHashes.addAll(hashes);
        } else {
            hashes.forEach(privateHashes::remove);
        }
        List<InfoHash> before = hashesByKey.put(key, List.copyOf(hashes));
        List<InfoHash> dropped = new ArrayList<>(before == null ? List.of() : before);
        dropped.removeAll(hashes);
        dropped.forEach(keyByHash::remove);
        dropped.forEach(privateHashes::remove);
        return dropped;
    }

    /** A tombstone: returns the hashes no longer tracked. */
    public List<InfoHash> retire(String key) {
        List<InfoHash> hashes = hashesByKey.remove(key);
        if (hashes == null) {
            return List.of();
        }
        hashes.forEach(h -> keyByHash.remove(h, key));
        hashes.forEach(privateHashes::remove);
        return hashes;
    }

    public int size() {
        return hashesByKey.size();
    }
}
