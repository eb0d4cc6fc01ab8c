package io.shoal.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON form of events on the wire. Unknown fields are ignored so a newer producer does not break an
 * older consumer; absent optional fields are left out.
 */
public final class EventJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventJson() {
    }

    public static byte[] write(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + event.getClass().getSimpleName(), e);
        }
    }

    /** @return the event, or null for a tombstone (a null value) */
    public static <T> T read(byte[] json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Kafka value serializer for every event record. */
    public static final class EventSerializer implements Serializer<Object> {
        @Override
        public byte[] serialize(String topic, Object event) {
            return event == null ? null : write(event);
        }
    }

    public static final class ArtifactUploadedDeserializer implements Deserializer<ArtifactUploadedEvent> {
        @Override
        public ArtifactUploadedEvent deserialize(String topic, byte[] data) {
            return read(data, ArtifactUploadedEvent.class);
        }
    }

    public static final class SeederStatsDeserializer implements Deserializer<SeederStatsEvent> {
        @Override
        public SeederStatsEvent deserialize(String topic, byte[] data) {
            return read(data, SeederStatsEvent.class);
        }
    }

    public static final class HostReportsDeserializer implements Deserializer<HostReportsEvent> {
        @Override
        public HostReportsEvent deserialize(String topic, byte[] data) {
            return read(data, HostReportsEvent.class);
        }
    }

    public static final class PreheatRequestedDeserializer implements Deserializer<PreheatRequestedEvent> {
        @Override
        public PreheatRequestedEvent deserialize(String topic, byte[] data) {
            return read(data, PreheatRequestedEvent.class);
        }
    }

    public static final class TorrentPublishedDeserializer implements Deserializer<TorrentPublishedEvent> {
        @Override
        public TorrentPublishedEvent deserialize(String topic, byte[] data) {
            return read(data, TorrentPublishedEvent.class);
        }
    }
}
