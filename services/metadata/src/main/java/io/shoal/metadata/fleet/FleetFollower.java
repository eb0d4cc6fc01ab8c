package io.shoal.metadata.fleet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.shoal.events.HostReportsEvent;
import io.shoal.events.SeederStatsEvent;
import io.shoal.metadata.MetadataConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the {@link FleetLedger} from shoal.tracker.hosts and shoal.seeder.stats (one consumer group: each record is
 * written by one metadata instance), and samples it on a schedule. The ledger is a view: a record that cannot be
 * written (the database away, whatever the exception says) is logged and skipped, never a reason to stop: an exception
 * out of an {@code @Incoming} method would stop the channel for good. The next announce says it again.
 */
@ApplicationScoped
class FleetFollower {

    private static final Logger LOG = Logger.getLogger(FleetFollower.class);

    private final FleetLedger ledger;
    private final long sampleMillis;
    private final Counter hosts;
    private final Counter failures;
    private volatile long lastFailureLog;

    FleetFollower(FleetLedger ledger, MetadataConfig config, MeterRegistry registry) {
        this.ledger = ledger;
        this.sampleMillis = config.rollout().sampleInterval().toMillis();
        this.hosts = Counter.builder("shoal.metadata.fleet.hosts.recorded")
                .description("host reports written to the fleet ledger").register(registry);
        this.failures = Counter.builder("shoal.metadata.fleet.failures")
                .description("fleet ledger updates lost (the database failed); the rollout view catches up with later ones").register(registry);
    }

    @Incoming("tracker-hosts")
    @Blocking
    void onHosts(Record<String, HostReportsEvent> record) {
        if (record.value() == null) {
            return;
        }
        try {
            hosts.increment(ledger.record(record.value(), Instant.now()));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Incoming("seeder-ledger")
    @Blocking
    void onSeederStats(Record<String, SeederStatsEvent> record) {
        if (record.value() == null) {
            return;
        }
        try {
            ledger.record(record.value(), Instant.now());
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Scheduled(every = "${shoal.metadata.rollout.sample-interval:1m}", delayed = "${shoal.metadata.rollout.sample-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        Instant now = Instant.now();
        try {
            ledger.sample(Instant.ofEpochMilli(now.toEpochMilli() / sampleMillis * sampleMillis), now);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        failures.increment();
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 10_000) {
            lastFailureLog = now;
            LOG.warnf("the fleet ledger missed an update (the rollout view catches up with the next announces): %s: %s",
                    e.getClass().getSimpleName(), e.getMessage());
        }
    }
}
