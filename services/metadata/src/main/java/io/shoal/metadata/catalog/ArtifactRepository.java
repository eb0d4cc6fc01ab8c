package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ArtifactRepository implements PanacheRepositoryBase<Artifact, UUID> {

    public Optional<Artifact> publishedNamed(String name) {
        return find("name = ?1 and status = ?2", name, Artifact.Status.PUBLISHED).firstResultOptional();
    }

    /** The published artifact of that name, locked until the transaction ends (registration and retirement). */
    public Optional<Artifact> publishedNamedForUpdate(String name) {
        return find("name = ?1 and status = ?2", name, Artifact.Status.PUBLISHED).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /** Published artifacts whose name contains {@code query} (case-insensitive), newest first. */
    public List<Artifact> search(String query, int limit) {
        String pattern = "%" + query.toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return find("status = ?1 and lower(name) like ?2 escape '\\' order by createdAt desc", Artifact.Status.PUBLISHED, pattern)
                .page(0, limit).list();
    }

    /** Whether a published artifact other than {@code except} still uses content {@code sha256}. */
    public boolean contentInUse(String sha256, UUID except) {
        return getEntityManager().createQuery("select count(f) from ArtifactFile f where f.sha256 = ?1"
                        + " and f.artifact.status = ?2 and f.artifact.id <> ?3", Long.class)
                .setParameter(1, sha256).setParameter(2, Artifact.Status.PUBLISHED).setParameter(3, except)
                .getSingleResult() > 0;
    }

    /** The newest published artifact whose torrent has this info-hash (v1 or swarm key: 40 hex; v2: 64 hex). */
    public Optional<Artifact> publishedByInfoHash(String hex) {
        String match = hex.length() == 64 ? "torrent.infoHashV2 = ?1" : "(torrent.infoHash = ?1 or torrent.swarmKey = ?1)";
        return find(match + " and status = ?2 order by createdAt desc", hex, Artifact.Status.PUBLISHED).firstResultOptional();
    }

    /** Published artifacts recorded before {@code recordedBefore} whose event Kafka has not acknowledged yet (the outbox). */
    public List<Artifact> unannounced(int limit, Instant recordedBefore) {
        return find("status = ?1 and torrent.published = false and createdAt < ?2 order by createdAt",
                Artifact.Status.PUBLISHED, recordedBefore).page(0, limit).list();
    }

    /** Every published artifact's id and swarm key: what shoal.torrents must hold. */
    public List<Object[]> publishedSwarmKeys() {
        return getEntityManager().createQuery("select a.id, a.torrent.swarmKey from Artifact a where a.status = ?1"
                + " and a.torrent.published = true", Object[].class).setParameter(1, Artifact.Status.PUBLISHED).getResultList();
    }

    /**
     * The swarm keys of published, public artifacts that hold a file with one of these SHA-256s, newest first, at most
     * {@code limit}: what a new torrent names under BEP 38 {@code similar}.
     */
    public List<String> publicSwarmsSharing(java.util.Collection<String> sha256s, int limit) {
        if (sha256s.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery("select a.torrent.swarmKey from Artifact a where a.status = ?1 and a.privateTorrent = false"
                        + " and exists (select f from ArtifactFile f where f.artifact = a and f.sha256 in ?2)"
                        + " order by a.createdAt desc", String.class)
                .setParameter(1, Artifact.Status.PUBLISHED).setParameter(2, sha256s).setMaxResults(limit).getResultList();
    }
}
