package io.shoal.metadata.service;

import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.hashing.PieceHashesCodec;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.StoredFile;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Stores an upload's content and piece hashes in the real store the way the gateway does, and makes its event. */
public final class Uploads {

    static final int PIECE = 16384;

    private Uploads() {
    }

    public static byte[] content(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    /** @param lie store one piece hash too few */
    public static ArtifactUploadedEvent upload(BlobStore blobs, String name, byte[] content, String comment, boolean lie) throws Exception {
        UUID id = UUID.randomUUID();
        TorrentLayout layout = TorrentLayout.singleFile(name, content.length, PIECE, TorrentFormat.V1);
        PieceHashes hashes;
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            hasher.update(content, 0, content.length);
            hashes = hasher.finish();
        }
        if (lie) {
            byte[] pieces = hashes.v1Pieces();
            hashes = new PieceHashes(Arrays.copyOf(pieces, pieces.length - 20), hashes.files());
        }
        blobs.put(ObjectKeys.content(id, 0), content, "application/octet-stream");
        blobs.put(ObjectKeys.pieceHashes(id), PieceHashesCodec.encode(hashes), "application/octet-stream");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return new ArtifactUploadedEvent(id.toString(), name, "v1", PIECE, false, true,
                List.of(new StoredFile(List.of(name), content.length, sha256, ObjectKeys.content(id, 0))), sha256, content.length,
                blobs.bucket(), ObjectKeys.pieceHashes(id), comment, System.currentTimeMillis());
    }

    public static UUID id(ArtifactUploadedEvent event) {
        return UUID.fromString(event.artifactId());
    }

    /** The same event for a private torrent (BEP 27). */
    static ArtifactUploadedEvent asPrivate(ArtifactUploadedEvent event) {
        return new ArtifactUploadedEvent(event.artifactId(), event.name(), event.format(), event.pieceLength(), true,
                event.singleFile(), event.files(), event.sha256(), event.size(), event.bucket(), event.pieceHashesKey(), event.comment(),
                event.uploadedAtMillis());
    }

    /** The same event with other files and size: what a forger or a broken gateway might send. */
    static ArtifactUploadedEvent withFiles(ArtifactUploadedEvent event, List<StoredFile> files, long size) {
        return new ArtifactUploadedEvent(event.artifactId(), event.name(), event.format(), event.pieceLength(), event.privateTorrent(),
                event.singleFile(), files, event.sha256(), size, event.bucket(), event.pieceHashesKey(), event.comment(),
                event.uploadedAtMillis());
    }
}
