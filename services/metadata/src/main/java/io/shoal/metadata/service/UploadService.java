package io.shoal.metadata.service;

import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.hashing.PieceHashesCodec;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.StoredFile;
import io.shoal.metadata.MetadataConfig;
import io.shoal.metadata.messaging.TorrentPublisher;
import io.shoal.metadata.torrent.TorrentFactory;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.platform.dht.DhtSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes a torrent of an uploaded artifact: checks the event as hostile input, reads the piece hashes the gateway
 * computed, writes the .torrent to the store, has the catalog decide (new artifact, the same one again, or a
 * refusal) and the torrent published. Handling the same event twice decides once. An upload is either decided
 * (recorded, or refused with a reason the gateway can show) or, while the store or the database fails, not
 * decided yet: {@link TransientFailure}, never dropped.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    /** What handling an event came to. */
    public enum Result { PUBLISHED, UNCHANGED, REJECTED, ALREADY_HANDLED }

    private final CatalogService catalog;
    private final TorrentPublisher publisher;
    private final BlobStore blobs;
    private final MetadataConfig config;
    /** BEP 5 {@code nodes} of every new public .torrent: the DHT nodes hosts join through (SHOAL_DHT_BOOTSTRAP). */
    private final List<Metainfo.Node> dhtNodes;

    UploadService(CatalogService catalog, TorrentPublisher publisher, BlobStore blobs, MetadataConfig config, DhtSettings dht) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.blobs = blobs;
        this.config = config;
        this.dhtNodes = dht.bootstrapNodes().stream().map(n -> new Metainfo.Node(n.host(), n.port())).toList();
    }

    /** @throws TransientFailure the store or the database failed: try again later, the upload is still undecided */
    public Result process(UUID id, ArtifactUploadedEvent event) throws TransientFailure {
        try {
            if (catalog.handled(id)) {
                LOG.debugf("upload %s of '%s' was handled before", id, event.name());
                return Result.ALREADY_HANDLED;
            }
            return decide(id, event);
        } catch (IOException e) {
            throw new TransientFailure("the object store failed: " + e.getMessage(), e);
        } catch (PersistenceException e) {
            if (DatabaseFailures.passes(e)) {
                throw new TransientFailure("the database failed: " + e.getMessage(), e);
            }
            return refuse(id, event, "the catalog cannot store it: " + rootMessage(e));
        } catch (RuntimeException e) {
            // A forged or broken event must not stop the consumer: refused, with the reason, like any bad input.
            LOG.errorf(e, "upload %s of '%s' could not be handled", id, event.name());
            return refuse(id, event, "it could not be handled (" + rootMessage(e) + ")");
        }
    }

    private Result decide(UUID id, ArtifactUploadedEvent event) throws IOException, TransientFailure {
        long start = System.nanoTime();
        TorrentLayout layout;
        PieceHashes hashes;
        try {
            layout = check(id, event);
            hashes = PieceHashesCodec.decode(pieceHashes(event), layout);
        } catch (MetainfoException e) {
            return refuse(id, event, e.getMessage());
        }
        // BEP 27: a private torrent's peers come from its tracker only, so it names no DHT nodes
        Metainfo.Envelope envelope = new Metainfo.Envelope(List.of(config.announceUrls()), config.webSeedUrls().orElse(List.of()),
                Optional.ofNullable(event.comment()), Optional.of(config.createdBy()),
                Optional.of(Instant.ofEpochSecond(event.uploadedAtMillis() / 1000)), event.privateTorrent() ? List.of() : dhtNodes);
        long read = System.nanoTime();
        List<InfoHash> similar = catalog.similarTo(event).stream().map(InfoHash::fromHex).toList();
        TorrentFactory.Built built = TorrentFactory.build(layout, hashes, event.privateTorrent(), similar, envelope);
        if (built.torrent().length > Metainfo.MAX_TORRENT_BYTES) {
            return refuse(id, event, "a .torrent of " + built.torrent().length + " bytes (expected: <= " + Metainfo.MAX_TORRENT_BYTES
                    + "); choose a larger piece length");
        }
        String torrentKey = ObjectKeys.torrent(id);
        long builtAt = System.nanoTime();
        blobs.put(torrentKey, built.torrent(), "application/x-bittorrent");
        long storedAt = System.nanoTime();
        CatalogService.Registration registration = catalog.register(event, built.v1().map(InfoHash::hex),
                built.v2().map(InfoHash::hex), torrentKey, config.announceUrls());
        long recordedAt = System.nanoTime();
        registration.removable().forEach(this::remove);
        return switch (registration) {
            case CatalogService.Registration.Registered registered -> {
                publisher.publish(id);
                LOG.infof("artifact '%s' (%s, %d bytes, %s) is torrent %s; %d ms: piece hashes read %d, .torrent built %d, "
                                + "stored %d, recorded %d, sent %d", event.name(), id, event.size(), event.format(),
                        built.v1().or(built::v2).map(InfoHash::hex).orElseThrow(), millis(start, System.nanoTime()),
                        millis(start, read), millis(read, builtAt), millis(builtAt, storedAt), millis(storedAt, recordedAt),
                        millis(recordedAt, System.nanoTime()));
                yield Result.PUBLISHED;
            }
            case CatalogService.Registration.Unchanged unchanged -> {
                LOG.infof("upload %s of '%s': the same content and options as artifact %s; nothing new", id, event.name(),
                        unchanged.existing().artifactId());
                yield Result.UNCHANGED;
            }
            case CatalogService.Registration.NameTaken taken -> {
                LOG.warnf("upload %s refused: %s", id, taken.reason());
                yield Result.REJECTED;
            }
        };
    }

    /**
     * The event, checked as hostile: Shoal's bucket, objects this upload wrote itself (exactly its own keys: the
     * gateway keeps every upload's bytes, the catalog alone decides what is shared), a comment PostgreSQL takes,
     * and a layout whose names, sizes, order and piece count hold.
     */
    private TorrentLayout check(UUID id, ArtifactUploadedEvent event) throws MetainfoException {
        if (!blobs.bucket().equals(event.bucket())) {
            throw new MetainfoException("bucket '" + event.bucket() + "' (expected: " + blobs.bucket() + ")");
        }
        if (!ObjectKeys.pieceHashes(id).equals(event.pieceHashesKey())) {
            throw new MetainfoException("piece hashes at '" + event.pieceHashesKey() + "' (expected: " + ObjectKeys.pieceHashes(id) + ")");
        }
        for (int i = 0; i < event.files().size(); i++) {
            StoredFile file = event.files().get(i);
            if (!ObjectKeys.isContentOf(file.objectKey(), id)) {
                throw new MetainfoException("file " + i + " points at '" + file.objectKey() + "', which is not this upload's");
            }
        }
        Optional<String> comment = ArtifactUploadedEvent.commentProblem(event.comment());
        if (comment.isPresent()) {
            throw new MetainfoException(comment.get());
        }
        return TorrentFactory.layout(event);
    }

    /** The piece hashes, in one GET: a missing or oversized object is the event's fault, not the store's. */
    private byte[] pieceHashes(ArtifactUploadedEvent event) throws IOException, MetainfoException {
        int limit = (int) Math.min(config.maxPieceHashesBytes(), Integer.MAX_VALUE - 16);
        try {
            return blobs.read(event.pieceHashesKey(), limit)
                    .orElseThrow(() -> new MetainfoException("no piece hashes at " + event.pieceHashesKey()));
        } catch (BlobStore.TooLargeException e) {
            throw new MetainfoException("piece hashes: " + e.getMessage());
        }
    }

    /** Records the refusal (what the waiting gateway tells its client) and removes what the upload stored. */
    private Result refuse(UUID id, ArtifactUploadedEvent event, String reason) throws TransientFailure {
        try {
            catalog.reject(id, event.name(), reason);
        } catch (PersistenceException e) {
            throw new TransientFailure("the database failed recording a refusal: " + e.getMessage(), e);
        }
        LOG.warnf("upload %s of '%s' refused: %s", id, CatalogService.storable(event.name(), 255), reason);
        CatalogService.ownKeys(event, id).forEach(this::remove);
        remove(ObjectKeys.torrent(id));
        return Result.REJECTED;
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** Best effort: an object left behind costs space, never correctness; the janitor finds it later. */
    void remove(String key) {
        try {
            blobs.remove(key);
        } catch (IOException e) {
            LOG.warnf("could not remove %s from the store (the janitor will): %s", key, e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
