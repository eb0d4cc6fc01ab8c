package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OneToOne;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** An uploaded artifact and its torrent: the system of record's main row. */
@Entity
@Table(name = "artifact")
public class Artifact extends PanacheEntityBase {

    public enum Status { PUBLISHED, RETIRED }

    @Id
    public UUID id;
    @Column(nullable = false)
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;
    public long size;
    @Column(nullable = false)
    public String sha256;
    @Column(nullable = false)
    public String format;
    @Column(name = "piece_length")
    public int pieceLength;
    @Column(name = "private_torrent")
    public boolean privateTorrent;
    @Column(name = "single_file")
    public boolean singleFile;
    public String comment;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "retired_at")
    public Instant retiredAt;

    @OneToMany(mappedBy = "artifact", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    public List<ArtifactFile> files = new ArrayList<>();

    @OneToOne(mappedBy = "artifact", cascade = CascadeType.ALL)
    public Torrent torrent;

    public static Optional<Artifact> publishedNamed(String name) {
        return find("name = ?1 and status = ?2", name, Status.PUBLISHED).firstResultOptional();
    }

    /** Published artifacts whose name contains {@code query} (case-insensitive), newest first. */
    public static List<Artifact> search(String query, int limit) {
        String pattern = "%" + query.toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return find("status = ?1 and lower(name) like ?2 escape '\\' order by createdAt desc", Status.PUBLISHED, pattern)
                .page(0, limit).list();
    }

    /** Whether a published artifact other than {@code except} still uses content {@code sha256}. */
    public static boolean contentInUse(String sha256, UUID except) {
        return ArtifactFile.count("sha256 = ?1 and artifact.status = ?2 and artifact.id <> ?3",
                sha256, Status.PUBLISHED, except) > 0;
    }
}
