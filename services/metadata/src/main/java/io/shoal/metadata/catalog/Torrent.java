package io.shoal.metadata.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapsId;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An artifact's torrent. {@code published} and {@code tombstoned} record whether its event, and once
 * retired its tombstone, reached {@code shoal.torrents}: what has not is sent again (an outbox).
 */
@Entity
@Table(name = "torrent")
public class Torrent {

    @Id
    @Column(name = "artifact_id")
    public UUID artifactId;
    @OneToOne(optional = false)
    @MapsId
    @JoinColumn(name = "artifact_id")
    public Artifact artifact;
    @Column(name = "info_hash")
    public String infoHash;
    @Column(name = "info_hash_v2")
    public String infoHashV2;
    @Column(name = "swarm_key", nullable = false)
    public String swarmKey;
    @Column(name = "torrent_key", nullable = false)
    public String torrentKey;
    /** Announce URLs, one per line, in .torrent order. */
    @Column(nullable = false)
    public String trackers;
    public boolean published;
    public boolean tombstoned;

    public List<String> trackerList() {
        return trackers.isEmpty() ? List.of() : Arrays.asList(trackers.split("\n"));
    }
}
