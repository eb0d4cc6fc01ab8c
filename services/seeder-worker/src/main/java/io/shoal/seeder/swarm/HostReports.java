package io.shoal.seeder.swarm;

import io.shoal.events.EventJson;
import io.shoal.events.HostReportsEvent;
import io.shoal.events.ShoalTopic;
import io.shoal.platform.RecentRecords;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Follows shoal.tracker.hosts for the ledger choking policy: what each host told the tracker it uploaded and
 * downloaded goes into the account this worker keeps of the peer listening at the host's endpoint, in the swarms it
 * seeds (hosts it has no account of are skipped, so what is kept is bounded by the ledger). Hosts are matched by
 * endpoint, not peer id: libtorrent sends every connection a new peer id. Every partition, outside any group, from
 * the reports of the last {@code window} on. Records are checked: a swarm key of 40 hex digits, endpoints of a sane
 * length, counters not negative, times not in the future.
 */
public final class HostReports implements RecentRecords.Handler<HostReportsEvent> {

    private static final Logger LOG = Logger.getLogger(HostReports.class);
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    /** How far ahead of this clock a report may be dated (the tracker's clock drifts; a forged one does not count). */
    static final Duration SKEW = Duration.ofMinutes(10);
    /** "[v6]:port" at its longest. */
    static final int MAX_ENDPOINT = 47;

    private final Clock clock;
    private final Function<String, Optional<Swarm>> swarms;

    private HostReports(Clock clock, Function<String, Optional<Swarm>> swarms) {
        this.clock = clock;
        this.swarms = swarms;
    }

    /** The topic's reports of the last {@code window}, checked, into the accounts of the swarms seeded here; start it. */
    public static RecentRecords<HostReportsEvent> follow(Properties kafka, String clientId, Duration window, Clock clock,
                                                         Function<String, Optional<Swarm>> swarms) {
        return new RecentRecords<>(kafka, ShoalTopic.TRACKER_HOSTS.topicName(), clientId, window, clock,
                new EventJson.HostReportsDeserializer(), "host report", new HostReports(clock, swarms));
    }

    @Override
    public void handle(HostReportsEvent event, ConsumerRecord<String, byte[]> record) {
        if (event == null || event.swarmKey() == null || !HEX40.matcher(event.swarmKey()).matches()) {
            LOG.warnf("skipping a malformed host report at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return;
        }
        Optional<Swarm> swarm = swarms.apply(event.swarmKey());
        if (swarm.isEmpty()) {
            return; // seeded elsewhere, or not at all
        }
        long latest = clock.millis() + SKEW.toMillis();
        int skipped = 0;
        for (HostReportsEvent.HostReport host : event.hosts().subList(0, Math.min(event.hosts().size(), HostReportsEvent.MAX_HOSTS))) {
            if (host == null || host.endpoint() == null || host.endpoint().length() > MAX_ENDPOINT || host.uploaded() < 0
                    || host.downloaded() < 0 || host.atMillis() > latest) {
                skipped++;
                continue;
            }
            swarm.get().reported(host.endpoint(), host.uploaded(), host.downloaded(), host.atMillis());
        }
        if (skipped > 0) {
            LOG.warnf("skipped %d malformed hosts of a report at %s-%d@%d", skipped, record.topic(), record.partition(), record.offset());
        }
    }
}
