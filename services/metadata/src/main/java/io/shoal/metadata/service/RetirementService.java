package io.shoal.metadata.service;

import io.shoal.metadata.messaging.TorrentPublisher;
import io.shoal.objectstore.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Retires an artifact: recorded first, then its tombstone is sent and the objects nobody else uses removed. */
@ApplicationScoped
public class RetirementService {

    private static final Logger LOG = Logger.getLogger(RetirementService.class);

    private final CatalogService catalog;
    private final TorrentPublisher publisher;
    private final BlobStore blobs;

    RetirementService(CatalogService catalog, TorrentPublisher publisher, BlobStore blobs) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.blobs = blobs;
    }

    /** @return whether a published artifact of that name existed */
    public boolean retire(String name) {
        Optional<CatalogService.Retirement> retired = catalog.retire(name);
        if (retired.isEmpty()) {
            return false;
        }
        CatalogService.Retirement retirement = retired.get();
        publisher.tombstone(retirement);
        for (String key : retirement.objectKeys()) {
            try {
                blobs.remove(key);
            } catch (IOException e) {
                LOG.warnf("could not remove %s (the janitor will): %s", key, e.getMessage());
            }
        }
        LOG.infof("artifact '%s' (%s) retired; torrent %s tombstoned, %d objects removed", name,
                retirement.artifactId(), retirement.swarmKey(), retirement.objectKeys().size());
        return true;
    }
}
