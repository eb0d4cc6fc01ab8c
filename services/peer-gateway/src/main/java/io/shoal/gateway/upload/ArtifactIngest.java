package io.shoal.gateway.upload;

import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.hashing.PieceHashesCodec;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.FileNames;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.CatalogEntry;
import io.shoal.events.EventJson;
import io.shoal.events.ShoalTopic;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.events.UploadStatus;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.TorrentPublications;
import io.shoal.gateway.upload.IngestResult.Refusal;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.objectstore.ObjectUpload;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Takes an upload from the first byte to a published torrent: streams the bytes into the store while hashing
 * them, keeping every file as its own object, hands the upload to metadata through {@code shoal.artifacts.uploaded}
 * and waits for metadata's decision. What is shared with content stored before, and who holds the name, metadata
 * decides (the catalog is the one place for those rules); which objects belong to the upload, {@link ObjectKeys}.
 * Until the event is handed over, a failure leaves nothing in the store; once it may be in Kafka, nothing of the
 * upload is removed here (metadata may be using it; the janitor reclaims what nobody does).
 */
@ApplicationScoped
public class ArtifactIngest {

    private static final Logger LOG = Logger.getLogger(ArtifactIngest.class);
    private static final long STATUS_POLL_MILLIS = 250;
    /** The most files one multipart upload may hold. */
    static final int MAX_FILES = 10_000;

    private final GatewayConfig config;
    private final BlobStore blobs;
    private final MetadataClient metadata;
    private final TorrentPublications publications;
    private final MutinyEmitter<Record<String, ArtifactUploadedEvent>> uploads;

    ArtifactIngest(GatewayConfig config, BlobStore blobs, MetadataClient metadata, TorrentPublications publications,
                   @Channel("artifacts-uploaded") MutinyEmitter<Record<String, ArtifactUploadedEvent>> uploads) {
        this.config = config;
        this.blobs = blobs;
        this.metadata = metadata;
        this.publications = publications;
        this.uploads = uploads;
    }

    /** {@code PUT /api/v1/artifacts/{name}}: one file of {@code length} bytes, read from {@code body}. */
    public IngestResult putSingleFile(String name, UploadOptions options, long length, InputStream body) {
        UUID artifactId = UUID.randomUUID();
        long started = System.nanoTime();
        int pieceLength = options.pieceLengthFor(length);
        TorrentLayout layout;
        try {
            layout = TorrentLayout.singleFile(name, length, pieceLength, options.format());
        } catch (MetainfoException e) {
            return new IngestResult.Refused(Refusal.INVALID, e.getMessage());
        }
        ObjectUpload upload = blobs.upload(ObjectKeys.content(artifactId, 0), ObjectUpload.partSizeFor(length, config.partSize()),
                config.partsInFlight());
        StagedContent staged;
        PieceHashes hashes;
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            staged = StagedContent.stream(body, Optional.of(length), upload, Optional.of(hasher), config.maxUploadBytes());
            hashes = hasher.finish();
        } catch (StagedContent.TooLargeException e) {
            return new IngestResult.Refused(Refusal.TOO_LARGE, e.getMessage());
        } catch (MetainfoException e) {
            upload.abort();
            return new IngestResult.Refused(Refusal.INVALID, e.getMessage());
        } catch (IOException e) {
            return storeOrClientFailure(name, e);
        }
        long received = System.nanoTime();
        List<StoredFile> files;
        try {
            files = List.of(new StoredFile(List.of(name), length, staged.sha256(), staged.keep()));
        } catch (IOException e) {
            return storeOrClientFailure(name, e);
        }
        long stored = System.nanoTime();
        IngestResult result = publish(new PendingArtifact(artifactId, name, options, pieceLength, true, files, staged.sha256(),
                length, hashes));
        long done = System.nanoTime();
        LOG.infof("upload of '%s': %d bytes received in %.1f s (%.0f MiB/s); stored %d ms and answered %d ms after the last byte (%s)",
                name, length, (received - started) / 1e9, length / 1048576.0 / ((received - started) / 1e9),
                (stored - received) / 1_000_000, (done - received) / 1_000_000, result.getClass().getSimpleName());
        if (result instanceof IngestResult.Published published) {
            return new IngestResult.Published(published.artifact(), String.format(Locale.ROOT,
                    "receive;dur=%d, store;dur=%d, publish;dur=%d, %s", (received - started) / 1_000_000,
                    (stored - received) / 1_000_000, (done - stored) / 1_000_000, published.serverTiming()));
        }
        return result;
    }

    /**
     * {@code POST /api/v1/artifacts}: several files into one multi-file torrent. Each file streams into its own
     * object as it arrives and is completed at its end, so an upload holds one file's buffers at a time however
     * many files it has. The torrent's order and piece length are known only once all have arrived, so the piece
     * hashes come from a second pass over the stored objects.
     */
    public IngestResult postMultiFile(Optional<String> queryName, UploadOptions options, MultipartBody form) {
        UUID artifactId = UUID.randomUUID();
        long started = System.nanoTime();
        List<StoredFile> kept = new ArrayList<>();
        long total = 0;
        try {
            for (FilePart part = form.next(); part != null; part = form.next()) {
                if (kept.size() == MAX_FILES) {
                    return refuse(artifactId, kept, Refusal.INVALID, "more than " + MAX_FILES + " files");
                }
                String problem = pathProblem(part.filename());
                if (!problem.isEmpty()) {
                    return refuse(artifactId, kept, Refusal.INVALID, "file '" + part.filename() + "': " + problem);
                }
                List<String> path = List.of(part.filename().split("/", -1));
                ObjectUpload upload = blobs.upload(ObjectKeys.content(artifactId, kept.size()), config.partSize(), config.partsInFlight());
                StagedContent content = StagedContent.stream(part.body(), Optional.empty(), upload, Optional.empty(),
                        config.maxUploadBytes() - total);
                kept.add(new StoredFile(path, content.length(), content.sha256(), content.keep()));
                total += content.length();
            }
            if (kept.isEmpty()) {
                return new IngestResult.Refused(Refusal.INVALID, "the form holds no files (send them as file parts: curl -F file=@PATH)");
            }
            Optional<String> name = Optional.ofNullable(form.attributes().get("name")).or(() -> queryName);
            if (name.isEmpty()) {
                return refuse(artifactId, kept, Refusal.INVALID, "a multi-file artifact needs a name (form field 'name')");
            }
            int pieceLength = options.pieceLengthFor(total);
            List<FileEntry> entries = kept.stream().map(f -> new FileEntry(f.path(), f.length(), false)).toList();
            TorrentLayout layout;
            try {
                FileNames.checkComponent(name.get());
                layout = TorrentLayout.multiFile(name.get(), entries, pieceLength, options.format());
            } catch (MetainfoException e) {
                return refuse(artifactId, kept, Refusal.INVALID, e.getMessage());
            }
            Map<List<String>, StoredFile> byPath = new HashMap<>();
            kept.forEach(f -> byPath.put(f.path(), f));
            List<StoredFile> ordered = layout.contentFiles().stream().map(entry -> byPath.get(entry.path())).toList();
            HashedContent hashed = hashStored(layout, ordered);
            long received = System.nanoTime();
            IngestResult result = publish(new PendingArtifact(artifactId, name.get(), options, pieceLength, false, ordered,
                    hashed.sha256(), total, hashed.hashes()));
            LOG.infof("upload of '%s': %d files, %d bytes in %.1f s (%s)", name.get(), ordered.size(), total,
                    (received - started) / 1e9, result.getClass().getSimpleName());
            return result;
        } catch (StagedContent.TooLargeException e) {
            return refuse(artifactId, kept, Refusal.TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            removeOwn(artifactId, kept);
            return storeOrClientFailure("a multi-file upload", e);
        } catch (RuntimeException e) {
            removeOwn(artifactId, kept);
            throw e;
        }
    }

    /**
     * Why a filename is no path in a torrent ('/'-separated components, each a valid name), or "" when it is one.
     */
    private static String pathProblem(String filename) {
        if (filename == null || filename.isEmpty()) {
            return "a file part without a filename";
        }
        try {
            FileNames.checkPath(List.of(filename.split("/", -1)));
            return "";
        } catch (MetainfoException e) {
            return e.getMessage();
        }
    }

    private record HashedContent(String sha256, PieceHashes hashes) {
    }

    /** Reads the stored files back in torrent order: the piece hashes and the SHA-256 of all content. */
    private HashedContent hashStored(TorrentLayout layout, List<StoredFile> files) throws IOException {
        MessageDigest sha256 = StagedContent.newSha256();
        byte[] chunk = new byte[1024 * 1024];
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            for (StoredFile file : files) {
                if (file.length() == 0) {
                    continue;
                }
                try (InputStream in = blobs.open(file.objectKey())
                        .orElseThrow(() -> new IOException(file.objectKey() + " is gone from the store"))) {
                    int n;
                    while ((n = in.read(chunk)) > 0) {
                        sha256.update(chunk, 0, n);
                        hasher.update(chunk, 0, n);
                    }
                }
            }
            return new HashedContent(HexFormat.of().formatHex(sha256.digest()), hasher.finish());
        } catch (MetainfoException e) {
            throw new IOException("the stored files do not match what arrived: " + e.getMessage(), e);
        }
    }

    /** An upload whose bytes are stored, on its way to a torrent. */
    record PendingArtifact(UUID artifactId, String name, UploadOptions options, int pieceLength, boolean singleFile,
                           List<StoredFile> files, String sha256, long size, PieceHashes hashes) {
    }

    /**
     * Stores the piece hashes, hands the upload to metadata and waits for its decision. A published result's
     * server timing says where the time went: {@code hashes} (storing the piece hashes), {@code event} (Kafka
     * acknowledging the event), {@code decide} (metadata building, storing, recording and publishing the torrent,
     * until the gateway hears of it).
     */
    IngestResult publish(PendingArtifact pending) {
        String id = pending.artifactId().toString();
        String hashesKey = ObjectKeys.pieceHashes(pending.artifactId());
        ArtifactUploadedEvent event = new ArtifactUploadedEvent(id, pending.name(), pending.options().format().wireName(),
                pending.pieceLength(), pending.options().privateTorrent(), pending.singleFile(), pending.files(),
                pending.sha256(), pending.size(), blobs.bucket(), hashesKey, pending.options().comment(),
                System.currentTimeMillis());
        int eventBytes = EventJson.write(event).length;
        if (eventBytes > ShoalTopic.MAX_UPLOAD_EVENT_BYTES) {
            return refuse(pending.artifactId(), pending.files(), Refusal.TOO_LARGE, String.format(Locale.ROOT,
                    "the list of %d files and their paths makes an upload event of %d bytes (expected: <= %d); upload fewer "
                            + "files or shorter paths in one artifact", pending.files().size(), eventBytes, ShoalTopic.MAX_UPLOAD_EVENT_BYTES));
        }
        long start = System.nanoTime();
        try {
            blobs.put(hashesKey, PieceHashesCodec.encode(pending.hashes()), "application/octet-stream");
        } catch (IOException e) {
            removeOwn(pending.artifactId(), pending.files());
            return new IngestResult.Failed("the object store failed: " + e.getMessage() + "; nothing was stored");
        }
        CompletableFuture<TorrentPublishedEvent> published = publications.await(id);
        long hashesStored = System.nanoTime();
        try {
            uploads.send(Record.of(id, event)).await().atMost(config.eventAckTimeout());
        } catch (RuntimeException e) {
            // Unknown whether the record reached the log: metadata may yet publish it, so its bytes stay. If it
            // never does, the janitor reclaims them once no event can claim them any more.
            publications.forget(id);
            LOG.warnf("upload %s of '%s': Kafka did not confirm the event (%s); its objects are kept", id, pending.name(),
                    e.getMessage());
            return new IngestResult.Failed("Kafka did not confirm the upload (" + e.getMessage() + "). It may still be "
                    + "published: upload the same file under the same name again (the answer is 200 once it is)");
        }
        long acknowledged = System.nanoTime();
        try {
            IngestResult decided = awaitDecision(pending, published);
            if (decided instanceof IngestResult.Published done) {
                return new IngestResult.Published(done.artifact(), String.format(Locale.ROOT, "hashes;dur=%d, event;dur=%d, decide;dur=%d",
                        (hashesStored - start) / 1_000_000, (acknowledged - hashesStored) / 1_000_000,
                        (System.nanoTime() - acknowledged) / 1_000_000));
            }
            return decided;
        } finally {
            publications.forget(id);
        }
    }

    /** Metadata's answer: the torrent on shoal.torrents, or (asked every quarter second) a refusal or the same artifact. */
    private IngestResult awaitDecision(PendingArtifact pending, CompletableFuture<TorrentPublishedEvent> published) {
        String id = pending.artifactId().toString();
        long deadline = System.nanoTime() + config.publishTimeout().toNanos();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.warnf("upload %s of '%s': no decision within %d s; metadata will publish it when it catches up", id,
                        pending.name(), config.publishTimeout().toSeconds());
                return new IngestResult.Pending(pending.name());
            }
            try {
                TorrentPublishedEvent event = published.get(Math.min(left, STATUS_POLL_MILLIS), TimeUnit.MILLISECONDS);
                return new IngestResult.Published(entryOf(event, pending.options().comment()), null);
            } catch (TimeoutException e) {
                Optional<IngestResult> decided = decision(id);
                if (decided.isPresent()) {
                    return decided.get();
                }
            } catch (ExecutionException e) {
                return new IngestResult.Pending(pending.name());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new IngestResult.Pending(pending.name());
            }
        }
    }

    private Optional<IngestResult> decision(String id) {
        UploadStatus status;
        try {
            status = metadata.upload(id);
        } catch (CatalogUnavailableException e) {
            return Optional.empty(); // the event is in Kafka: metadata decides when it is back
        }
        return switch (status.status()) {
            case PENDING -> Optional.empty();
            case PUBLISHED -> Optional.of(new IngestResult.Published(status.artifact(), null));
            case UNCHANGED -> Optional.of(new IngestResult.Unchanged(status.artifact()));
            case REJECTED -> Optional.of(new IngestResult.Refused(status.conflict() ? Refusal.NAME_TAKEN : Refusal.UNPROCESSABLE,
                    status.reason()));
        };
    }

    private IngestResult refuse(UUID artifactId, List<StoredFile> kept, Refusal reason, String detail) {
        removeOwn(artifactId, kept);
        return new IngestResult.Refused(reason, detail);
    }

    /** Removes what this upload stored itself, before anything else could have been told of it. */
    private void removeOwn(UUID artifactId, List<StoredFile> files) {
        List<String> keys = new ArrayList<>();
        files.stream().map(StoredFile::objectKey).filter(k -> ObjectKeys.isContentOf(k, artifactId)).forEach(keys::add);
        keys.add(ObjectKeys.pieceHashes(artifactId));
        for (String key : keys) {
            try {
                blobs.remove(key);
            } catch (IOException e) {
                LOG.warnf("could not remove %s (the janitor will): %s", key, e.getMessage());
            }
        }
    }

    private static IngestResult storeOrClientFailure(String name, IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ClientAbortException) {
            LOG.infof("upload of '%s' abandoned: %s; nothing stored", name, message);
            return new IngestResult.Abandoned(message);
        }
        LOG.warnf("upload of '%s' failed in the object store: %s; nothing stored", name, message);
        return new IngestResult.Failed("the object store failed: " + message + "; nothing was stored");
    }

    static CatalogEntry entryOf(TorrentPublishedEvent event, String comment) {
        return new CatalogEntry(event.artifactId(), event.name(), "PUBLISHED", null, event.size(), event.sha256(),
                event.infoHash(), event.infoHashV2(), event.format(), event.pieceLength(), event.privateTorrent(),
                comment, event.singleFile(),
                event.files().stream().map(f -> new CatalogEntry.CatalogFile(f.path(), f.length(), f.sha256(), f.objectKey())).toList(),
                event.trackers(), event.bucket(), event.torrentKey(), event.publishedAtMillis());
    }
}
