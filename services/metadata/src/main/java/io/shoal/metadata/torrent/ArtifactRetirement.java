package io.shoal.metadata.torrent;

import io.shoal.metadata.catalog.Catalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Retires an artifact: recorded first, then its tombstone is sent and the objects nobody else uses removed. */
@ApplicationScoped
public class ArtifactRetirement {

    private static final Logger LOG = Logger.getLogger(ArtifactRetirement.class);

    private final Catalog catalog;
    private final TorrentPublisher publisher;
    private final UploadProcessor processor;

    ArtifactRetirement(Catalog catalog, TorrentPublisher publisher, UploadProcessor processor) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.processor = processor;
    }

    /** @return whether a published artifact of that name existed */
    public boolean retire(String name) {
        Optional<Catalog.Retirement> retired = catalog.retire(name);
        if (retired.isEmpty()) {
            return false;
        }
        Catalog.Retirement retirement = retired.get();
        publisher.tombstone(retirement);
        retirement.objectKeys().forEach(processor::remove);
        LOG.infof("artifact '%s' (%s) retired; torrent %s tombstoned, %d objects removed", name,
                retirement.artifactId(), retirement.swarmKey(), retirement.objectKeys().size());
        return true;
    }
}
