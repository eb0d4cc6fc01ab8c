package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An upload metadata refused, kept so the gateway waiting for it can tell its client why. */
@Entity
@Table(name = "rejected_upload")
public class RejectedUpload extends PanacheEntityBase {

    @Id
    @Column(name = "artifact_id")
    public UUID artifactId;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public String reason;
    /** The name was taken by other content: the gateway answers 409. */
    public boolean conflict;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
