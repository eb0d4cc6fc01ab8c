package io.shoal.metadata.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A distinct content (by SHA-256) and the one object that holds it. */
@Entity
@Table(name = "content")
public class Content {

    @Id
    public String sha256;
    @Column(name = "object_key", nullable = false)
    public String objectKey;
    public long size;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
