package io.shoal.platform;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

/**
 * A topic's recent records as values: every partition, outside any group, from the records of the last {@code window}
 * on ({@link TopicFollower#allPartitions}, {@link TopicFollower#seekToTime}); a record that does not deserialize is
 * logged and skipped, the rest go to the handler, which checks them as the hostile input they are.
 */
public final class RecentRecords<T> implements TopicFollower.Reader {

    private static final Logger LOG = Logger.getLogger(RecentRecords.class);

    /** What is done with a record's value (null for a record without one). */
    public interface Handler<T> {
        void handle(T value, ConsumerRecord<String, byte[]> record);
    }

    private final TopicFollower follower;
    private final Duration window;
    private final Clock clock;
    private final Deserializer<T> deserializer;
    private final String what;
    private final Handler<T> handler;

    /** @param what what a record is, for the log ("preheat request") */
    public RecentRecords(Properties kafka, String topic, String clientId, Duration window, Clock clock, Deserializer<T> deserializer,
                         String what, Handler<T> handler) {
        this.window = window;
        this.clock = clock;
        this.deserializer = deserializer;
        this.what = what;
        this.handler = handler;
        this.follower = TopicFollower.allPartitions(kafka, topic, clientId, this);
    }

    public void start() {
        follower.start();
    }

    public void stop() {
        follower.stop();
    }

    @Override
    public void seekStart(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
        TopicFollower.seekToTime(consumer, partitions, clock.millis() - window.toMillis());
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        T value;
        try {
            value = deserializer.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            LOG.warnf("skipping an unreadable %s at %s-%d@%d: %s", what, record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        handler.handle(value, record);
    }
}
