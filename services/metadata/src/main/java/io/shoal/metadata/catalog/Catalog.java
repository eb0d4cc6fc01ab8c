package io.shoal.metadata.catalog;

import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.CatalogEntry;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.objectstore.ObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The system of record's transactions: artifacts, their files and torrents, and the distinct contents
 * they share. Object-store work happens outside these transactions; each method says which objects its
 * caller may now remove.
 */
@ApplicationScoped
public class Catalog {

    /** What registering an upload decided. */
    public sealed interface Registration {
        /** Recorded; {@code redundantKeys} are objects of this upload whose content the store already held. */
        record Registered(Artifact artifact, List<String> redundantKeys) implements Registration {
        }

        /** Not recorded: the name belongs to another published artifact. */
        record NameTaken(String reason) implements Registration {
        }
    }

    /** What retiring an artifact leaves to do: remove {@code objectKeys}, tombstone {@code swarmKey}. */
    public record Retirement(UUID artifactId, String swarmKey, List<String> objectKeys) {
    }

    @Transactional
    public Optional<Artifact> artifact(UUID id) {
        return Artifact.<Artifact>findByIdOptional(id).map(Catalog::loaded);
    }

    @Transactional
    public Optional<RejectedUpload> rejection(UUID id) {
        return RejectedUpload.findByIdOptional(id);
    }

    @Transactional
    public Optional<Artifact> published(String name) {
        return Artifact.publishedNamed(name).map(Catalog::loaded);
    }

    @Transactional
    public List<Artifact> search(String query, int limit) {
        return Artifact.search(query, limit).stream().map(Catalog::loaded).toList();
    }

    @Transactional
    public Optional<Artifact> byInfoHash(String hex) {
        String query = hex.length() == 64 ? "infoHashV2 = ?1" : "infoHash = ?1 or swarmKey = ?1";
        return Torrent.<Torrent>find(query + " order by artifact.createdAt desc", hex).stream()
                .map(t -> t.artifact)
                .filter(a -> a.status == Artifact.Status.PUBLISHED)
                .findFirst()
                .map(Catalog::loaded);
    }

    @Transactional
    public Optional<Content> content(String sha256) {
        return Content.findByIdOptional(sha256);
    }

    /**
     * Records an upload as a published artifact unless its name is taken by another. Each file's content
     * is recorded once: a file whose SHA-256 is already stored points at the existing object, and the
     * upload's own copy is returned as redundant.
     */
    @Transactional
    public Registration register(ArtifactUploadedEvent event, Optional<String> infoHash, Optional<String> infoHashV2,
                                 String torrentKey, List<String> trackers) {
        Optional<Artifact> holder = Artifact.publishedNamed(event.name());
        if (holder.isPresent()) {
            return new Registration.NameTaken("'" + event.name() + "' is already artifact " + holder.get().id
                    + " with content " + holder.get().sha256);
        }
        Instant now = Instant.now();
        List<String> redundant = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (StoredFile file : event.files()) {
            Optional<Content> existing = Content.findByIdOptional(file.sha256());
            if (existing.isPresent()) {
                if (!existing.get().objectKey.equals(file.objectKey())) {
                    redundant.add(file.objectKey());
                }
            } else if (seen.add(file.sha256())) {
                Content content = new Content();
                content.sha256 = file.sha256();
                content.objectKey = file.objectKey();
                content.size = file.length();
                content.createdAt = now;
                content.persist();
            }
        }
        Artifact artifact = new Artifact();
        artifact.id = UUID.fromString(event.artifactId());
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
        // Another instance publishing the same name meanwhile makes this fail on the unique index.
        artifact.persistAndFlush();
        return new Registration.Registered(artifact, redundant);
    }

    @Transactional
    public void reject(UUID artifactId, String name, String reason, boolean conflict) {
        if (RejectedUpload.findByIdOptional(artifactId).isPresent()) {
            return;
        }
        RejectedUpload rejected = new RejectedUpload();
        rejected.artifactId = artifactId;
        rejected.name = name.length() > 1024 ? name.substring(0, 1024) : name;
        rejected.reason = reason;
        rejected.conflict = conflict;
        rejected.createdAt = Instant.now();
        rejected.persist();
    }

    /** Retires the published artifact {@code name}; its contents go once no other published artifact uses them. */
    @Transactional
    public Optional<Retirement> retire(String name) {
        Optional<Artifact> found = Artifact.publishedNamed(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Artifact artifact = found.get();
        artifact.status = Artifact.Status.RETIRED;
        artifact.retiredAt = Instant.now();
        List<String> keys = new ArrayList<>();
        Set<String> contents = new LinkedHashSet<>();
        artifact.files.forEach(f -> contents.add(f.sha256));
        for (String sha256 : contents) {
            if (!Artifact.contentInUse(sha256, artifact.id)) {
                Content.<Content>findByIdOptional(sha256).ifPresent(content -> {
                    keys.add(content.objectKey);
                    content.delete();
                });
            }
        }
        keys.add(artifact.torrent.torrentKey);
        keys.add(ObjectKeys.pieceHashes(artifact.id));
        return Optional.of(new Retirement(artifact.id, artifact.torrent.swarmKey, keys));
    }

    @Transactional
    public void markPublished(UUID artifactId) {
        Torrent.update("published = true where artifactId = ?1", artifactId);
    }

    @Transactional
    public void markTombstoned(UUID artifactId) {
        Torrent.update("tombstoned = true where artifactId = ?1", artifactId);
    }

    /** Published torrents whose event has not reached Kafka yet (the outbox). */
    @Transactional
    public List<Artifact> unannounced(int limit) {
        return Artifact.<Artifact>find("status = ?1 and torrent.published = false order by createdAt",
                Artifact.Status.PUBLISHED).page(0, limit).stream().map(Catalog::loaded).toList();
    }

    /**
     * Retired torrents whose tombstone has not reached Kafka yet. One whose swarm has been published again
     * since (the same name and content uploaded anew) needs none: tombstoning it would retire the new one.
     */
    @Transactional
    public List<Retirement> untombstoned(int limit) {
        List<Retirement> pending = new ArrayList<>();
        for (Torrent torrent : Torrent.<Torrent>find("tombstoned = false and artifact.status = ?1",
                Artifact.Status.RETIRED).page(0, limit).list()) {
            boolean republished = Torrent.count("swarmKey = ?1 and artifact.status = ?2",
                    torrent.swarmKey, Artifact.Status.PUBLISHED) > 0;
            if (republished) {
                torrent.tombstoned = true;
            } else {
                pending.add(new Retirement(torrent.artifactId, torrent.swarmKey, List.of()));
            }
        }
        return pending;
    }

    /** The event that announces {@code artifact}'s torrent. */
    @Transactional
    public TorrentPublishedEvent event(UUID artifactId, String bucket) {
        Artifact artifact = Artifact.findById(artifactId);
        List<StoredFile> files = new ArrayList<>();
        for (ArtifactFile file : artifact.files) {
            Content content = Content.findById(file.sha256);
            files.add(new StoredFile(file.pathComponents(), file.length, file.sha256, content.objectKey));
        }
        Torrent torrent = artifact.torrent;
        return new TorrentPublishedEvent(artifact.id.toString(), artifact.name, torrent.infoHash, torrent.infoHashV2,
                artifact.format, artifact.pieceLength, artifact.size, artifact.sha256, artifact.privateTorrent,
                artifact.singleFile, files, torrent.trackerList(), bucket, torrent.torrentKey,
                artifact.createdAt.toEpochMilli());
    }

    public static CatalogEntry entry(Artifact artifact, String bucket) {
        Torrent torrent = artifact.torrent;
        return new CatalogEntry(artifact.id.toString(), artifact.name, artifact.status.name(), null, artifact.size,
                artifact.sha256, torrent.infoHash, torrent.infoHashV2, artifact.format, artifact.pieceLength,
                artifact.privateTorrent, artifact.comment, artifact.singleFile,
                artifact.files.stream().map(f -> new CatalogEntry.CatalogFile(f.pathComponents(), f.length, f.sha256)).toList(),
                torrent.trackerList(), bucket, torrent.torrentKey, artifact.createdAt.toEpochMilli());
    }

    /** Loads the lazy parts inside the transaction, so callers can read them after it. */
    private static Artifact loaded(Artifact artifact) {
        artifact.files.size();
        return artifact;
    }
}
