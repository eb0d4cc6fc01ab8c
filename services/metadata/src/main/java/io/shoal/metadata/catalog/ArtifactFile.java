package io.shoal.metadata.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;

/** One file of an artifact, in torrent order. The path's components are joined by '/', which no component holds. */
@Entity
@Table(name = "artifact_file")
public class ArtifactFile {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "artifact_file_seq")
    @SequenceGenerator(name = "artifact_file_seq", sequenceName = "artifact_file_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "artifact_id")
    public Artifact artifact;
    public int position;
    @Column(nullable = false)
    public String path;
    public long length;
    @Column(nullable = false)
    public String sha256;

    public List<String> pathComponents() {
        return Arrays.asList(path.split("/", -1));
    }
}
