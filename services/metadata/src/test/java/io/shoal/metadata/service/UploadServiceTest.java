package io.shoal.metadata.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoParser;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.events.UploadStatus;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Turning upload events into torrents against real PostgreSQL, Kafka and S3 store: idempotent, strict about what
 * it is sent, the name and content rules in one place, and never stopped by one bad event.
 */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class UploadServiceTest {

    @Inject
    UploadService uploads;
    @Inject
    CatalogService catalog;
    @Inject
    RetirementService retirements;
    @Inject
    BlobStore blobs;

    private UploadService.Result process(ArtifactUploadedEvent event) throws TransientFailure {
        return uploads.process(Uploads.id(event), event);
    }

    private UploadStatus status(ArtifactUploadedEvent event) {
        return catalog.upload(Uploads.id(event));
    }

    private List<String> objects(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        blobs.list(prefix, blob -> keys.add(blob.key()));
        return keys;
    }

    @Test
    void the_same_event_twice_decides_once() throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, "twice.bin", Uploads.content(100_000, 1), null, false);
        assertEquals(UploadService.Result.PUBLISHED, process(event));
        assertEquals(UploadService.Result.ALREADY_HANDLED, process(event));
        assertEquals(event.artifactId(), catalog.published("twice.bin").orElseThrow().artifactId());
        assertEquals(1, catalog.search("twice.bin", 10).size());
        assertEquals(UploadStatus.Status.PUBLISHED, status(event).status());
        assertEquals(List.of(ObjectKeys.torrent(Uploads.id(event))), objects(ObjectKeys.torrent(Uploads.id(event))));
    }

    /** Seen in the lab: the outbox sent a torrent whose own send was awaiting Kafka's ack; it reached the topic twice. */
    @Test
    void the_outbox_leaves_a_torrent_to_its_own_send_until_that_send_could_have_been_acknowledged() throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, "in-flight.bin", Uploads.content(100_000, 41), null, false);
        assertEquals(UploadService.Result.PUBLISHED, process(event));
        UUID id = Uploads.id(event);
        catalog.markPublished(id, false); // as between recording it and Kafka's acknowledgement
        try {
            assertFalse(catalog.unannounced(10_000, Instant.now().minusSeconds(20)).contains(id),
                    "recorded just now: its own send's");
            assertTrue(catalog.unannounced(10_000, Instant.now().plusSeconds(1)).contains(id),
                    "recorded before the cutoff and never acknowledged: the outbox's");
        } finally {
            catalog.markPublished(id, true);
        }
    }

    @Test
    void hashes_that_do_not_fit_the_content_are_refused_and_the_uploads_objects_removed() throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, "lying.bin", Uploads.content(100_000, 2), null, true);
        assertEquals(UploadService.Result.REJECTED, process(event));
        UploadStatus status = status(event);
        assertEquals(UploadStatus.Status.REJECTED, status.status());
        assertTrue(status.reason().startsWith("piece hashes"), status.reason());
        assertFalse(catalog.published("lying.bin").isPresent());
        assertEquals(List.of(), objects(ObjectKeys.contentPrefix(Uploads.id(event))));
        assertEquals(List.of(), objects(ObjectKeys.pieceHashes(Uploads.id(event))));
    }

    @Test
    void forged_event_pointing_at_another_uploads_object_or_outside_the_layout() throws Exception {
        ArtifactUploadedEvent honest = Uploads.upload(blobs, "honest.bin", Uploads.content(50_000, 3), null, false);
        assertEquals(UploadService.Result.PUBLISHED, process(honest));
        StoredFile file = honest.files().getFirst();
        for (String key : List.of(file.objectKey(), "content/../../etc/passwd", ObjectKeys.content(UUID.randomUUID(), 0) + "/../x")) {
            ArtifactUploadedEvent thief = Uploads.upload(blobs, "thief.bin", Uploads.content(50_000, 3), null, false);
            ArtifactUploadedEvent forged = Uploads.withFiles(thief, List.of(new StoredFile(List.of("thief.bin"), file.length(),
                    file.sha256(), key)), thief.size());
            assertEquals(UploadService.Result.REJECTED, process(forged), key);
            assertTrue(status(forged).reason().contains("which is not this upload's"), status(forged).reason());
            assertEquals(List.of(file.objectKey()), objects(file.objectKey()), "the honest upload's object is untouched");
        }
        assertFalse(catalog.published("thief.bin").isPresent());
    }

    /** A NUL went through to PostgreSQL, which refused it; the event blocked its partition and was dropped after a 202. */
    @Test
    void nul_in_comment_is_refused_with_a_reason_not_a_stuck_partition() throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, "nul.bin", Uploads.content(20_000, 4), "a\0b", false);
        assertEquals(UploadService.Result.REJECTED, process(event));
        assertTrue(status(event).reason().contains("U+0000"), status(event).reason());
    }

    @Test
    void forged_file_lengths_that_overflow_are_refused_not_thrown() throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, "overflow.bin", Uploads.content(20_000, 5), null, false);
        StoredFile file = event.files().getFirst();
        ArtifactUploadedEvent forged = new ArtifactUploadedEvent(event.artifactId(), "overflow", "v1", event.pieceLength(), false, false,
                List.of(new StoredFile(List.of("a"), Long.MAX_VALUE - 5, file.sha256(), file.objectKey()),
                        new StoredFile(List.of("b"), Long.MAX_VALUE - 5, file.sha256(), ObjectKeys.content(Uploads.id(event), 1))),
                event.sha256(), 7, event.bucket(), event.pieceHashesKey(), null, 0);
        assertEquals(UploadService.Result.REJECTED, process(forged));
        assertEquals(UploadStatus.Status.REJECTED, status(forged).status());
    }

    /** Replaying a retired artifact's event threw, and the channel's failure strategy crash-looped metadata on it. */
    @Test
    void replaying_a_retired_artifacts_event_changes_nothing() throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, "replayed.bin", Uploads.content(30_000, 6), null, false);
        assertEquals(UploadService.Result.PUBLISHED, process(event));
        assertTrue(retirements.retire("replayed.bin"));
        assertEquals(UploadService.Result.ALREADY_HANDLED, process(event));
        assertFalse(catalog.published("replayed.bin").isPresent());
        assertEquals(Optional.empty(), catalog.event(Uploads.id(event)), "nothing to publish for a retired artifact");
    }

    @Test
    void the_same_name_and_content_again_is_unchanged_and_other_content_is_a_conflict() throws Exception {
        byte[] content = Uploads.content(40_000, 7);
        ArtifactUploadedEvent first = Uploads.upload(blobs, "named.bin", content, null, false);
        assertEquals(UploadService.Result.PUBLISHED, process(first));
        ArtifactUploadedEvent again = Uploads.upload(blobs, "named.bin", content, null, false);
        assertEquals(UploadService.Result.UNCHANGED, process(again));
        assertEquals(UploadStatus.Status.UNCHANGED, status(again).status());
        assertEquals(first.artifactId(), status(again).artifact().artifactId());
        assertEquals(List.of(), objects(ObjectKeys.contentPrefix(Uploads.id(again))), "the second copy is not kept");
        ArtifactUploadedEvent other = Uploads.upload(blobs, "named.bin", Uploads.content(40_000, 8), null, false);
        assertEquals(UploadService.Result.REJECTED, process(other));
        assertTrue(status(other).conflict(), status(other).reason());
        assertEquals(first.artifactId(), catalog.published("named.bin").orElseThrow().artifactId());
    }

    @Test
    void content_shared_by_two_artifacts_is_stored_once() throws Exception {
        byte[] content = Uploads.content(60_000, 9);
        ArtifactUploadedEvent a = Uploads.upload(blobs, "shared-a.bin", content, null, false);
        ArtifactUploadedEvent b = Uploads.upload(blobs, "shared-b.bin", content, null, false);
        assertEquals(UploadService.Result.PUBLISHED, process(a));
        assertEquals(UploadService.Result.PUBLISHED, process(b));
        TorrentPublishedEvent published = catalog.event(Uploads.id(b)).orElseThrow();
        assertEquals(a.files().getFirst().objectKey(), published.files().getFirst().objectKey(), "b's file is a's object");
        assertEquals(a.files().getFirst().objectKey(), catalog.published("shared-b.bin").orElseThrow().files().getFirst().objectKey(),
                "the catalog the gateway reads says so too (it downloads from that object)");
        assertEquals(List.of(), objects(ObjectKeys.contentPrefix(Uploads.id(b))), "b's own copy is gone");
    }

    /** BEP 38: a new torrent names the published ones it shares a file with, so a client holding one takes the file from it. */
    @Test
    void a_torrent_names_the_published_torrents_it_shares_a_file_with_under_similar() throws Exception {
        byte[] content = Uploads.content(50_000, 38);
        ArtifactUploadedEvent first = Uploads.upload(blobs, "similar-a.bin", content, null, false);
        ArtifactUploadedEvent second = Uploads.upload(blobs, "similar-b.bin", content, null, false);
        ArtifactUploadedEvent other = Uploads.upload(blobs, "similar-c.bin", Uploads.content(50_000, 39), null, false);
        for (ArtifactUploadedEvent event : List.of(first, second, other)) {
            assertEquals(UploadService.Result.PUBLISHED, process(event));
        }
        String firstSwarm = catalog.event(Uploads.id(first)).orElseThrow().swarmKey();
        assertEquals(List.of(), similar(first), "nothing published shared its file before it");
        assertEquals(List.of(firstSwarm), similar(second));
        assertEquals(List.of(), similar(other));
    }

    /** BEP 5: a public .torrent names the DHT nodes hosts join through (SHOAL_DHT_BOOTSTRAP); a private one (BEP 27) none. */
    @Test
    void public_torrents_name_the_dht_bootstrap_nodes_and_private_ones_do_not() throws Exception {
        ArtifactUploadedEvent open = Uploads.upload(blobs, "dht-public.bin", Uploads.content(20_000, 5), null, false);
        ArtifactUploadedEvent closed = Uploads.asPrivate(Uploads.upload(blobs, "dht-private.bin", Uploads.content(20_000, 6), null, false));
        assertEquals(UploadService.Result.PUBLISHED, process(open));
        assertEquals(UploadService.Result.PUBLISHED, process(closed));
        assertEquals(Optional.of(BList.of(BList.of(BString.of("127.0.0.1"), BInteger.of(6970)),
                BList.of(BString.of("127.0.0.1"), BInteger.of(6881)))), torrent(open).get("nodes"));
        assertEquals(Optional.empty(), torrent(closed).get("nodes"), "BEP 27: peers from the tracker only");
    }

    private BDict torrent(ArtifactUploadedEvent event) throws Exception {
        TorrentPublishedEvent published = catalog.event(Uploads.id(event)).orElseThrow();
        return BencodeDecoder.decodeDict(blobs.read(published.torrentKey(), Metainfo.MAX_TORRENT_BYTES)
                .orElseThrow(), BencodeLimits.DEFAULT);
    }

    /** The info-hashes (hex) a published upload's .torrent names under {@code similar}. */
    private List<String> similar(ArtifactUploadedEvent event) throws Exception {
        TorrentPublishedEvent published = catalog.event(Uploads.id(event)).orElseThrow();
        Metainfo metainfo = MetainfoParser.parse(blobs.read(published.torrentKey(), Metainfo.MAX_TORRENT_BYTES).orElseThrow());
        return metainfo.info().get("similar").map(v -> ((BList) v).values().stream()
                .map(h -> HexFormat.of().formatHex(((BString) h).bytes())).toList()).orElse(List.of());
    }

    /**
     * A retirement and a registration of the same content at once: whichever the catalog decides first, the published
     * artifact points at an object that is there (it published pointing at a deleted object, a 201 with no bytes).
     */
    @Test
    void dedup_racing_a_retire_never_publishes_an_artifact_without_its_bytes() throws Exception {
        for (int round = 0; round < 8; round++) {
            byte[] content = Uploads.content(30_000 + round, 100 + round);
            ArtifactUploadedEvent old = Uploads.upload(blobs, "race-old-" + round, content, null, false);
            assertEquals(UploadService.Result.PUBLISHED, process(old));
            ArtifactUploadedEvent fresh = Uploads.upload(blobs, "race-new-" + round, content, null, false);
            String oldName = old.name();
            CompletableFuture<Boolean> retired = CompletableFuture.supplyAsync(() -> retirements.retire(oldName));
            UploadService.Result result = process(fresh);
            assertTrue(retired.join());
            assertEquals(UploadService.Result.PUBLISHED, result);
            TorrentPublishedEvent published = catalog.event(Uploads.id(fresh)).orElseThrow();
            String key = published.files().getFirst().objectKey();
            assertEquals(Optional.of((long) content.length), blobs.size(key), "round " + round + ": " + key + " is there");
            assertNotEquals(Optional.empty(), blobs.read(key, content.length));
        }
    }
}
