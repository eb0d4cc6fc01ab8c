package io.shoal.seeder.catalog;

import io.shoal.events.TorrentPublishedEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest publication of each torrent this worker should seed. A load is queued per publication and, when it
 * runs (or retries), seeds only if its publication is still the one wanted: a newer one supersedes it. The same
 * publication read again (metadata re-sends what it cannot see on the topic yet, so a record can arrive twice
 * within milliseconds) queues nothing and keeps the instance the queued load holds. {@link #want} and {@link #drop}
 * run on the follower's thread only; {@link #current} on the loader's.
 */
public final class WantedTorrents {

    private final Map<String, TorrentPublishedEvent> wanted = new ConcurrentHashMap<>();

    /** Records a publication; returns whether it needs a load (new, or different from the one wanted). */
    public boolean want(String key, TorrentPublishedEvent torrent) {
        if (torrent.equals(wanted.get(key))) {
            return false;
        }
        wanted.put(key, torrent);
        return true;
    }

    /** Whether the load of this very publication should still seed it. */
    public boolean current(String key, TorrentPublishedEvent torrent) {
        return wanted.get(key) == torrent;
    }

    public void drop(String key) {
        wanted.remove(key);
    }
}
