package io.shoal.tracker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an operator watches: announces and scrapes per second (rate of the counters), failures by kind,
 * swarms, peers and tracked torrents, and the replication stream. Prometheus names:
 * {@code shoal_tracker_announces_total{protocol}}, {@code shoal_tracker_failures_total{protocol,kind}},
 * {@code shoal_tracker_swarms}, {@code shoal_tracker_peers}, … Registered at start, not at the first announce:
 * a tracker nobody has reached yet exports zeros, and alerts on its rates are not blind.
 */
@Startup
@ApplicationScoped
public class TrackerMetrics {

    /** Where a request came in. */
    public enum Protocol { HTTP, UDP }

    /** Why a request got a failure reason (or a BEP 15 error), in few enough kinds to be a label. */
    public enum FailureKind { BAD_REQUEST, UNKNOWN_TORRENT, FULL, SWARM_FULL, ADDRESS_FULL, CONNECTION_ID, INTERNAL }

    private final Map<Protocol, Counter> announces = new EnumMap<>(Protocol.class);
    private final Map<Protocol, Counter> scrapes = new EnumMap<>(Protocol.class);
    private final Map<Protocol, Map<FailureKind, Counter>> failures = new EnumMap<>(Protocol.class);
    private final Counter replicationSent;
    private final Counter replicationDropped;
    private final Counter replicationApplied;
    private final Counter peersExpired;
    private final Counter hostReportsSent;
    private final Counter hostReportsDropped;

    TrackerMetrics(MeterRegistry registry, SwarmStore swarms, TrackedTorrents torrents) {
        for (Protocol protocol : Protocol.values()) {
            String tag = protocol.name().toLowerCase(java.util.Locale.ROOT);
            announces.put(protocol, Counter.builder("shoal.tracker.announces").tag("protocol", tag)
                    .description("announces answered with peers").register(registry));
            scrapes.put(protocol, Counter.builder("shoal.tracker.scrapes").tag("protocol", tag)
                    .description("scrapes answered").register(registry));
            Map<FailureKind, Counter> byKind = new EnumMap<>(FailureKind.class);
            for (FailureKind kind : FailureKind.values()) {
                byKind.put(kind, Counter.builder("shoal.tracker.failures").tag("protocol", tag)
                        .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                        .description("requests answered with a failure reason or a BEP 15 error").register(registry));
            }
            failures.put(protocol, byKind);
        }
        Gauge.builder("shoal.tracker.swarms", swarms, SwarmStore::swarmCount).description("swarms with state").register(registry);
        Gauge.builder("shoal.tracker.peers", swarms, SwarmStore::peerCount).description("peers across all swarms").register(registry);
        Gauge.builder("shoal.tracker.torrents", torrents, TrackedTorrents::size).description("published torrents tracked").register(registry);
        replicationSent = Counter.builder("shoal.tracker.replication.sent").description("announces sent to the other replicas").register(registry);
        replicationDropped = Counter.builder("shoal.tracker.replication.dropped")
                .description("announces not sent to the other replicas (queue full or Kafka failed)").register(registry);
        replicationApplied = Counter.builder("shoal.tracker.replication.applied").description("other replicas' announces applied").register(registry);
        hostReportsSent = Counter.builder("shoal.tracker.host.reports.sent")
                .description("hosts' announces sent to shoal.tracker.hosts (the fleet ledger)").register(registry);
        hostReportsDropped = Counter.builder("shoal.tracker.host.reports.dropped")
                .description("hosts' announces not sent to shoal.tracker.hosts (queue full or Kafka failed)").register(registry);
        peersExpired = Counter.builder("shoal.tracker.peers.expired").description("peers dropped for not announcing").register(registry);
    }

    public void announced(Protocol protocol) {
        announces.get(protocol).increment();
    }

    public void scraped(Protocol protocol) {
        scrapes.get(protocol).increment();
    }

    public void failed(Protocol protocol, FailureKind kind) {
        failures.get(protocol).get(kind).increment();
    }

    public void replicationSent(int announces) {
        replicationSent.increment(announces);
    }

    public void replicationDropped(int announces) {
        replicationDropped.increment(announces);
    }

    public void replicationApplied(int announces) {
        replicationApplied.increment(announces);
    }

    public void hostReportsSent(int hosts) {
        hostReportsSent.increment(hosts);
    }

    public void hostReportsDropped(int hosts) {
        hostReportsDropped.increment(hosts);
    }

    public void peersExpired(int count) {
        peersExpired.increment(count);
    }
}
