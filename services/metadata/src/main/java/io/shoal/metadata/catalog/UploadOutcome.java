package io.shoal.metadata.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An upload that did not become an artifact, and why: kept so the gateway waiting on it can answer its client,
 * and so the same event read again is known to be handled. An upload that did become one is an {@link Artifact}.
 */
@Entity
@Table(name = "upload_outcome")
public class UploadOutcome {

    public enum Kind {
        /** Refused: {@link #reason} says why. */
        REJECTED,
        /** Its name already held the same content with the same options: {@link #existingArtifactId} stands. */
        UNCHANGED
    }

    @Id
    @Column(name = "artifact_id")
    public UUID artifactId;
    @Column(nullable = false)
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind outcome;
    public String reason;
    /** The name was taken by other content: the gateway answers 409. */
    public boolean conflict;
    @Column(name = "existing_artifact_id")
    public UUID existingArtifactId;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
