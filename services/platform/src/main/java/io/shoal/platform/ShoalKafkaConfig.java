package io.shoal.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service treats Shoal's Kafka topics ({@code SHOAL_KAFKA_*}). */
@ConfigMapping(prefix = "shoal.kafka")
public interface ShoalKafkaConfig {

    /** Create the topics the cluster lacks at start (the service's Kafka principal then needs CREATE on them). */
    @WithDefault("true")
    boolean createTopics();

    /** Copies of each partition for topics this service creates: 1 on one broker, 3 on a production cluster. */
    @WithDefault("1")
    short replicationFactor();
}
