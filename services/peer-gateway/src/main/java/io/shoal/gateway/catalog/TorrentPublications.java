package io.shoal.gateway.catalog;

import io.shoal.events.TorrentPublishedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows {@code shoal.torrents} from its end, in a consumer group of its own (every gateway instance
 * sees every torrent), so an upload can wait until its torrent is published.
 */
@ApplicationScoped
public class TorrentPublications {

    private final ConcurrentMap<String, CompletableFuture<TorrentPublishedEvent>> awaited = new ConcurrentHashMap<>();

    /** Register before sending the upload event, so the answer cannot pass unseen. */
    public CompletableFuture<TorrentPublishedEvent> await(String artifactId) {
        return awaited.computeIfAbsent(artifactId, id -> new CompletableFuture<>());
    }

    public void forget(String artifactId) {
        awaited.remove(artifactId);
    }

    @Incoming("torrents")
    void onTorrent(ConsumerRecord<String, TorrentPublishedEvent> record) {
        TorrentPublishedEvent event = record.value();
        if (event == null) {
            return; // a tombstone, or a record this version cannot read
        }
        CompletableFuture<TorrentPublishedEvent> waiting = awaited.remove(event.artifactId());
        if (waiting != null) {
            waiting.complete(event);
        }
    }
}
