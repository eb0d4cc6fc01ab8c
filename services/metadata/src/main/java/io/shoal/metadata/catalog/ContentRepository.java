package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ContentRepository implements PanacheRepositoryBase<Content, String> {

    /**
     * The content, its row locked until the transaction ends. Registration and retirement both take this lock
     * before they decide about a content, so a retirement cannot remove an object a registration is sharing: the
     * later of the two sees what the earlier committed (a content retired meanwhile reads as absent).
     */
    public Optional<Content> lockForUpdate(String sha256) {
        return findByIdOptional(sha256, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The object holding each content the artifact's files use, by SHA-256 (one query). */
    public Map<String, String> objectKeysOf(UUID artifactId) {
        Map<String, String> keys = new HashMap<>();
        getEntityManager().createQuery("select c.sha256, c.objectKey from Content c where c.sha256 in "
                        + "(select f.sha256 from ArtifactFile f where f.artifact.id = ?1)", Object[].class)
                .setParameter(1, artifactId)
                .getResultList()
                .forEach(row -> keys.put((String) row[0], (String) row[1]));
        return keys;
    }

    /** Object keys that hold content, among those under {@code prefix} (one upload's content objects). */
    public List<String> objectKeysUnder(String prefix) {
        return getEntityManager().createQuery("select c.objectKey from Content c where c.objectKey like ?1", String.class)
                .setParameter(1, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .getResultList();
    }
}
