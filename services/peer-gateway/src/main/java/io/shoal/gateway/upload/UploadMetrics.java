package io.shoal.gateway.upload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Uploads by how they ended, {@code shoal_gateway_uploads_total{outcome}}: what the dashboard plots and the
 * upload error rate alert divides. Every outcome is registered at start (eagerly), so a rate over it is 0, never absent.
 */
@Startup
@ApplicationScoped
public class UploadMetrics {

    /** How an upload ended, by the status it was answered with. */
    enum Outcome {
        /** 201: stored and published. */
        CREATED,
        /** 200: the name already held the same content. */
        EXISTING,
        /** 202: stored; the torrent is published later. */
        ACCEPTED,
        /** 4xx: the client's request was refused (bad input, token, conflict, too large). */
        REFUSED,
        /** 5xx: the gateway or a backing service failed; nothing was kept. */
        FAILED;

        static Outcome of(int status) {
            return switch (status) {
                case 201 -> CREATED;
                case 200 -> EXISTING;
                case 202 -> ACCEPTED;
                default -> status >= 500 ? FAILED : REFUSED;
            };
        }
    }

    private final Map<Outcome, Counter> uploads = new EnumMap<>(Outcome.class);

    UploadMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            uploads.put(outcome, Counter.builder("shoal.gateway.uploads").tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("uploads answered, by outcome").register(registry));
        }
    }

    void answered(int status) {
        uploads.get(Outcome.of(status)).increment();
    }
}
