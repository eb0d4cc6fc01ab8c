package io.shoal.seeder;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the peer port is bound and this worker has loaded every torrent of its share of shoal.torrents. */
@Readiness
@ApplicationScoped
public class SeederReadiness implements HealthCheck {

    private final SeederWorker worker;

    SeederReadiness(SeederWorker worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("seeding").status(worker.ready()).build();
    }
}
