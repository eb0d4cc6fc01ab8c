package io.shoal.metadata.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class UploadOutcomeRepository implements PanacheRepositoryBase<UploadOutcome, UUID> {
}
