package io.shoal.metadata.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.hashing.PieceHashesCodec;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.StoredFile;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.metadata.catalog.Artifact;
import io.shoal.metadata.catalog.Catalog;
import io.shoal.objectstore.ObjectKeys;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The processor against real PostgreSQL, Kafka and S3 store: idempotent, and strict about what it is sent. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class UploadProcessorTest {

    @Inject
    UploadProcessor processor;
    @Inject
    Catalog catalog;
    @Inject
    MinioClient store;

    @Test
    void theSameEventTwiceMakesOneTorrent() throws Exception {
        ArtifactUploadedEvent event = upload("twice.bin", 100_000, false);
        processor.process(event);
        processor.process(event);
        Artifact artifact = catalog.published("twice.bin").orElseThrow();
        assertEquals(UUID.fromString(event.artifactId()), artifact.id);
        assertEquals(1, catalog.search("twice.bin", 10).size());
        assertTrue(catalog.artifact(artifact.id).orElseThrow().torrent.published, "the torrent was not published");
        assertEquals(List.of(ObjectKeys.torrent(artifact.id)), objects(ObjectKeys.torrent(artifact.id)));
    }

    @Test
    void hashesThatDoNotFitTheContentAreRefusedAndTheUploadsObjectsRemoved() throws Exception {
        ArtifactUploadedEvent event = upload("lying.bin", 100_000, true);
        processor.process(event);
        UUID id = UUID.fromString(event.artifactId());
        assertTrue(catalog.rejection(id).orElseThrow().reason.startsWith("piece hashes"), catalog.rejection(id).orElseThrow().reason);
        assertFalse(catalog.published("lying.bin").isPresent());
        assertEquals(List.of(), objects(ObjectKeys.contentPrefix(id)));
        assertEquals(List.of(), objects(ObjectKeys.pieceHashes(id)));
    }

    @Test
    void anEventPointingAtSomeoneElsesObjectIsRefused() throws Exception {
        ArtifactUploadedEvent honest = upload("honest.bin", 50_000, false);
        StoredFile file = honest.files().getFirst();
        ArtifactUploadedEvent thief = new ArtifactUploadedEvent(UUID.randomUUID().toString(), "thief.bin", "v1",
                honest.pieceLength(), false, true,
                List.of(new StoredFile(List.of("thief.bin"), file.length(), file.sha256(), "content/../../etc/passwd")),
                honest.sha256(), honest.size(), honest.bucket(), honest.pieceHashesKey(), null, honest.uploadedAtMillis());
        processor.process(thief);
        assertTrue(catalog.rejection(UUID.fromString(thief.artifactId())).isPresent());
        assertFalse(catalog.published("thief.bin").isPresent());
    }

    /** Stores content and its piece hashes the way the gateway does; {@code lie} stores one piece too few. */
    private ArtifactUploadedEvent upload(String name, int size, boolean lie) throws Exception {
        UUID id = UUID.randomUUID();
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        int pieceLength = 16384;
        TorrentLayout layout = TorrentLayout.singleFile(name, size, pieceLength, TorrentFormat.V1);
        PieceHashes hashes;
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            hasher.update(content, 0, content.length);
            hashes = hasher.finish();
        }
        if (lie) {
            byte[] pieces = hashes.v1Pieces();
            hashes = new PieceHashes(java.util.Arrays.copyOf(pieces, pieces.length - 20), hashes.files());
        }
        byte[] encoded = PieceHashesCodec.encode(hashes);
        put(ObjectKeys.content(id, 0), content);
        put(ObjectKeys.pieceHashes(id), encoded);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return new ArtifactUploadedEvent(id.toString(), name, "v1", pieceLength, false, true,
                List.of(new StoredFile(List.of(name), size, sha256, ObjectKeys.content(id, 0))), sha256, size, "shoal",
                ObjectKeys.pieceHashes(id), null, System.currentTimeMillis());
    }

    private void put(String key, byte[] bytes) throws Exception {
        store.putObject(PutObjectArgs.builder().bucket("shoal").object(key).data(bytes, bytes.length).build());
    }

    private List<String> objects(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : store.listObjects(ListObjectsArgs.builder().bucket("shoal").prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }
}
