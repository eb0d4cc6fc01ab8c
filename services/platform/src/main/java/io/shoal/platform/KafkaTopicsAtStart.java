package io.shoal.platform;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.events.ShoalTopics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * Creates the Shoal topics the cluster lacks when the service starts, on a thread of its own, trying again
 * every few seconds until Kafka answers: a service never waits for Kafka to start, and a first deployment
 * or a recreated topic needs no separate job (a Kubernetes Job that referenced the configuration could not
 * be applied again once it changed). Off with {@code SHOAL_KAFKA_CREATE_TOPICS=false} where an operator
 * creates topics (see ShoalTopic).
 */
@ApplicationScoped
public class KafkaTopicsAtStart {

    private static final Logger LOG = Logger.getLogger(KafkaTopicsAtStart.class);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ShoalKafkaConfig config;
    private final KafkaClientProperties kafka;
    private volatile Thread thread;

    KafkaTopicsAtStart(ShoalKafkaConfig config, KafkaClientProperties kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    void start(@Observes @Priority(2) StartupEvent event) {
        if (!config.createTopics()) {
            LOG.info("not creating Kafka topics (shoal.kafka.create-topics=false): they must exist as ShoalTopic defines them");
            return;
        }
        thread = new Thread(this::ensure, "kafka-topics");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    private void ensure() {
        boolean warned = false;
        try (Admin admin = kafka.admin(TIMEOUT)) {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ShoalTopics.Outcome outcome = ShoalTopics.ensure(admin, config.replicationFactor(), TIMEOUT);
                    outcome.created().forEach(topic -> LOG.infof("created Kafka topic %s (%d copies)", topic,
                            config.replicationFactor()));
                    outcome.raised().forEach(r -> LOG.infof("Kafka topic %s: raised so Shoal's largest events fit", r));
                    outcome.disagreements().forEach(d -> LOG.warnf("Kafka topic %s: work is spread over fewer partitions", d));
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!warned) {
                        LOG.warnf("cannot create Kafka topics yet (%s); trying again every %d s", e, RETRY.toSeconds());
                        warned = true;
                    }
                    Thread.sleep(RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
