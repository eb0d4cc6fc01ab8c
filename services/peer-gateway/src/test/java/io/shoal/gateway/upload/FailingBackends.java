package io.shoal.gateway.upload;

import io.shoal.infra.BackingServicesTestResource;
import io.shoal.infra.Ports;
import java.util.HashMap;
import java.util.Map;

/** Real backing services with one of them made unreachable, as seen from the gateway. */
final class FailingBackends {

    private FailingBackends() {
    }

    /** The gateway's object-store endpoint points at a closed port; Kafka and the store itself are real. */
    public static final class StoreDown extends BackingServicesTestResource {
        private final MetadataStub metadata = new MetadataStub();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("shoal.object-store.endpoint", "http://127.0.0.1:" + Ports.free());
            config.put("shoal.gateway.metadata-url", metadata.url());
            return config;
        }

        @Override
        public void stop() {
            metadata.close();
            super.stop();
        }
    }

    /** The gateway's Kafka bootstrap points at a closed port; the store is real. */
    public static final class KafkaDown extends BackingServicesTestResource {
        private final MetadataStub metadata = new MetadataStub();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("shoal.test.real-kafka", config.get("kafka.bootstrap.servers"));
            config.put("kafka.bootstrap.servers", "127.0.0.1:" + Ports.free());
            config.put("shoal.gateway.metadata-url", metadata.url());
            config.put("shoal.gateway.event-ack-timeout", "8s");
            return config;
        }

        @Override
        public void stop() {
            metadata.close();
            super.stop();
        }
    }
}
