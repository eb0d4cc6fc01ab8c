package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;

/** One file of an artifact, in torrent order. The path's components are joined by '/', which no component holds. */
@Entity
@Table(name = "artifact_file")
public class ArtifactFile extends PanacheEntity {

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
