package io.shoal.seeder.preheat;

import io.shoal.events.EventJson;
import io.shoal.events.PreheatRequestedEvent;
import io.shoal.events.ShoalTopic;
import io.shoal.platform.RecentRecords;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Follows shoal.seeder.preheat: every partition, outside any group (the request is for whichever worker seeds the
 * torrent, and a torrent may move to this one later), from the requests of the last {@code window} on. Records are
 * checked before they reach the {@link Preheater}: a swarm key of 40 hex digits, a time not in the future.
 */
public final class PreheatRequests implements RecentRecords.Handler<PreheatRequestedEvent> {

    private static final Logger LOG = Logger.getLogger(PreheatRequests.class);
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    /** How far ahead of this clock a request may be dated (metadata's clock drifts; a forged one does not count). */
    static final Duration SKEW = Duration.ofMinutes(10);

    private final Clock clock;
    private final Consumer<PreheatRequestedEvent> target;

    private PreheatRequests(Clock clock, Consumer<PreheatRequestedEvent> target) {
        this.clock = clock;
        this.target = target;
    }

    /** The topic's requests of the last {@code window}, checked, for {@code target}; start it. */
    public static RecentRecords<PreheatRequestedEvent> follow(Properties kafka, String clientId, Duration window, Clock clock,
                                                             Consumer<PreheatRequestedEvent> target) {
        return new RecentRecords<>(kafka, ShoalTopic.SEEDER_PREHEAT.topicName(), clientId, window, clock,
                new EventJson.PreheatRequestedDeserializer(), "preheat request", new PreheatRequests(clock, target));
    }

    @Override
    public void handle(PreheatRequestedEvent request, ConsumerRecord<String, byte[]> record) {
        if (request == null || request.swarmKey() == null || !HEX40.matcher(request.swarmKey()).matches()
                || request.requestedAtMillis() > clock.millis() + SKEW.toMillis() || request.requestedAtMillis() <= 0) {
            LOG.warnf("skipping a malformed preheat request at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return;
        }
        String name = request.name() == null ? "" : request.name().length() > 255 ? request.name().substring(0, 255) : request.name();
        target.accept(new PreheatRequestedEvent(request.swarmKey(), name, request.requestedAtMillis()));
    }
}
