package io.shoal.metadata.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.objectstore.ObjectUpload;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The janitor against the real store and catalog: what a decided upload left is reclaimed at once, what an
 * undecided one wrote only once abandoned (older than the grace period, 24 h, and no event waiting), and objects of
 * published artifacts never.
 */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class JanitorTest {

    static final Duration LATER = Duration.ofDays(2);

    @Inject
    Janitor janitor;
    @Inject
    UploadService uploads;
    @Inject
    CatalogService catalog;
    @Inject
    BlobStore blobs;

    private boolean there(String key) throws Exception {
        return blobs.size(key).isPresent();
    }

    @Test
    void leftovers_of_decided_uploads_go_at_once_and_published_objects_stay() throws Exception {
        ArtifactUploadedEvent published = Uploads.upload(blobs, "kept.bin", Uploads.content(20_000, 11), null, false);
        assertEquals(UploadService.Result.PUBLISHED, uploads.process(Uploads.id(published), published));
        UUID publishedId = Uploads.id(published);
        // A redundant copy a crash left behind, and the objects of a refused upload that was never cleaned up.
        String stray = ObjectKeys.content(publishedId, 7);
        blobs.put(stray, new byte[10], "application/octet-stream");
        UUID refused = UUID.randomUUID();
        catalog.reject(refused, "refused.bin", "a test");
        blobs.put(ObjectKeys.content(refused, 0), new byte[10], "application/octet-stream");
        blobs.put(ObjectKeys.pieceHashes(refused), new byte[10], "application/octet-stream");
        blobs.put("notes/not-shoals", new byte[1], "text/plain");

        janitor.sweep(Instant.now());

        assertTrue(there(published.files().getFirst().objectKey()), "a published artifact's content");
        assertTrue(there(ObjectKeys.torrent(publishedId)), "its .torrent");
        assertTrue(there(ObjectKeys.pieceHashes(publishedId)), "its piece hashes");
        assertFalse(there(stray), "an unrecorded copy beside it");
        assertFalse(there(ObjectKeys.content(refused, 0)), "a refused upload's content");
        assertFalse(there(ObjectKeys.pieceHashes(refused)), "a refused upload's piece hashes");
        assertTrue(there("notes/not-shoals"), "what is not Shoal's is not touched");
    }

    /**
     * Events other tests sent are handled, but the consumer commits its offsets every few seconds: until it has, the
     * janitor rightly sees events waiting.
     */
    private void awaitUploadsCaughtUp() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!janitor.uploadsCaughtUp() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
    }

    @Test
    void an_undecided_uploads_objects_go_only_once_abandoned() throws Exception {
        UUID undecided = UUID.randomUUID();
        String key = ObjectKeys.content(undecided, 0);
        blobs.put(key, new byte[10], "application/octet-stream");
        awaitUploadsCaughtUp();
        Janitor.Sweep now = janitor.sweep(Instant.now());
        assertTrue(now.uploadsCaughtUp(), "no event waits in this test's Kafka");
        assertTrue(there(key), "an upload may still be streaming or its event waiting");
        janitor.sweep(Instant.now().plus(LATER));
        assertFalse(there(key), "two days later, with no event waiting for it, it is abandoned");
    }

    @Test
    void a_multipart_upload_left_open_is_aborted_once_abandoned() throws Exception {
        String key = ObjectKeys.content(UUID.randomUUID(), 0);
        ObjectUpload open = blobs.upload(key, ObjectUpload.MIN_PART_SIZE, 1);
        byte[] part = new byte[ObjectUpload.MIN_PART_SIZE + 1];
        open.write(part, 0, part.length); // one part sent; the writer dies before completing
        janitor.sweep(Instant.now());
        assertEquals(1, blobs.pendingUploads(key).size(), "young: still being written");
        Janitor.Sweep later = janitor.sweep(Instant.now().plus(LATER));
        assertTrue(later.abortedUploads() >= 1);
        assertEquals(0, blobs.pendingUploads(key).size());
        assertEquals(Optional.empty(), blobs.size(key));
    }
}
