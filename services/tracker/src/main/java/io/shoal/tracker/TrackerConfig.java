package io.shoal.tracker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "shoal.tracker")
public interface TrackerConfig {

    /** The announce URL clients use for this tracker (what metadata writes into .torrent files). */
    String announceUrl();

    /** BEP 3's interval: how often clients re-announce. */
    @WithDefault("5m")
    Duration interval();

    /** The shortest interval a client should announce at, even when it wants more peers. */
    @WithDefault("30s")
    Duration minInterval();

    /** A peer not heard from for this long leaves its swarm; longer than {@link #interval()}. */
    @WithDefault("11m")
    Duration peerTtl();

    /** Peers in an answer when the client does not say (BEP 3's numwant). */
    @WithDefault("50")
    int defaultNumwant();

    /** Peers in an answer at most, whatever numwant says. */
    @WithDefault("200")
    int maxNumwant();

    /** Peers across all swarms; announces of new peers beyond it get a failure reason. */
    @WithDefault("1000000")
    long maxPeers();

    /** Peers in one swarm; beyond it, new peers get a failure reason until some leave or expire. */
    @WithDefault("100000")
    int maxPeersPerSwarm();

    /**
     * Peers one address may have across all swarms (every torrent a client announces is one), so one host
     * cannot fill the tracker. Addresses in {@link #trustedCidrs()} are not counted.
     */
    @WithDefault("64")
    int maxPeersPerAddress();

    /**
     * Track any info-hash, not only torrents Shoal published (followed on shoal.torrents). Swarms of an
     * open tracker are dropped when their last peer expires.
     */
    @WithDefault("false")
    boolean open();

    /**
     * Addresses (CIDR blocks) whose announces are believed: only from them is the {@code ip} parameter (HTTP)
     * or the ip field (UDP) honoured, so a seeder-worker or a proxy can say where peers reach it while any
     * other host is handed out at the address it announced from; and they are not counted against
     * {@link #maxPeersPerAddress()} (a seeder-worker announces every torrent it seeds).
     */
    Optional<List<String>> trustedCidrs();

    Udp udp();

    Topology topology();

    Replication replication();

    Ledger ledger();

    interface Ledger {
        /** Send each host's announces (uploaded, downloaded, left) to shoal.tracker.hosts for metadata's rollout view. */
        @WithDefault("true")
        boolean enabled();

        /** How often the gathered announces go out (each host's latest per swarm). */
        @WithDefault("5s")
        Duration interval();

        /** Hosts whose latest announce waits to go out, at most; a new host beyond is dropped (and counted) until the next send. */
        @WithDefault("100000")
        int queueCapacity();
    }

    interface Udp {
        /** The BEP 15 tracker on UDP; the same port number as HTTP unless set. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("${quarkus.http.host:0.0.0.0}")
        String host();

        /** 0 picks a free port (tests). */
        @WithDefault("${quarkus.http.port:6969}")
        int port();

        @WithDefault("2")
        int threads();

        /**
         * The secret connection ids are made with (BEP 15). Replicas behind one UDP address must share it,
         * or a client that connected through one replica is refused by the next; without it each process
         * draws its own.
         */
        Optional<String> connectionSecret();
    }

    interface Topology {
        /** Hand out peers in the asker's rack (or subnet) first, and only {@link #otherRackPeers()} from elsewhere. */
        @WithDefault("false")
        boolean enabled();

        /**
         * With the hint on, the most peers from other racks in an answer (seeds first for a leecher): enough to keep
         * every rack joined to the swarm, few enough that most bytes stay inside a rack. Measured in the lab (24
         * hosts, 3 racks, peer exchange off): 4 kept 50% of the bytes between hosts inside a rack, 2 kept 64% at
         * the same completion time and seeder egress.
         */
        @WithDefault("2")
        int otherRackPeers();

        @WithDefault("24")
        int ipv4SubnetPrefix();

        @WithDefault("64")
        int ipv6SubnetPrefix();

        /** Rack name to its CIDR blocks, e.g. {@code shoal.tracker.topology.racks.r1=10.1.0.0/24,10.1.1.0/24}. */
        Map<String, List<String>> racks();
    }

    interface Replication {
        /**
         * Share announces with the other replicas through shoal.tracker.announces, and read them back when
         * starting. Off: a single tracker that neither sends nor reads them, whose swarms start empty after a
         * restart (clients re-announce within an interval); the tracker benchmark measures what it saves.
         */
        @WithDefault("true")
        boolean enabled();

        /** Announces waiting to go to Kafka; beyond it they are dropped (counted), never waited for. */
        @WithDefault("65536")
        int queueCapacity();
    }
}
