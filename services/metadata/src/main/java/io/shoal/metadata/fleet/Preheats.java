package io.shoal.metadata.fleet;

import io.quarkus.scheduler.Scheduled;
import io.shoal.events.PreheatRequestedEvent;
import io.shoal.events.Rollout;
import io.shoal.events.SeederStatsEvent;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Preheats: an operator asks for an artifact's pieces to be in the seeder-workers' caches before a rollout. The request
 * is recorded in PostgreSQL first (that is what the 202 stands on), then sent to shoal.seeder.preheat; a request
 * Kafka has not acknowledged is sent again every few seconds while the workers would still act on it (an outbox). The
 * worker seeding the torrent reports its progress in shoal.seeder.stats; {@link #report} keeps the latest report of
 * the latest request, which the rollout view shows.
 */
@ApplicationScoped
public class Preheats {

    private static final Logger LOG = Logger.getLogger(Preheats.class);
    /** How long the outbox waits for Kafka's acknowledgement. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    /**
     * How long a request waits for it: the request is recorded already, and an operator (behind the gateway's 10 s
     * timeout to metadata) gets the 202 whether Kafka answered or not; the outbox sends what was not acknowledged.
     */
    private static final Duration REQUEST_ACK_TIMEOUT = Duration.ofSeconds(3);
    /** Workers act on requests of the last hour (a worker that starts reads that far back): older unsent ones are moot. */
    public static final Duration WINDOW = Duration.ofHours(1);

    private final EntityManager em;
    private final MutinyEmitter<Record<String, PreheatRequestedEvent>> topic;

    Preheats(EntityManager em, @Channel("preheat") MutinyEmitter<Record<String, PreheatRequestedEvent>> topic) {
        this.em = em;
        this.topic = topic;
    }

    /**
     * Records a preheat of the swarm (replacing an earlier one and what was reported of it) and sends it.
     *
     * @return the request as the rollout view shows it; {@code requested} until a worker reports
     */
    public Rollout.Preheat request(String swarmKey, String name, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS); // the workers name the request by its millisecond
        record(swarmKey, name, at);
        PreheatRequestedEvent event = new PreheatRequestedEvent(swarmKey, name, at.toEpochMilli());
        if (send(event, REQUEST_ACK_TIMEOUT)) {
            LOG.infof("preheat of %s (%s) requested; the seeder-worker seeding it reads it into its cache", name, swarmKey);
        }
        return state(swarmKey).orElseThrow();
    }

    @Transactional
    void record(String swarmKey, String name, Instant at) {
        em.createNativeQuery("""
                INSERT INTO preheat (swarm_key, name, requested_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (swarm_key) DO UPDATE SET name = EXCLUDED.name, requested_at = EXCLUDED.requested_at, sent = FALSE,
                    seeder_id = NULL, reported_at = NULL, bytes_wanted = 0, bytes_read = 0, pieces_failed = 0,
                    whole_torrent = TRUE, finished_at = NULL
                """).setParameter(1, swarmKey).setParameter(2, name).setParameter(3, Timestamp.from(at)).executeUpdate();
    }

    private boolean send(PreheatRequestedEvent event, Duration timeout) {
        try {
            topic.send(Record.of(event.swarmKey(), event)).await().atMost(timeout);
        } catch (TimeoutException e) {
            LOG.warnf("preheat of %s: Kafka did not acknowledge within %d s; sending again shortly", event.name(), timeout.toSeconds());
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("preheat of %s: Kafka refused it (%s); sending again shortly", event.name(), e.getMessage());
            return false;
        }
        markSent(event.swarmKey(), Instant.ofEpochMilli(event.requestedAtMillis()));
        return true;
    }

    @Transactional
    void markSent(String swarmKey, Instant requestedAt) {
        em.createNativeQuery("UPDATE preheat SET sent = TRUE WHERE swarm_key = ?1 AND requested_at = ?2")
                .setParameter(1, swarmKey).setParameter(2, Timestamp.from(requestedAt)).executeUpdate();
    }

    @Transactional
    List<PreheatRequestedEvent> unsent(Instant now) {
        List<PreheatRequestedEvent> unsent = new java.util.ArrayList<>();
        for (Object row : em.createNativeQuery("""
                SELECT swarm_key, name, requested_at FROM preheat WHERE NOT sent AND requested_at > ?1 ORDER BY requested_at LIMIT 100
                """).setParameter(1, Timestamp.from(now.minus(WINDOW))).getResultList()) {
            Object[] r = (Object[]) row;
            unsent.add(new PreheatRequestedEvent(((String) r[0]).trim(), (String) r[1], FleetLedger.instant(r[2]).toEpochMilli()));
        }
        return unsent;
    }

    /** The outbox: requests recorded while Kafka was away (or whose acknowledgement was lost) are sent again. */
    @Scheduled(every = "${shoal.metadata.outbox-interval:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendUnsent() {
        try {
            for (PreheatRequestedEvent event : unsent(Instant.now())) {
                if (!send(event, ACK_TIMEOUT)) {
                    return;
                }
                LOG.infof("preheat of %s sent (it was recorded while Kafka did not acknowledge it)", event.name());
            }
        } catch (RuntimeException e) {
            LOG.warnf("unsent preheats could not be read (%s); trying again shortly", e.getMessage());
        }
    }

    /**
     * A worker's report on a preheat of a torrent it seeds; kept only when it answers the latest request of that swarm
     * (a report on an older request, or on none, changes nothing: a forged record cannot make up a preheat).
     */
    @Transactional
    public void report(String seederId, SeederStatsEvent.TorrentStats torrent, Instant now) {
        SeederStatsEvent.PreheatStats p = torrent.preheat();
        if (p == null || p.bytesWanted() < 0 || p.bytesRead() < 0 || p.piecesFailed() < 0 || p.finishedAtMillis() < 0) {
            return;
        }
        em.createNativeQuery("""
                UPDATE preheat SET seeder_id = ?3, reported_at = ?4, bytes_wanted = ?5, bytes_read = LEAST(?6, ?5),
                    pieces_failed = ?7, whole_torrent = ?8, finished_at = ?9
                WHERE swarm_key = ?1 AND requested_at = ?2 AND (reported_at IS NULL OR reported_at <= ?4)
                """).setParameter(1, torrent.infoHash()).setParameter(2, Timestamp.from(Instant.ofEpochMilli(p.requestedAtMillis())))
                .setParameter(3, seederId).setParameter(4, Timestamp.from(now)).setParameter(5, p.bytesWanted())
                .setParameter(6, p.bytesRead()).setParameter(7, p.piecesFailed()).setParameter(8, p.wholeTorrent())
                .setParameter(9, p.finishedAtMillis() == 0 ? null : Timestamp.from(Instant.ofEpochMilli(p.finishedAtMillis())))
                .executeUpdate();
    }

    /** The latest preheat of the swarm as the rollout view shows it. */
    @Transactional
    public Optional<Rollout.Preheat> state(String swarmKey) {
        List<?> rows = em.createNativeQuery("""
                SELECT requested_at, seeder_id, reported_at, bytes_wanted, bytes_read, pieces_failed, whole_torrent, finished_at
                FROM preheat WHERE swarm_key = ?1
                """).setParameter(1, swarmKey).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.getFirst();
        String seeder = r[1] == null ? null : ((String) r[1]).trim();
        Instant finished = r[7] == null ? null : FleetLedger.instant(r[7]);
        int failed = ((Number) r[5]).intValue();
        String state = seeder == null ? Rollout.Preheat.REQUESTED
                : finished == null ? Rollout.Preheat.RUNNING
                : failed > 0 ? Rollout.Preheat.FAILED
                : Boolean.TRUE.equals(r[6]) ? Rollout.Preheat.DONE : Rollout.Preheat.PARTIAL;
        return Optional.of(new Rollout.Preheat(FleetLedger.instant(r[0]), state, ((Number) r[3]).longValue(), ((Number) r[4]).longValue(),
                failed, seeder, r[2] == null ? null : FleetLedger.instant(r[2]), finished));
    }

    /** Preheats older than {@code history} go with the rest of the rollout's past. */
    @Transactional
    public int expire(Instant before) {
        return em.createNativeQuery("DELETE FROM preheat WHERE requested_at < ?1").setParameter(1, Timestamp.from(before)).executeUpdate();
    }
}
