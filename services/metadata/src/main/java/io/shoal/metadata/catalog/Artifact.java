package io.shoal.metadata.catalog;

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
import java.util.UUID;

/** An uploaded artifact and its torrent: the system of record's main row. */
@Entity
@Table(name = "artifact")
public class Artifact {

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
}
