package io.shoal.metadata;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an operator watches on metadata: uploads by how they were decided, an upload waiting for the store or the
 * database (an outage in progress), what the janitor reclaimed, torrents republished because shoal.torrents had
 * lost them. Registered at start, so rates are 0 rather than absent.
 */
@Startup
@ApplicationScoped
public class MetadataMetrics {

    /** How an upload event ended. */
    public enum Upload { PUBLISHED, UNCHANGED, REJECTED, UNREADABLE }

    /** What the janitor removed. */
    public enum Reclaimed { OBJECT, MULTIPART_UPLOAD }

    private final Map<Upload, Counter> uploads = new ConcurrentHashMap<>();
    private final Map<Reclaimed, Counter> reclaimed = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter republished;

    MetadataMetrics(MeterRegistry registry) {
        for (Upload outcome : Upload.values()) {
            uploads.put(outcome, Counter.builder("shoal.metadata.uploads").tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("upload events handled, by outcome").register(registry));
        }
        for (Reclaimed kind : Reclaimed.values()) {
            reclaimed.put(kind, Counter.builder("shoal.metadata.janitor.reclaimed").tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .description("orphaned objects and abandoned multipart uploads the janitor removed").register(registry));
        }
        Gauge.builder("shoal.metadata.uploads.waiting", waiting, AtomicInteger::get)
                .description("1 while an upload waits for the object store or the database to come back").register(registry);
        republished = Counter.builder("shoal.metadata.torrents.republished")
                .description("torrents sent again because shoal.torrents had lost them").register(registry);
    }

    public void handled(Upload outcome) {
        uploads.get(outcome).increment();
    }

    public void waiting(boolean now) {
        waiting.set(now ? 1 : 0);
    }

    public void reclaimed(Reclaimed kind) {
        reclaimed.get(kind).increment();
    }

    public void republished(int count) {
        republished.increment(count);
    }
}
