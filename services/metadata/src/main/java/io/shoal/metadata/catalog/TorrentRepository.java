package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TorrentRepository implements PanacheRepositoryBase<Torrent, UUID> {

    public void markPublished(UUID artifactId, boolean published) {
        update("published = ?1 where artifactId = ?2", published, artifactId);
    }

    public void markTombstoned(UUID artifactId) {
        update("tombstoned = true where artifactId = ?1", artifactId);
    }

    /** Retired torrents whose tombstone has not reached Kafka yet. */
    public List<Torrent> untombstoned(int limit) {
        return find("tombstoned = false and artifact.status = ?1", Artifact.Status.RETIRED).page(0, limit).list();
    }

    /** Whether a published artifact's torrent has this swarm key (the same content and options uploaded anew). */
    public boolean publishedUnder(String swarmKey) {
        return count("swarmKey = ?1 and artifact.status = ?2", swarmKey, Artifact.Status.PUBLISHED) > 0;
    }
}
