package io.shoal.tracker.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.events.EventJson;
import io.shoal.events.HostReportsEvent;
import io.shoal.events.ShoalTopic;
import io.shoal.platform.KafkaClientProperties;
import io.shoal.tracker.TrackerConfig;
import io.shoal.tracker.TrackerMetrics;
import io.shoal.tracker.swarm.PeerUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * What each host says about itself when it announces (uploaded, downloaded, left), for metadata's fleet ledger on
 * shoal.tracker.hosts. The announcing thread only puts the announce in a concurrent map under its host and swarm,
 * replacing that host's earlier one: what waits is bounded by the hosts, not the announces (at most
 * {@code queue-capacity} hosts; a new one beyond is dropped and counted, its next announce says it again). One thread
 * takes what gathered every {@code shoal.tracker.ledger.interval} and sends a record per swarm (several for more than
 * {@link HostReportsEvent#MAX_HOSTS} hosts), keyed by the swarm.
 */
@ApplicationScoped
public class HostReportPublisher {

    private static final Logger LOG = Logger.getLogger(HostReportPublisher.class);

    /** One announce as the ledger needs it. */
    record Pending(InfoHash swarm, byte[] endpoint, PeerId peerId, long uploaded, long downloaded, long left,
                   AnnounceEvent event, long atMillis) {
    }

    private final String replica = UUID.randomUUID().toString();
    /** Each host's latest announce per swarm, waiting for the next send; bounded by hosts. */
    static final class Latest {
        /** A host of a swarm: the key its latest announce waits under. */
        private record Host(InfoHash swarm, byte[] endpoint) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Host other && swarm.equals(other.swarm) && Arrays.equals(endpoint, other.endpoint);
            }

            @Override
            public int hashCode() {
                return swarm.hashCode() * 31 + Arrays.hashCode(endpoint);
            }
        }

        private final ConcurrentHashMap<Host, Pending> waiting = new ConcurrentHashMap<>();
        private final int capacity;

        Latest(int capacity) {
            this.capacity = capacity;
        }

        /** @return false when the announce is a new host's beyond the capacity (dropped) */
        boolean put(Pending pending) {
            Host host = new Host(pending.swarm(), pending.endpoint());
            return !(waiting.put(host, pending) == null && waiting.size() > capacity && waiting.remove(host, pending));
        }

        /** Takes what waits; an announce put meanwhile waits for the next take. */
        List<Pending> take() {
            List<Pending> taken = new ArrayList<>();
            for (Map.Entry<Host, Pending> entry : waiting.entrySet()) {
                if (waiting.remove(entry.getKey(), entry.getValue())) {
                    taken.add(entry.getValue());
                }
            }
            return taken;
        }
    }

    private final Latest latest;
    private final boolean enabled;
    private final long intervalMillis;
    private final TrackerMetrics metrics;
    private final KafkaClientProperties kafka;
    private volatile boolean running = true;
    private volatile long lastFailureLog;
    private Thread thread;

    HostReportPublisher(TrackerConfig config, TrackerMetrics metrics, KafkaClientProperties kafka) {
        this.enabled = config.ledger().enabled();
        this.latest = new Latest(config.ledger().queueCapacity());
        this.intervalMillis = config.ledger().interval().toMillis();
        this.metrics = metrics;
        this.kafka = kafka;
    }

    /** An announce the tracker recorded (or a stop it applied): {@code uploaded}/{@code downloaded} as the host said. */
    public void report(InfoHash swarm, PeerUpdate update, long uploaded, long downloaded) {
        if (!enabled) {
            return;
        }
        if (!latest.put(new Pending(swarm, update.endpoint(), update.peerId(), Math.max(0, uploaded), Math.max(0, downloaded),
                update.left(), update.event(), update.atMillis()))) {
            metrics.hostReportsDropped(1);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("host reports off (shoal.tracker.ledger.enabled=false): metadata's rollout view hears nothing from this replica");
            return;
        }
        thread = new Thread(this::run, "report-hosts");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Properties p = BestEffortProducer.properties(kafka, "tracker-hosts-" + replica, 20);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            while (running) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    running = false;
                }
                flush(producer);
            }
            producer.flush();
        } catch (RuntimeException e) {
            LOG.errorf(e, "reporting hosts stopped; the rollout view no longer hears this replica");
        }
    }

    /** Sends what gathered: per swarm, each host's latest announce. */
    void flush(Producer<String, byte[]> producer) {
        List<Pending> drained = latest.take();
        if (drained.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (HostReportsEvent event : events(replica, drained, now)) {
            int hosts = event.hosts().size();
            try {
                producer.send(new ProducerRecord<>(ShoalTopic.TRACKER_HOSTS.topicName(), event.swarmKey(), EventJson.write(event)),
                        (meta, failure) -> {
                            if (failure == null) {
                                metrics.hostReportsSent(hosts);
                            } else {
                                dropped(failure, hosts);
                            }
                        });
            } catch (org.apache.kafka.common.KafkaException e) {
                dropped(e, hosts);
            }
        }
    }

    /** The records for what gathered: a swarm's hosts by endpoint, the latest announce of each, in pages. */
    static List<HostReportsEvent> events(String replica, List<Pending> drained, long now) {
        Map<String, Map<String, HostReportsEvent.HostReport>> bySwarm = new LinkedHashMap<>();
        for (Pending pending : drained) {
            Map<String, HostReportsEvent.HostReport> hosts = bySwarm.computeIfAbsent(pending.swarm().hex(), k -> new HashMap<>());
            String endpoint = endpoint(pending.endpoint());
            HostReportsEvent.HostReport previous = hosts.get(endpoint);
            if (previous == null || previous.atMillis() <= pending.atMillis()) {
                hosts.put(endpoint, new HostReportsEvent.HostReport(endpoint, pending.peerId().toString(),
                        pending.uploaded(), pending.downloaded(), pending.left(), eventName(pending.event()), pending.atMillis()));
            }
        }
        List<HostReportsEvent> events = new ArrayList<>();
        bySwarm.forEach((swarm, hosts) -> {
            List<HostReportsEvent.HostReport> all = new ArrayList<>(hosts.values());
            for (int from = 0; from < all.size(); from += HostReportsEvent.MAX_HOSTS) {
                events.add(new HostReportsEvent(replica, swarm, now,
                        all.subList(from, Math.min(all.size(), from + HostReportsEvent.MAX_HOSTS))));
            }
        });
        return events;
    }

    static String eventName(AnnounceEvent event) {
        return event == AnnounceEvent.NONE ? "" : event.name().toLowerCase(Locale.ROOT);
    }

    /** "a.b.c.d:port" or "[v6]:port". */
    static String endpoint(byte[] compact) {
        try {
            InetAddress address = InetAddress.getByAddress(Arrays.copyOf(compact, compact.length - 2));
            int port = ((compact[compact.length - 2] & 0xff) << 8) | (compact[compact.length - 1] & 0xff);
            return HostReportsEvent.endpoint(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an endpoint of " + compact.length + " bytes", e);
        }
    }

    private void dropped(Exception failure, int hosts) {
        metrics.hostReportsDropped(hosts);
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 10_000) {
            lastFailureLog = now;
            LOG.warnf("host reports are not reaching %s: %s", ShoalTopic.TRACKER_HOSTS.topicName(), failure.getMessage());
        }
    }
}
