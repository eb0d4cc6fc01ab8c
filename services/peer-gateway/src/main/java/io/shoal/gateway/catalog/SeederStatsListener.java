package io.shoal.gateway.catalog;

import io.shoal.events.SeederStatsEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Each record on {@code shoal.seeder.stats}, to the web seed's {@link SeederPresence} and the dashboard's {@link SeederBoard}. */
@ApplicationScoped
class SeederStatsListener {

    private final SeederPresence presence;
    private final SeederBoard board;

    SeederStatsListener(SeederPresence presence, SeederBoard board) {
        this.presence = presence;
        this.board = board;
    }

    @Incoming("seeder-stats")
    void onStats(ConsumerRecord<String, SeederStatsEvent> record) {
        if (record.value() != null) {
            presence.seen(record.value());
            board.seen(record.value());
        }
    }
}
