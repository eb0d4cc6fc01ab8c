package io.shoal.platform;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which topic a name stands for now. A topic deleted and created again under the same name is another topic
 * (a new id) whose offsets have nothing to do with the old one's: a reader that kept its positions would skip
 * records or wait for ones that never come. Readers ask {@link #changed()} now and then and start over when it
 * says so.
 */
public final class TopicIdentity implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String topic;
    private final Duration interval;
    private Uuid known;
    private long nextCheck;

    /**
     * @param connection the service's Kafka connection settings; client settings an admin client does not take
     *                   are left out
     * @param interval   how often {@link #changed()} asks Kafka at most
     */
    public TopicIdentity(Properties connection, String topic, Duration interval) {
        Properties properties = new Properties();
        connection.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(String.valueOf(key))) {
                properties.put(key, value);
            }
        });
        String millis = Long.toString(TIMEOUT.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        this.admin = Admin.create(properties);
        this.topic = topic;
        this.interval = interval;
    }

    /**
     * The topic's id now; empty while no topic has the name.
     *
     * @throws IllegalStateException when Kafka does not answer
     */
    public Optional<Uuid> current() {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).topicId());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("describing " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe " + topic + " within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        }
    }

    /**
     * Whether the name stands for another topic than the first time it was seen, or the last time this said so.
     * Asks Kafka at most once an interval; a missing topic or a Kafka that does not answer is no change (yet).
     */
    public synchronized boolean changed() {
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return false;
        }
        nextCheck = now + interval.toNanos();
        Optional<Uuid> id;
        try {
            id = current();
        } catch (IllegalStateException e) {
            return false;
        }
        if (id.isEmpty()) {
            return false;
        }
        if (known == null || known.equals(id.get())) {
            known = id.get();
            return false;
        }
        known = id.get();
        return true;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
