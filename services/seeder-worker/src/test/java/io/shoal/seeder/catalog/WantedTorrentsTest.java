package io.shoal.seeder.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class WantedTorrentsTest {

    private static final String KEY = "ab".repeat(20);

    private static TorrentPublishedEvent published(long at) {
        return new TorrentPublishedEvent("494161cb-0458-4bac-918d-713097a939e9", "image.raw", KEY, null, "v1", 262_144,
                1_000, "cd".repeat(32), false, true, List.of(new StoredFile(List.of("image.raw"), 1_000, "cd".repeat(32), "objects/x")),
                List.of("http://10.77.0.1:6969/announce"), "shoal", "torrents/x.torrent", at);
    }

    /** Seen in the lab: metadata re-sent a publication 49 ms after sending it, and the worker never seeded it. */
    @Test
    void the_same_publication_read_twice_before_its_load_ran_is_still_seeded() {
        WantedTorrents wanted = new WantedTorrents();
        TorrentPublishedEvent first = published(1);
        assertTrue(wanted.want(KEY, first), "a new torrent is loaded");
        assertFalse(wanted.want(KEY, published(1)), "the same publication again queues no second load");
        assertTrue(wanted.current(KEY, first), "the load queued for the first read still seeds it");
    }

    @Test
    void a_newer_publication_supersedes_a_queued_load() {
        WantedTorrents wanted = new WantedTorrents();
        TorrentPublishedEvent first = published(1);
        TorrentPublishedEvent second = published(2);
        assertTrue(wanted.want(KEY, first));
        assertTrue(wanted.want(KEY, second), "a changed publication is loaded again");
        assertFalse(wanted.current(KEY, first), "the older load gives way");
        assertTrue(wanted.current(KEY, second));
    }

    @Test
    void a_retired_torrent_is_not_seeded_by_a_load_still_queued() {
        WantedTorrents wanted = new WantedTorrents();
        TorrentPublishedEvent first = published(1);
        wanted.want(KEY, first);
        wanted.drop(KEY);
        assertFalse(wanted.current(KEY, first));
        assertTrue(wanted.want(KEY, published(1)), "published again after a tombstone: loaded again");
    }
}
