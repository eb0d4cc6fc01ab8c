package io.shoal.metadata.fleet;

import io.shoal.events.HostReportsEvent;
import io.shoal.events.Rollout;
import io.shoal.events.SeederStatsEvent;
import io.shoal.metadata.MetadataConfig;
import io.shoal.metadata.catalog.ArtifactRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The fleet ledger in PostgreSQL: each host's latest announce per swarm, the seeder-workers' bytes per swarm, and
 * samples of the totals over time; the rollout view reads it. Everything from Kafka is checked before it is written:
 * swarms Shoal did not publish, malformed fields and times far from now are skipped (a forged record can add rows
 * only for published torrents, at most one per endpoint). Storage is bounded by age: hosts silent for
 * {@code host-retention} go, samples older than a day are thinned to one an hour, older than {@code history} go.
 */
@ApplicationScoped
public class FleetLedger {

    private static final Logger LOG = Logger.getLogger(FleetLedger.class);
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ENDPOINT = Pattern.compile("[0-9a-fA-F.:\\[\\]]{3,63}");
    private static final Set<String> EVENTS = Set.of("", "started", "completed", "stopped");
    /** How far a report's time may be from this clock: a tracker's clock drifts, a forged one does not count. */
    static final Duration SKEW = Duration.ofMinutes(10);
    static final int MAX_HOSTS_LISTED = 10_000;
    static final Duration KNOWN_FOR = Duration.ofSeconds(30);
    static final int MAX_KNOWN = 100_000;

    private final EntityManager em;
    private final ArtifactRepository artifacts;
    private final MetadataConfig.Rollout config;
    private final Preheats preheats;
    private final java.util.concurrent.ConcurrentHashMap<String, Known> knownSwarms = new java.util.concurrent.ConcurrentHashMap<>();

    FleetLedger(EntityManager em, ArtifactRepository artifacts, MetadataConfig config, Preheats preheats) {
        this.em = em;
        this.artifacts = artifacts;
        this.config = config.rollout();
        this.preheats = preheats;
    }

    /** @return hosts written (reports for a swarm Shoal did not publish, or malformed ones, are skipped) */
    @Transactional
    public int record(HostReportsEvent event, Instant now) {
        if (event.swarmKey() == null || !HEX40.matcher(event.swarmKey()).matches()
                || !published(event.swarmKey(), now)) {
            return 0;
        }
        int written = 0;
        for (HostReportsEvent.HostReport host : event.hosts()) {
            if (!valid(host, now)) {
                continue;
            }
            Timestamp at = Timestamp.from(Instant.ofEpochMilli(host.atMillis()));
            written += em.createNativeQuery("""
                    INSERT INTO fleet_host AS h (swarm_key, endpoint, peer_id, uploaded, downloaded, left_bytes, stopped,
                                                 first_seen, last_seen, last_progress, completed_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8, CASE WHEN ?6 = 0 THEN CAST(?8 AS TIMESTAMPTZ) END)
                    ON CONFLICT (swarm_key, endpoint) DO UPDATE SET
                        uploaded_before = h.uploaded_before + CASE WHEN h.peer_id <> EXCLUDED.peer_id THEN h.uploaded ELSE 0 END,
                        downloaded_before = h.downloaded_before + CASE WHEN h.peer_id <> EXCLUDED.peer_id THEN h.downloaded ELSE 0 END,
                        uploaded = CASE WHEN h.peer_id <> EXCLUDED.peer_id THEN EXCLUDED.uploaded
                                        ELSE GREATEST(h.uploaded, EXCLUDED.uploaded) END,
                        downloaded = CASE WHEN h.peer_id <> EXCLUDED.peer_id THEN EXCLUDED.downloaded
                                          ELSE GREATEST(h.downloaded, EXCLUDED.downloaded) END,
                        peer_id = EXCLUDED.peer_id,
                        last_progress = CASE WHEN EXCLUDED.left_bytes < h.left_bytes OR h.peer_id <> EXCLUDED.peer_id
                                             THEN EXCLUDED.last_seen ELSE h.last_progress END,
                        left_bytes = EXCLUDED.left_bytes,
                        stopped = EXCLUDED.stopped,
                        last_seen = EXCLUDED.last_seen,
                        completed_at = COALESCE(h.completed_at, EXCLUDED.completed_at)
                    WHERE h.last_seen <= EXCLUDED.last_seen
                    """)
                    .setParameter(1, event.swarmKey()).setParameter(2, host.endpoint()).setParameter(3, host.peerId())
                    .setParameter(4, host.uploaded()).setParameter(5, host.downloaded()).setParameter(6, host.left())
                    .setParameter(7, "stopped".equals(host.event())).setParameter(8, at)
                    .executeUpdate();
        }
        return written;
    }

    /**
     * Whether Shoal published the swarm, remembered for {@link #KNOWN_FOR}: every tracker replica sends a record per
     * active swarm every few seconds (1,000 swarms in the tracker benchmark), which was a query each. A
     * swarm cannot reach a tracker before metadata has recorded it (trackers learn torrents from what metadata
     * publishes), so remembering "not published" loses nothing; a retired swarm is recorded for at most that long.
     */
    private boolean published(String swarmKey, Instant now) {
        long at = now.toEpochMilli();
        Known known = knownSwarms.get(swarmKey);
        if (known != null && at - known.checkedAt() < KNOWN_FOR.toMillis() && at >= known.checkedAt()) {
            return known.published();
        }
        boolean published = artifacts.publishedByInfoHash(swarmKey).isPresent();
        if (knownSwarms.size() >= MAX_KNOWN) {
            knownSwarms.clear(); // forged swarm keys cannot grow it without bound
        }
        knownSwarms.put(swarmKey, new Known(published, at));
        return published;
    }

    private record Known(boolean published, long checkedAt) {
    }

    private static boolean valid(HostReportsEvent.HostReport host, Instant now) {
        return host.endpoint() != null && ENDPOINT.matcher(host.endpoint()).matches()
                && host.peerId() != null && HEX40.matcher(host.peerId()).matches()
                && host.uploaded() >= 0 && host.downloaded() >= 0 && host.left() >= 0
                && host.event() != null && EVENTS.contains(host.event())
                && Math.abs(host.atMillis() - now.toEpochMilli()) <= SKEW.toMillis();
    }

    /**
     * A worker's record: its peer id (so its announces are not a host's), the bytes it served per torrent since its
     * last, and how its preheats go.
     */
    @Transactional
    public void record(SeederStatsEvent stats, Instant now) {
        if (stats.seederId() == null || !HEX40.matcher(stats.seederId()).matches()) {
            return;
        }
        String address = stats.advertisedAddress() == null ? "" : stats.advertisedAddress();
        em.createNativeQuery("""
                INSERT INTO fleet_seeder (peer_id, address, last_seen) VALUES (?1, ?2, ?3)
                ON CONFLICT (peer_id) DO UPDATE SET address = EXCLUDED.address, last_seen = EXCLUDED.last_seen
                """).setParameter(1, stats.seederId()).setParameter(2, address.length() > 255 ? address.substring(0, 255) : address)
                .setParameter(3, Timestamp.from(now)).executeUpdate();
        for (SeederStatsEvent.TorrentStats torrent : stats.torrents()) {
            if (torrent.infoHash() == null || !HEX40.matcher(torrent.infoHash()).matches()) {
                continue;
            }
            if (torrent.preheat() != null) {
                preheats.report(stats.seederId(), torrent, now); // matches only a recorded request
            }
            if (torrent.bytesServedInterval() <= 0 || !published(torrent.infoHash(), now)) {
                continue;
            }
            em.createNativeQuery("""
                    INSERT INTO fleet_served AS s (swarm_key, seeder_bytes, updated_at) VALUES (?1, ?2, ?3)
                    ON CONFLICT (swarm_key) DO UPDATE SET seeder_bytes = s.seeder_bytes + EXCLUDED.seeder_bytes,
                                                          updated_at = EXCLUDED.updated_at
                    """).setParameter(1, torrent.infoHash()).setParameter(2, torrent.bytesServedInterval())
                    .setParameter(3, Timestamp.from(now)).executeUpdate();
        }
    }

    /** The rollout of one swarm now; hosts listed when asked (the most recently seen first, at most {@link #MAX_HOSTS_LISTED}). */
    @Transactional
    public Rollout rollout(String name, String swarmKey, long size, boolean withHosts, Instant now) {
        Timestamp stalledBefore = Timestamp.from(now.minus(config.stalledAfter()));
        Object[] totals = (Object[]) em.createNativeQuery("""
                SELECT count(*) FILTER (WHERE completed_at IS NOT NULL),
                       count(*) FILTER (WHERE completed_at IS NULL AND NOT stopped AND last_progress > ?2),
                       count(*) FILTER (WHERE completed_at IS NULL AND (stopped OR last_progress <= ?2)),
                       COALESCE(sum(downloaded + downloaded_before), 0),
                       COALESCE(sum(uploaded + uploaded_before), 0)
                FROM fleet_host WHERE swarm_key = ?1 AND peer_id NOT IN (SELECT peer_id FROM fleet_seeder)
                """).setParameter(1, swarmKey).setParameter(2, stalledBefore).getSingleResult();
        long delivered = ((Number) totals[3]).longValue();
        long served = seederBytes(swarmKey);
        Double offload = delivered == 0 ? null : Math.max(0, Math.min(1, 1 - (double) served / delivered));
        List<Rollout.Sample> history = new ArrayList<>();
        for (Object row : em.createNativeQuery("""
                SELECT at, completed, in_progress, stalled, delivered, seeder_bytes FROM fleet_sample
                WHERE swarm_key = ?1 ORDER BY at
                """).setParameter(1, swarmKey).getResultList()) {
            Object[] r = (Object[]) row;
            history.add(new Rollout.Sample(instant(r[0]), ((Number) r[1]).intValue(), ((Number) r[2]).intValue(),
                    ((Number) r[3]).intValue(), ((Number) r[4]).longValue(), ((Number) r[5]).longValue()));
        }
        List<Rollout.Host> hosts = null;
        if (withHosts) {
            hosts = new ArrayList<>();
            for (Object row : em.createNativeQuery("""
                    SELECT endpoint, peer_id, left_bytes, completed_at IS NOT NULL, stopped OR last_progress <= ?2,
                           uploaded + uploaded_before, downloaded + downloaded_before, first_seen, last_seen
                    FROM fleet_host WHERE swarm_key = ?1 AND peer_id NOT IN (SELECT peer_id FROM fleet_seeder)
                    ORDER BY last_seen DESC, endpoint LIMIT ?3
                    """).setParameter(1, swarmKey).setParameter(2, stalledBefore).setParameter(3, MAX_HOSTS_LISTED)
                    .getResultList()) {
                Object[] r = (Object[]) row;
                long left = ((Number) r[2]).longValue();
                boolean completed = (Boolean) r[3];
                String state = completed ? "completed" : (Boolean) r[4] ? "stalled" : "in_progress";
                double progress = size <= 0 ? 1 : Math.max(0, Math.min(1, (double) (size - left) / size));
                hosts.add(new Rollout.Host((String) r[0], client((String) r[1]), completed && left == 0 ? 1 : progress, state,
                        ((Number) r[5]).longValue(), ((Number) r[6]).longValue(), instant(r[7]), instant(r[8])));
            }
        }
        return new Rollout(name, swarmKey, size, ((Number) totals[0]).intValue(), ((Number) totals[1]).intValue(),
                ((Number) totals[2]).intValue(), delivered, ((Number) totals[4]).longValue(), served, offload, history, hosts,
                preheats.state(swarmKey).orElse(null));
    }

    private long seederBytes(String swarmKey) {
        List<?> rows = em.createNativeQuery("SELECT seeder_bytes FROM fleet_served WHERE swarm_key = ?1")
                .setParameter(1, swarmKey).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.getFirst()).longValue();
    }

    /**
     * One sample per swarm whose hosts announced within the last hour, at {@code at} (every metadata instance
     * samples; the first one's row for that instant stands). Then the thinning and the retention.
     */
    @Transactional
    public int sample(Instant at, Instant now) {
        Timestamp stalledBefore = Timestamp.from(now.minus(config.stalledAfter()));
        int sampled = em.createNativeQuery("""
                INSERT INTO fleet_sample (swarm_key, at, completed, in_progress, stalled, delivered, seeder_bytes)
                SELECT h.swarm_key, ?1,
                       count(*) FILTER (WHERE completed_at IS NOT NULL),
                       count(*) FILTER (WHERE completed_at IS NULL AND NOT stopped AND last_progress > ?2),
                       count(*) FILTER (WHERE completed_at IS NULL AND (stopped OR last_progress <= ?2)),
                       COALESCE(sum(downloaded + downloaded_before), 0),
                       COALESCE(max(s.seeder_bytes), 0)
                FROM fleet_host h LEFT JOIN fleet_served s ON s.swarm_key = h.swarm_key
                WHERE h.peer_id NOT IN (SELECT peer_id FROM fleet_seeder)
                  AND h.swarm_key IN (SELECT swarm_key FROM fleet_host WHERE last_seen > ?3)
                GROUP BY h.swarm_key
                ON CONFLICT (swarm_key, at) DO NOTHING
                """).setParameter(1, Timestamp.from(at)).setParameter(2, stalledBefore)
                .setParameter(3, Timestamp.from(now.minus(Duration.ofHours(1)))).executeUpdate();
        int thinned = em.createNativeQuery("DELETE FROM fleet_sample WHERE at < ?1 AND date_trunc('hour', at) <> at")
                .setParameter(1, Timestamp.from(now.minus(Duration.ofDays(1)))).executeUpdate();
        int expired = em.createNativeQuery("DELETE FROM fleet_sample WHERE at < ?1")
                .setParameter(1, Timestamp.from(now.minus(config.history()))).executeUpdate();
        int gone = em.createNativeQuery("DELETE FROM fleet_host WHERE last_seen < ?1")
                .setParameter(1, Timestamp.from(now.minus(config.hostRetention()))).executeUpdate();
        em.createNativeQuery("DELETE FROM fleet_seeder WHERE last_seen < ?1")
                .setParameter(1, Timestamp.from(now.minus(config.hostRetention()))).executeUpdate();
        expired += preheats.expire(now.minus(config.history()));
        if (thinned + expired + gone > 0) {
            LOG.debugf("fleet ledger: %d samples thinned, %d expired, %d silent hosts dropped", thinned, expired, gone);
        }
        return sampled;
    }

    /** Azureus-style peer ids name their client ({@code -LT2090-}); others are shown by their first bytes. */
    static String client(String peerIdHex) {
        byte[] id = HexFormat.of().parseHex(peerIdHex);
        if (id[0] == '-' && id[7] == '-') {
            boolean printable = true;
            for (int i = 1; i < 7; i++) {
                printable &= id[i] >= 0x20 && id[i] < 0x7f;
            }
            if (printable) {
                return new String(id, 0, 8, StandardCharsets.US_ASCII);
            }
        }
        return peerIdHex.substring(0, 16);
    }

    static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : value instanceof Instant i ? i
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.parse(value.toString());
    }
}
