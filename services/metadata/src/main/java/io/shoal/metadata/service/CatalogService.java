package io.shoal.metadata.service;

import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.CatalogEntry;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.events.UploadStatus;
import io.shoal.metadata.catalog.Artifact;
import io.shoal.metadata.catalog.ArtifactFile;
import io.shoal.metadata.catalog.ArtifactRepository;
import io.shoal.metadata.catalog.Content;
import io.shoal.metadata.catalog.ContentRepository;
import io.shoal.metadata.catalog.Torrent;
import io.shoal.metadata.catalog.TorrentRepository;
import io.shoal.metadata.catalog.UploadOutcome;
import io.shoal.metadata.catalog.UploadOutcomeRepository;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The system of record's transactions. Two of the catalog's rules are decided here and nowhere else: who holds a
 * name (a new upload under a published name is the same artifact again, or refused), and that each distinct
 * content is stored once. Object-store work happens outside these transactions; each method says which objects
 * its caller may now remove.
 */
@ApplicationScoped
public class CatalogService {

    private final ArtifactRepository artifacts;
    private final ContentRepository contents;
    private final TorrentRepository torrents;
    private final UploadOutcomeRepository outcomes;
    private final String bucket;

    CatalogService(ArtifactRepository artifacts, ContentRepository contents, TorrentRepository torrents,
                   UploadOutcomeRepository outcomes, BlobStore blobs) {
        this.artifacts = artifacts;
        this.contents = contents;
        this.torrents = torrents;
        this.outcomes = outcomes;
        this.bucket = blobs.bucket();
    }

    /** What registering an upload decided; {@code removable} are objects of the upload nobody needs now. */
    public sealed interface Registration {
        List<String> removable();

        /** Recorded as a new published artifact; its torrent is to be published. */
        record Registered(UUID artifactId, List<String> removable) implements Registration {
        }

        /** The name already holds the same content with the same options: that artifact stands, nothing is new. */
        record Unchanged(CatalogEntry existing, List<String> removable) implements Registration {
        }

        /** The name belongs to another published artifact with other content or options. */
        record NameTaken(String reason, List<String> removable) implements Registration {
        }
    }

    /** What retiring an artifact leaves to do: remove {@code objectKeys}, tombstone {@code swarmKey}. */
    public record Retirement(UUID artifactId, String swarmKey, List<String> objectKeys) {
    }

    // --- reads -------------------------------------------------------------------------------------------

    @Transactional
    public Optional<CatalogEntry> published(String name) {
        return artifacts.publishedNamed(name).map(this::entry);
    }

    @Transactional
    public List<CatalogEntry> search(String query, int limit) {
        return artifacts.search(query, limit).stream().map(this::entry).toList();
    }

    @Transactional
    public Optional<CatalogEntry> byInfoHash(String hex) {
        return artifacts.publishedByInfoHash(hex).map(this::entry);
    }

    /** Most torrents a new one names under BEP 38 {@code similar}. */
    public static final int MAX_SIMILAR = 16;

    /**
     * BEP 38: the swarm keys (v1 info-hashes; a v2-only torrent's v2 hash cut to 20 bytes) of published artifacts that
     * share a file with this upload, newest first: a client that holds one of them (libtorrent) takes those files from
     * it instead of downloading them again. None for a private torrent.
     */
    @Transactional
    public List<String> similarTo(ArtifactUploadedEvent event) {
        if (event.privateTorrent()) {
            return List.of();
        }
        return artifacts.publicSwarmsSharing(event.files().stream().map(StoredFile::sha256).distinct().toList(), MAX_SIMILAR);
    }

    /** What became of upload {@code id}, for the gateway waiting on it. */
    @Transactional
    public UploadStatus upload(UUID id) {
        Optional<UploadOutcome> outcome = outcomes.findByIdOptional(id);
        if (outcome.isPresent()) {
            UploadOutcome o = outcome.get();
            return o.outcome == UploadOutcome.Kind.REJECTED
                    ? new UploadStatus(UploadStatus.Status.REJECTED, o.reason, o.conflict, null)
                    : new UploadStatus(UploadStatus.Status.UNCHANGED, null, false,
                            o.existingArtifactId == null ? null : artifacts.findByIdOptional(o.existingArtifactId).map(this::entry).orElse(null));
        }
        return artifacts.findByIdOptional(id)
                .map(a -> new UploadStatus(UploadStatus.Status.PUBLISHED, null, false, entry(a)))
                .orElse(new UploadStatus(UploadStatus.Status.PENDING, null, false, null));
    }

    /** Whether upload {@code id} was already decided: an artifact (published or since retired) or an outcome. */
    @Transactional
    public boolean handled(UUID id) {
        return artifacts.findByIdOptional(id).isPresent() || outcomes.findByIdOptional(id).isPresent();
    }

    // --- decisions ---------------------------------------------------------------------------------------

    /**
     * Records an upload. The name rule: free, it becomes a new published artifact; held by the same content with
     * the same options, the holder stands and the upload changes nothing; held by anything else, it is refused.
     * The content rule: each file's content is recorded once; a file whose SHA-256 is already stored points at
     * that object, and the upload's own copy becomes removable. Both the name's holder and each content row are
     * locked, so a concurrent retirement or registration is decided before or after this one, never between.
     */
    @Transactional
    public Registration register(ArtifactUploadedEvent event, Optional<String> infoHash, Optional<String> infoHashV2,
                                 String torrentKey, List<String> trackers) {
        UUID id = UUID.fromString(event.artifactId());
        List<String> everything = new ArrayList<>(ownKeys(event, id));
        everything.add(torrentKey);
        Optional<Artifact> holder = artifacts.publishedNamedForUpdate(event.name());
        if (holder.isPresent()) {
            Artifact held = holder.get();
            if (sameArtifact(held, event)) {
                record(id, event.name(), UploadOutcome.Kind.UNCHANGED, null, false, held.id);
                return new Registration.Unchanged(entry(held), everything);
            }
            String reason = "'" + event.name() + "' is already taken by "
                    + (held.sha256.equals(event.sha256()) ? "a torrent of this content with other options" : "other content")
                    + "; delete it first or choose another name";
            record(id, event.name(), UploadOutcome.Kind.REJECTED, reason, true, null);
            return new Registration.NameTaken(reason, everything);
        }
        Instant now = Instant.now();
        List<String> redundant = new ArrayList<>();
        Set<String> recorded = new LinkedHashSet<>();
        for (StoredFile file : event.files()) {
            if (!recorded.add(file.sha256())) {
                redundant.add(file.objectKey()); // the same content twice in one upload: its first copy serves
                continue;
            }
            Optional<Content> existing = contents.lockForUpdate(file.sha256());
            if (existing.isPresent()) {
                redundant.add(file.objectKey());
            } else {
                Content content = new Content();
                content.sha256 = file.sha256();
                content.objectKey = file.objectKey();
                content.size = file.length();
                content.createdAt = now;
                contents.persist(content);
            }
        }
        Artifact artifact = new Artifact();
        artifact.id = id;
        artifact.name = event.name();
        artifact.status = Artifact.Status.PUBLISHED;
        artifact.size = event.size();
        artifact.sha256 = event.sha256();
        artifact.format = event.format();
        artifact.pieceLength = event.pieceLength();
        artifact.privateTorrent = event.privateTorrent();
        artifact.singleFile = event.singleFile();
        artifact.comment = event.comment();
        artifact.createdAt = now;
        for (int i = 0; i < event.files().size(); i++) {
            StoredFile stored = event.files().get(i);
            ArtifactFile file = new ArtifactFile();
            file.artifact = artifact;
            file.position = i;
            file.path = String.join("/", stored.path());
            file.length = stored.length();
            file.sha256 = stored.sha256();
            artifact.files.add(file);
        }
        Torrent torrent = new Torrent();
        torrent.artifact = artifact;
        torrent.infoHash = infoHash.orElse(null);
        torrent.infoHashV2 = infoHashV2.orElse(null);
        torrent.swarmKey = TorrentPublishedEvent.swarmKey(torrent.infoHash, torrent.infoHashV2);
        torrent.torrentKey = torrentKey;
        torrent.trackers = String.join("\n", trackers);
        artifact.torrent = torrent;
        // Another instance publishing the same name meanwhile makes this fail on the unique index: the caller
        // tries again, and then finds the holder above.
        artifacts.persistAndFlush(artifact);
        return new Registration.Registered(id, redundant);
    }

    /** Same content, same options, same files: uploading it again changes nothing. */
    private static boolean sameArtifact(Artifact held, ArtifactUploadedEvent event) {
        if (!held.sha256.equals(event.sha256()) || held.pieceLength != event.pieceLength() || !held.format.equals(event.format())
                || held.privateTorrent != event.privateTorrent() || held.singleFile != event.singleFile()
                || held.files.size() != event.files().size()) {
            return false;
        }
        for (int i = 0; i < held.files.size(); i++) {
            StoredFile file = event.files().get(i);
            ArtifactFile existing = held.files.get(i);
            if (!existing.pathComponents().equals(file.path()) || existing.length != file.length()) {
                return false;
            }
        }
        return true;
    }

    /** Records that upload {@code id} was refused; its objects are the caller's to remove. */
    @Transactional
    public void reject(UUID id, String name, String reason) {
        record(id, name, UploadOutcome.Kind.REJECTED, reason, false, null);
    }

    private void record(UUID id, String name, UploadOutcome.Kind kind, String reason, boolean conflict, UUID existing) {
        if (outcomes.findByIdOptional(id).isPresent()) {
            return;
        }
        UploadOutcome outcome = new UploadOutcome();
        outcome.artifactId = id;
        outcome.name = storable(name, 1024);
        outcome.outcome = kind;
        outcome.reason = reason == null ? null : storable(reason, 4096);
        outcome.conflict = conflict;
        outcome.existingArtifactId = existing;
        outcome.createdAt = Instant.now();
        outcomes.persist(outcome);
    }

    /**
     * Text from a hostile event made safe to store: PostgreSQL refuses NUL in text, and a refusal to store the
     * reason for a refusal would leave the upload undecided forever. Control characters become U+FFFD.
     */
    static String storable(String text, int maxLength) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), maxLength));
        text.codePoints().limit(maxLength).forEach(c -> safe.appendCodePoint(
                Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' || Character.getType(c) == Character.SURROGATE
                        ? 0xfffd : c));
        return safe.toString();
    }

    /** The objects upload {@code id} wrote itself: its content objects and its piece hashes. */
    public static List<String> ownKeys(ArtifactUploadedEvent event, UUID id) {
        List<String> keys = new ArrayList<>();
        for (StoredFile file : event.files()) {
            if (ObjectKeys.isContentOf(file.objectKey(), id)) {
                keys.add(file.objectKey());
            }
        }
        keys.add(ObjectKeys.pieceHashes(id));
        return keys;
    }

    /** Retires the published artifact {@code name}; its contents go once no other published artifact uses them. */
    @Transactional
    public Optional<Retirement> retire(String name) {
        Optional<Artifact> found = artifacts.publishedNamedForUpdate(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Artifact artifact = found.get();
        artifact.status = Artifact.Status.RETIRED;
        artifact.retiredAt = Instant.now();
        artifacts.flush();
        List<String> keys = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        artifact.files.forEach(f -> used.add(f.sha256));
        for (String sha256 : used) {
            // Locked first: a registration sharing this content either committed (and is counted as a user) or waits.
            Optional<Content> content = contents.lockForUpdate(sha256);
            if (content.isPresent() && !artifacts.contentInUse(sha256, artifact.id)) {
                keys.add(content.get().objectKey);
                contents.delete(content.get());
            }
        }
        keys.add(artifact.torrent.torrentKey);
        keys.add(ObjectKeys.pieceHashes(artifact.id));
        return Optional.of(new Retirement(artifact.id, artifact.torrent.swarmKey, keys));
    }

    // --- the outbox --------------------------------------------------------------------------------------

    /**
     * Published artifacts whose torrent Kafka has not acknowledged, recorded before {@code recordedBefore}: a younger
     * one's send may still be waiting for its acknowledgement, and sending it again would put it on the topic twice.
     */
    @Transactional
    public List<UUID> unannounced(int limit, Instant recordedBefore) {
        return artifacts.unannounced(limit, recordedBefore).stream().map(a -> a.id).toList();
    }

    @Transactional
    public void markPublished(UUID artifactId, boolean published) {
        torrents.markPublished(artifactId, published);
    }

    /**
     * Retired torrents whose tombstone has not reached Kafka yet. One whose swarm has been published again since
     * (the same name and content uploaded anew) needs none: tombstoning it would retire the new one.
     */
    @Transactional
    public List<Retirement> untombstoned(int limit) {
        List<Retirement> pending = new ArrayList<>();
        for (Torrent torrent : torrents.untombstoned(limit)) {
            if (torrents.publishedUnder(torrent.swarmKey)) {
                torrent.tombstoned = true;
            } else {
                pending.add(new Retirement(torrent.artifactId, torrent.swarmKey, List.of()));
            }
        }
        return pending;
    }

    @Transactional
    public void markTombstoned(UUID artifactId) {
        torrents.markTombstoned(artifactId);
    }

    /** The event that announces a published artifact's torrent; empty if it is not published (any more). */
    @Transactional
    public Optional<TorrentPublishedEvent> event(UUID artifactId) {
        Optional<Artifact> found = artifacts.findByIdOptional(artifactId).filter(a -> a.status == Artifact.Status.PUBLISHED);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Artifact artifact = found.get();
        List<StoredFile> files = new ArrayList<>();
        for (ArtifactFile file : artifact.files) {
            Content content = contents.findByIdOptional(file.sha256).orElseThrow(() -> new IllegalStateException(
                    "artifact " + artifactId + " uses content " + file.sha256 + ", which is not recorded"));
            files.add(new StoredFile(file.pathComponents(), file.length, file.sha256, content.objectKey));
        }
        Torrent torrent = artifact.torrent;
        return Optional.of(new TorrentPublishedEvent(artifact.id.toString(), artifact.name, torrent.infoHash, torrent.infoHashV2,
                artifact.format, artifact.pieceLength, artifact.size, artifact.sha256, artifact.privateTorrent,
                artifact.singleFile, files, torrent.trackerList(), bucket, torrent.torrentKey,
                artifact.createdAt.toEpochMilli()));
    }

    /** Published torrents Kafka acknowledged, by swarm key: what shoal.torrents must hold. */
    @Transactional
    public Map<String, UUID> announcedSwarms() {
        Map<String, UUID> swarms = new HashMap<>();
        for (Object[] row : artifacts.publishedSwarmKeys()) {
            swarms.put((String) row[1], (UUID) row[0]);
        }
        return swarms;
    }

    // --- the janitor -------------------------------------------------------------------------------------

    /** What is known of an upload whose objects the janitor found. */
    public record Known(Optional<Artifact.Status> artifact, boolean decided, Set<String> contentKeys) {
    }

    /** An upload's state, and which of its content objects hold recorded content (to keep). */
    @Transactional
    public Known known(UUID uploadId) {
        Optional<Artifact.Status> status = artifacts.findByIdOptional(uploadId).map(a -> a.status);
        boolean decided = status.isPresent() || outcomes.findByIdOptional(uploadId).isPresent();
        Set<String> keys = new LinkedHashSet<>(contents.objectKeysUnder(ObjectKeys.contentPrefix(uploadId)));
        return new Known(status, decided, keys);
    }

    public CatalogEntry entry(Artifact artifact) {
        Torrent torrent = artifact.torrent;
        Map<String, String> objectKeys = contents.objectKeysOf(artifact.id);
        return new CatalogEntry(artifact.id.toString(), artifact.name, artifact.status.name(), null, artifact.size,
                artifact.sha256, torrent.infoHash, torrent.infoHashV2, artifact.format, artifact.pieceLength,
                artifact.privateTorrent, artifact.comment, artifact.singleFile,
                artifact.files.stream().map(f -> new CatalogEntry.CatalogFile(f.pathComponents(), f.length, f.sha256,
                        objectKeys.get(f.sha256))).toList(),
                torrent.trackerList(), bucket, torrent.torrentKey, artifact.createdAt.toEpochMilli());
    }
}
