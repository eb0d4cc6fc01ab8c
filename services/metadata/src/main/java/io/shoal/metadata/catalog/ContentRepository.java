package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

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

    /** Object keys that hold content, among those under {@code prefix} (one upload's content objects). */
    public List<String> objectKeysUnder(String prefix) {
        return getEntityManager().createQuery("select c.objectKey from Content c where c.objectKey like ?1", String.class)
                .setParameter(1, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .getResultList();
    }
}
