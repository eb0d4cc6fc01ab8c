package io.shoal.metadata.torrent;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.hashing.PieceHashesCodec;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.StoredFile;
import io.shoal.metadata.MetadataConfig;
import io.shoal.metadata.catalog.Catalog;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.objectstore.ObjectStoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes a torrent of an uploaded artifact: checks the event, reads the piece hashes the gateway computed,
 * checks the objects are there, writes the .torrent to the store, records everything, and has the
 * torrent published. Handling the same event twice records one torrent.
 */
@ApplicationScoped
public class UploadProcessor {

    private static final Logger LOG = Logger.getLogger(UploadProcessor.class);

    private final Catalog catalog;
    private final TorrentPublisher publisher;
    private final MinioClient store;
    private final ObjectStoreConfig storeConfig;
    private final MetadataConfig config;

    UploadProcessor(Catalog catalog, TorrentPublisher publisher, MinioClient store, ObjectStoreConfig storeConfig,
                    MetadataConfig config) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.store = store;
        this.storeConfig = storeConfig;
        this.config = config;
    }

    /**
     * @throws IOException        the store failed; the caller retries
     * @throws PersistenceException the database failed; the caller retries
     */
    public void process(ArtifactUploadedEvent event) throws IOException {
        UUID artifactId;
        try {
            artifactId = UUID.fromString(event.artifactId());
        } catch (IllegalArgumentException e) {
            LOG.warnf("dropped an upload event with artifact id '%s': not a UUID", event.artifactId());
            return;
        }
        if (catalog.artifact(artifactId).isPresent()) {
            LOG.debugf("upload %s already recorded; publishing its torrent again", artifactId);
            publisher.publish(artifactId);
            return;
        }
        if (catalog.rejection(artifactId).isPresent()) {
            return;
        }
        TorrentLayout layout;
        PieceHashes hashes;
        try {
            layout = TorrentFactory.layout(event);
            checkKeys(event, artifactId);
            hashes = PieceHashesCodec.decode(read(event.pieceHashesKey()), layout);
            checkObjects(event, artifactId);
        } catch (MetainfoException e) {
            reject(event, artifactId, e.getMessage(), false);
            return;
        }
        Metainfo.Envelope envelope = new Metainfo.Envelope(List.of(config.announceUrls()),
                config.webSeedUrls().orElse(List.of()), Optional.ofNullable(event.comment()),
                Optional.of(config.createdBy()), Optional.of(Instant.ofEpochSecond(event.uploadedAtMillis() / 1000)));
        TorrentFactory.Built built = TorrentFactory.build(layout, hashes, event.privateTorrent(), envelope);
        String torrentKey = ObjectKeys.torrent(artifactId);
        put(torrentKey, built.torrent());
        Catalog.Registration registration;
        try {
            registration = catalog.register(event, built.v1().map(InfoHash::hex), built.v2().map(InfoHash::hex),
                    torrentKey, config.announceUrls());
        } catch (PersistenceException e) {
            if (catalog.published(event.name()).isEmpty()) {
                throw e;
            }
            registration = new Catalog.Registration.NameTaken("'" + event.name() + "' was just taken by another upload");
        }
        switch (registration) {
            case Catalog.Registration.NameTaken taken -> {
                reject(event, artifactId, taken.reason(), true);
                remove(torrentKey);
            }
            case Catalog.Registration.Registered registered -> {
                registered.redundantKeys().forEach(this::remove);
                LOG.infof("artifact '%s' (%s, %d bytes, %s) is torrent %s", event.name(), artifactId, event.size(),
                        event.format(), built.v1().or(built::v2).map(InfoHash::hex).orElseThrow());
                publisher.publish(artifactId);
            }
        }
    }

    /** The upload's objects are its own ({@code content/<id>/…}) or contents metadata already holds. */
    private void checkKeys(ArtifactUploadedEvent event, UUID artifactId) throws MetainfoException {
        if (!storeConfig.bucket().equals(event.bucket())) {
            throw new MetainfoException("bucket '" + event.bucket() + "' (expected: " + storeConfig.bucket() + ")");
        }
        if (!ObjectKeys.pieceHashes(artifactId).equals(event.pieceHashesKey())) {
            throw new MetainfoException("piece hashes at '" + event.pieceHashesKey() + "' (expected: "
                    + ObjectKeys.pieceHashes(artifactId) + ")");
        }
        for (int i = 0; i < event.files().size(); i++) {
            StoredFile file = event.files().get(i);
            if (file.objectKey().startsWith(ObjectKeys.contentPrefix(artifactId))) {
                continue;
            }
            boolean known = catalog.content(file.sha256()).map(c -> c.objectKey.equals(file.objectKey())).orElse(false);
            if (!known) {
                throw new MetainfoException("file " + i + " points at '" + file.objectKey()
                        + "', which is neither this upload's nor stored content with its SHA-256");
            }
        }
    }

    /**
     * Shared content is still there with the announced size: it may have been removed since the gateway
     * looked. The upload's own objects ({@link #checkKeys} holds them to this upload's prefix) were
     * completed by the gateway just before it sent the event, so they are not looked up again.
     */
    private void checkObjects(ArtifactUploadedEvent event, UUID artifactId) throws IOException, MetainfoException {
        for (StoredFile file : event.files()) {
            if (file.objectKey().startsWith(ObjectKeys.contentPrefix(artifactId))) {
                continue;
            }
            Optional<StatObjectResponse> stat = stat(file.objectKey());
            if (stat.isEmpty()) {
                throw new MetainfoException("object " + file.objectKey() + " is gone; upload the artifact again");
            }
            if (stat.get().size() != file.length()) {
                throw new MetainfoException("object " + file.objectKey() + " holds " + stat.get().size()
                        + " bytes, not " + file.length());
            }
        }
    }

    private void reject(ArtifactUploadedEvent event, UUID artifactId, String reason, boolean conflict) {
        LOG.warnf("upload %s of '%s' refused: %s", artifactId, event.name(), reason);
        catalog.reject(artifactId, event.name(), reason, conflict);
        List<String> own = new ArrayList<>();
        for (StoredFile file : event.files()) {
            if (file.objectKey().startsWith(ObjectKeys.contentPrefix(artifactId))) {
                own.add(file.objectKey());
            }
        }
        own.add(ObjectKeys.pieceHashes(artifactId));
        own.forEach(this::remove);
    }

    /** The piece hashes, in one GET: a missing or oversized object is the event's fault, not the store's. */
    private byte[] read(String key) throws IOException, MetainfoException {
        int limit = (int) Math.min(config.maxPieceHashesBytes(), Integer.MAX_VALUE - 16);
        byte[] bytes;
        try (InputStream in = store.getObject(GetObjectArgs.builder().bucket(storeConfig.bucket()).object(key).build())) {
            bytes = in.readNBytes(limit + 1);
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                throw new MetainfoException("no piece hashes at " + key);
            }
            throw storeFailure("reading " + key, e);
        } catch (Exception e) {
            throw storeFailure("reading " + key, e);
        }
        if (bytes.length > limit) {
            throw new MetainfoException("piece hashes of more than " + limit + " bytes (expected: <= " + limit + ")");
        }
        return bytes;
    }

    private static boolean missing(ErrorResponseException e) {
        return "NoSuchKey".equals(e.errorResponse().code()) || "NotFound".equals(e.errorResponse().code());
    }

    private Optional<StatObjectResponse> stat(String key) throws IOException {
        try {
            return Optional.of(store.statObject(StatObjectArgs.builder().bucket(storeConfig.bucket()).object(key).build()));
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw storeFailure("looking up " + key, e);
        } catch (Exception e) {
            throw storeFailure("looking up " + key, e);
        }
    }

    private void put(String key, byte[] bytes) throws IOException {
        try {
            store.putObject(PutObjectArgs.builder().bucket(storeConfig.bucket()).object(key).data(bytes, bytes.length)
                    .contentType("application/x-bittorrent").build());
        } catch (Exception e) {
            throw storeFailure("writing " + key, e);
        }
    }

    /** Best effort: an object left behind costs space, never correctness. */
    void remove(String key) {
        try {
            store.removeObject(RemoveObjectArgs.builder().bucket(storeConfig.bucket()).object(key).build());
        } catch (Exception e) {
            LOG.warnf("could not remove %s from the store: %s", key, e.getMessage());
        }
    }

    private static IOException storeFailure(String what, Exception e) {
        return e instanceof IOException io ? io : new IOException(what + " failed: " + e.getMessage(), e);
    }
}
