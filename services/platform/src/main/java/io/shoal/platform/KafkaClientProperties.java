package io.shoal.platform;

import io.smallrye.common.annotation.Identifier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The connection settings of the service's Kafka channels ({@code kafka.*} configuration: bootstrap servers,
 * security protocol, TLS and SASL settings) for the plain Kafka clients a service runs besides them, so that a
 * cluster behind TLS or SASL is configured once for all of them.
 */
@ApplicationScoped
public class KafkaClientProperties {

    private final Map<String, Object> channels;

    KafkaClientProperties(@Identifier("default-kafka-broker") Map<String, Object> channels) {
        this.channels = channels;
    }

    /** A fresh copy; without the channels' default {@code group.id}, which each plain client chooses itself. */
    public Properties properties() {
        Properties properties = new Properties();
        properties.putAll(channels);
        properties.remove("group.id");
        return properties;
    }

    /**
     * An admin client whose calls give up after {@code timeout}; each request may take all of it (Kafka refuses an
     * API timeout shorter than the request timeout).
     */
    public Admin admin(Duration timeout) {
        Properties properties = properties();
        String millis = Long.toString(timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(properties);
    }
}
