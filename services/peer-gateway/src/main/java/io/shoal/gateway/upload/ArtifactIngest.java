package io.shoal.gateway.upload;

import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.hashing.PieceHashesCodec;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.FileNames;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.CatalogEntry;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.events.UploadStatus;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.api.ApiException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.TorrentPublications;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.objectstore.ObjectStoreConfig;
import io.shoal.objectstore.ObjectUpload;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Takes an upload from the first byte to a published torrent: streams the bytes into the store while
 * hashing them, keeps one object per distinct content, hands the upload to metadata through
 * {@code shoal.artifacts.uploaded} and waits for the torrent on {@code shoal.torrents}. On any failure
 * before the event is acknowledged, nothing of the upload stays in the store.
 */
@ApplicationScoped
public class ArtifactIngest {

    private static final Logger LOG = Logger.getLogger(ArtifactIngest.class);
    private static final long STATUS_POLL_MILLIS = 1000;

    private final GatewayConfig config;
    private final ObjectStoreConfig storeConfig;
    private final MinioAsyncClient asyncStore;
    private final MinioClient store;
    private final MetadataClient metadata;
    private final TorrentPublications publications;
    private final MutinyEmitter<Record<String, ArtifactUploadedEvent>> uploads;

    ArtifactIngest(GatewayConfig config, ObjectStoreConfig storeConfig, MinioAsyncClient asyncStore, MinioClient store,
                   MetadataClient metadata, TorrentPublications publications,
                   @Channel("artifacts-uploaded") MutinyEmitter<Record<String, ArtifactUploadedEvent>> uploads) {
        this.config = config;
        this.storeConfig = storeConfig;
        this.asyncStore = asyncStore;
        this.store = store;
        this.metadata = metadata;
        this.publications = publications;
        this.uploads = uploads;
    }

    /** What an upload came to: a new artifact (201), the same one again (200), or stored but not yet published (202). */
    public record Outcome(int status, String name, CatalogEntry entry, String serverTiming) {

        Outcome(int status, String name, CatalogEntry entry) {
            this(status, name, entry, null);
        }

        /**
         * With a {@code Server-Timing} value (milliseconds): receiving the body, finishing the store's object
         * after the last byte, and publishing the torrent after that.
         */
        Outcome timed(long started, long received, long stored, long done) {
            return new Outcome(status, name, entry, String.format(java.util.Locale.ROOT,
                    "receive;dur=%d, store;dur=%d, publish;dur=%d", (received - started) / 1_000_000,
                    (stored - received) / 1_000_000, (done - stored) / 1_000_000));
        }
    }

    public static void checkName(String name) throws ApiException {
        try {
            FileNames.checkComponent(name);
        } catch (MetainfoException e) {
            throw ApiException.badRequest("artifact name: " + e.getMessage());
        }
    }

    /** {@code PUT /api/v1/artifacts/{name}}: one file of {@code length} bytes, read from {@code body}. */
    public Outcome putSingleFile(String name, UploadOptions options, long length, InputStream body) throws ApiException {
        checkName(name);
        UUID artifactId = UUID.randomUUID();
        long started = System.nanoTime();
        int pieceLength = options.pieceLengthFor(length);
        TorrentLayout layout;
        try {
            layout = TorrentLayout.singleFile(name, length, pieceLength, options.format());
        } catch (MetainfoException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ObjectUpload upload = ObjectUpload.start(asyncStore, storeConfig.bucket(), ObjectKeys.content(artifactId, 0),
                ObjectUpload.partSizeFor(length, config.partSize()), config.partsInFlight());
        StagedContent staged;
        PieceHashes hashes;
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            staged = StagedContent.stream(body, Optional.of(length), upload, Optional.of(hasher), config.maxUploadBytes());
            hashes = hasher.finish();
        } catch (StagedContent.TooLargeException e) {
            throw new ApiException(413, e.getMessage());
        } catch (MetainfoException e) {
            upload.abort();
            throw ApiException.badRequest(e.getMessage());
        } catch (IOException e) {
            throw storeOrClientFailure(name, e);
        }
        long received = System.nanoTime();

        Optional<CatalogEntry> existing;
        try {
            existing = metadata.artifact(name);
        } catch (ApiException e) {
            staged.discard();
            throw e;
        }
        if (existing.isPresent()) {
            staged.discard();
            return sameArtifact(existing.get(), staged.sha256(), options, pieceLength);
        }
        StoredFile file = keepOrShare(staged, List.of(name));
        long stored = System.nanoTime();
        Outcome outcome = publish(new PendingArtifact(artifactId, name, options, pieceLength, true, List.of(file),
                staged.sha256(), length, hashes));
        long done = System.nanoTime();
        LOG.infof("upload of '%s': %d bytes received in %.1f s (%.0f MiB/s); stored %d ms and answered %d ms after the last byte (%d)",
                name, length, (received - started) / 1e9, length / 1048576.0 / ((received - started) / 1e9),
                (stored - received) / 1_000_000, (done - received) / 1_000_000, outcome.status());
        return outcome.timed(started, received, stored, done);
    }

    /** The most files one multipart upload may hold. */
    static final int MAX_FILES = 10_000;

    /**
     * {@code POST /api/v1/artifacts}: several files into one multi-file torrent. Each file streams into
     * its own object as it arrives (its SHA-256 computed on the way); the torrent's order and piece length
     * are known only once all have arrived, so the piece hashes come from a second pass over the stored
     * objects, read back from the store.
     */
    public Outcome postMultiFile(Optional<String> queryName, UploadOptions options, MultipartBody form) throws ApiException {
        UUID artifactId = UUID.randomUUID();
        long started = System.nanoTime();
        List<StagedContent> staged = new ArrayList<>();
        List<List<String>> paths = new ArrayList<>();
        List<StoredFile> files = new ArrayList<>();
        try {
            long total = 0;
            for (FilePart part = form.next(); part != null; part = form.next()) {
                if (staged.size() == MAX_FILES) {
                    throw ApiException.badRequest("more than " + MAX_FILES + " files");
                }
                List<String> path = filePath(part.filename());
                ObjectUpload upload = ObjectUpload.start(asyncStore, storeConfig.bucket(),
                        ObjectKeys.content(artifactId, staged.size()), config.partSize(), config.partsInFlight());
                StagedContent content = StagedContent.stream(part.body(), Optional.empty(), upload, Optional.empty(),
                        config.maxUploadBytes() - total);
                staged.add(content);
                paths.add(path);
                total += content.length();
            }
            if (staged.isEmpty()) {
                throw ApiException.badRequest("the form holds no files (send them as file parts: curl -F file=@PATH)");
            }
            String name = Optional.ofNullable(form.attributes().get("name")).or(() -> queryName)
                    .orElseThrow(() -> ApiException.badRequest("a multi-file artifact needs a name (form field 'name')"));
            checkName(name);
            int pieceLength = options.pieceLengthFor(total);
            List<FileEntry> entries = new ArrayList<>();
            for (int i = 0; i < staged.size(); i++) {
                entries.add(new FileEntry(paths.get(i), staged.get(i).length(), false));
            }
            TorrentLayout layout;
            try {
                layout = TorrentLayout.multiFile(name, entries, pieceLength, options.format());
            } catch (MetainfoException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            for (int i = 0; i < staged.size(); i++) {
                files.add(keepOrShare(staged.get(i), paths.get(i)));
            }
            staged.clear();
            java.util.Map<List<String>, StoredFile> byPath = new java.util.HashMap<>();
            files.forEach(f -> byPath.put(f.path(), f));
            List<StoredFile> ordered = layout.contentFiles().stream().map(entry -> byPath.get(entry.path())).toList();
            HashedContent hashed = hashStored(layout, ordered);
            Optional<CatalogEntry> existing = metadata.artifact(name);
            if (existing.isPresent()) {
                removeOwn(artifactId, files);
                return sameArtifact(existing.get(), hashed.sha256(), options, pieceLength);
            }
            long received = System.nanoTime();
            Outcome outcome = publish(new PendingArtifact(artifactId, name, options, pieceLength, false, ordered,
                    hashed.sha256(), total, hashed.hashes()));
            LOG.infof("upload of '%s': %d files, %d bytes in %.1f s (%d)", name, ordered.size(), total,
                    (received - started) / 1e9, outcome.status());
            return outcome;
        } catch (StagedContent.TooLargeException e) {
            staged.forEach(StagedContent::discard);
            removeOwn(artifactId, files);
            throw new ApiException(413, e.getMessage());
        } catch (IOException e) {
            staged.forEach(StagedContent::discard);
            removeOwn(artifactId, files);
            throw storeOrClientFailure("a multi-file upload", e);
        } catch (ApiException | RuntimeException e) {
            staged.forEach(StagedContent::discard);
            removeOwn(artifactId, files);
            throw e;
        }
    }

    /** A file's path in the torrent, from its filename: '/'-separated components, each a valid name. */
    static List<String> filePath(String filename) throws ApiException {
        if (filename == null || filename.isEmpty()) {
            throw ApiException.badRequest("a file part without a filename");
        }
        List<String> path = List.of(filename.split("/", -1));
        try {
            FileNames.checkPath(path);
        } catch (MetainfoException e) {
            throw ApiException.badRequest("file '" + filename + "': " + e.getMessage());
        }
        return path;
    }

    private record HashedContent(String sha256, PieceHashes hashes) {
    }

    /** Reads the stored files back in torrent order: the piece hashes and the SHA-256 of all content. */
    private HashedContent hashStored(TorrentLayout layout, List<StoredFile> files) throws IOException {
        java.security.MessageDigest sha256 = StagedContent.newSha256();
        byte[] chunk = new byte[1024 * 1024];
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            for (StoredFile file : files) {
                if (file.length() == 0) {
                    continue;
                }
                try (InputStream in = store.getObject(io.minio.GetObjectArgs.builder().bucket(storeConfig.bucket())
                        .object(file.objectKey()).build())) {
                    int n;
                    while ((n = in.read(chunk)) > 0) {
                        sha256.update(chunk, 0, n);
                        hasher.update(chunk, 0, n);
                    }
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("reading " + file.objectKey() + " back failed: " + e.getMessage(), e);
                }
            }
            return new HashedContent(java.util.HexFormat.of().formatHex(sha256.digest()), hasher.finish());
        } catch (MetainfoException e) {
            throw new IOException("the stored files do not match what arrived: " + e.getMessage(), e);
        }
    }

    /** The name is taken: the same content and options are the same artifact (200), anything else is a 409. */
    static Outcome sameArtifact(CatalogEntry existing, String sha256, UploadOptions options, int pieceLength)
            throws ApiException {
        boolean same = existing.sha256().equals(sha256) && existing.pieceLength() == pieceLength
                && existing.format().equals(options.format().wireName())
                && existing.privateTorrent() == options.privateTorrent();
        if (!same) {
            throw new ApiException(409, "'" + existing.name() + "' is already taken by "
                    + (existing.sha256().equals(sha256) ? "a torrent of this content with other options" : "other content")
                    + "; delete it first or choose another name");
        }
        return new Outcome(200, existing.name(), existing);
    }

    /** Keeps the staged object, unless the store already holds this content: then the existing object serves. */
    StoredFile keepOrShare(StagedContent staged, List<String> path) throws ApiException {
        Optional<CatalogEntry.StoredContent> known;
        try {
            known = metadata.content(staged.sha256());
        } catch (ApiException e) {
            staged.discard();
            throw e;
        }
        if (known.isPresent() && known.get().size() == staged.length()) {
            staged.discard();
            return new StoredFile(path, staged.length(), staged.sha256(), known.get().objectKey());
        }
        try {
            return new StoredFile(path, staged.length(), staged.sha256(), staged.keep());
        } catch (IOException e) {
            throw ApiException.unavailable("the object store failed: " + e.getMessage(), e);
        }
    }

    /** An upload whose bytes are stored, on its way to a torrent. */
    record PendingArtifact(UUID artifactId, String name, UploadOptions options, int pieceLength, boolean singleFile,
                           List<StoredFile> files, String sha256, long size, PieceHashes hashes) {
    }

    Outcome publish(PendingArtifact pending) throws ApiException {
        String id = pending.artifactId().toString();
        String hashesKey = ObjectKeys.pieceHashes(pending.artifactId());
        try {
            byte[] encoded = PieceHashesCodec.encode(pending.hashes());
            store.putObject(PutObjectArgs.builder().bucket(storeConfig.bucket()).object(hashesKey)
                    .data(encoded, encoded.length).build());
        } catch (Exception e) {
            removeOwn(pending);
            throw ApiException.unavailable("the object store failed: " + e.getMessage(), e);
        }
        ArtifactUploadedEvent event = new ArtifactUploadedEvent(id, pending.name(), pending.options().format().wireName(),
                pending.pieceLength(), pending.options().privateTorrent(), pending.singleFile(), pending.files(),
                pending.sha256(), pending.size(), storeConfig.bucket(), hashesKey, pending.options().comment(),
                System.currentTimeMillis());
        CompletableFuture<TorrentPublishedEvent> published = publications.await(id);
        try {
            uploads.send(Record.of(id, event)).await().atMost(config.eventAckTimeout());
        } catch (RuntimeException e) {
            publications.forget(id);
            removeOwn(pending);
            LOG.warnf("upload %s of '%s' not handed over: Kafka did not acknowledge it (%s)", id, pending.name(), e.getMessage());
            throw ApiException.unavailable("Kafka did not acknowledge the upload (" + e.getMessage()
                    + "); nothing was stored, try again", e);
        }
        try {
            return awaitTorrent(pending, published);
        } finally {
            publications.forget(id);
        }
    }

    private Outcome awaitTorrent(PendingArtifact pending, CompletableFuture<TorrentPublishedEvent> published)
            throws ApiException {
        String id = pending.artifactId().toString();
        long deadline = System.nanoTime() + config.publishTimeout().toNanos();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.warnf("upload %s of '%s': no torrent within %d s; metadata will publish it when it catches up",
                        id, pending.name(), config.publishTimeout().toSeconds());
                return new Outcome(202, pending.name(), null);
            }
            try {
                TorrentPublishedEvent event = published.get(Math.min(left, STATUS_POLL_MILLIS), TimeUnit.MILLISECONDS);
                LOG.debugf("uploaded '%s': torrent %s", pending.name(), event.swarmKey());
                return new Outcome(201, pending.name(), entryOf(event, pending.options().comment()));
            } catch (TimeoutException e) {
                // Metadata may have refused the upload (a name taken meanwhile) or be slow: ask it.
                Optional<UploadStatus> status = pollStatus(id);
                if (status.isPresent() && "REJECTED".equals(status.get().status())) {
                    throw new ApiException(status.get().conflict() ? 409 : 422, status.get().reason());
                }
                if (status.isPresent() && status.get().artifact() != null) {
                    return new Outcome(201, pending.name(), status.get().artifact());
                }
            } catch (ExecutionException e) {
                throw ApiException.unavailable("waiting for the torrent failed: " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted while waiting for the torrent", e);
            }
        }
    }

    private Optional<UploadStatus> pollStatus(String id) {
        try {
            return metadata.upload(id);
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /** Removes what this upload created itself (not shared content), when it will never become a torrent. */
    private void removeOwn(PendingArtifact pending) {
        removeOwn(pending.artifactId(), pending.files());
    }

    private void removeOwn(UUID artifactId, List<StoredFile> files) {
        List<String> keys = new ArrayList<>();
        String own = ObjectKeys.contentPrefix(artifactId);
        files.stream().map(StoredFile::objectKey).filter(k -> k.startsWith(own)).forEach(keys::add);
        keys.add(ObjectKeys.pieceHashes(artifactId));
        for (String key : keys) {
            try {
                store.removeObject(RemoveObjectArgs.builder().bucket(storeConfig.bucket()).object(key).build());
            } catch (Exception e) {
                LOG.warnf("could not remove %s: %s", key, e.getMessage());
            }
        }
    }

    private ApiException storeOrClientFailure(String name, IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ClientAbortException) {
            LOG.infof("upload of '%s' abandoned: %s; nothing stored", name, message);
            return new ApiException(400, message, e);
        }
        LOG.warnf("upload of '%s' failed in the object store: %s; nothing stored", name, message);
        return ApiException.unavailable("the object store failed: " + message + "; nothing was stored", e);
    }

    static CatalogEntry entryOf(TorrentPublishedEvent event, String comment) {
        return new CatalogEntry(event.artifactId(), event.name(), "PUBLISHED", null, event.size(), event.sha256(),
                event.infoHash(), event.infoHashV2(), event.format(), event.pieceLength(), event.privateTorrent(),
                comment, event.singleFile(),
                event.files().stream().map(f -> new CatalogEntry.CatalogFile(f.path(), f.length(), f.sha256())).toList(),
                event.trackers(), event.bucket(), event.torrentKey(), event.publishedAtMillis());
    }
}
