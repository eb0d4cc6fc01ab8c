package io.shoal.tracker;

import io.netty.util.NetUtil;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.tracker.TrackerMetrics.FailureKind;
import io.shoal.tracker.TrackerMetrics.Protocol;
import io.shoal.tracker.kafka.AnnouncePublisher;
import io.shoal.tracker.kafka.HostReportPublisher;
import io.shoal.tracker.swarm.AddressFamily;
import io.shoal.tracker.swarm.Announced;
import io.shoal.tracker.swarm.Cidr;
import io.shoal.tracker.swarm.Handout;
import io.shoal.tracker.swarm.PeerUpdate;
import io.shoal.tracker.swarm.Selection;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tracker's rules, whatever the transport: only published torrents, the client's address (or the one
 * it claims), how many peers, and the swarm's answer. Each recorded announce also goes to the other
 * replicas, without waiting for Kafka.
 */
@ApplicationScoped
public class Tracker {

    private final SwarmStore swarms;
    private final TrackedTorrents torrents;
    private final TrackerConfig config;
    private final TrackerMetrics metrics;
    private final AnnouncePublisher replication;
    private final HostReportPublisher hosts;
    private final boolean byRack;
    private final int otherRackPeers;
    private final int intervalSeconds;
    private final int minIntervalSeconds;
    private final List<Cidr> trusted;

    Tracker(SwarmStore swarms, TrackedTorrents torrents, TrackerConfig config, TrackerMetrics metrics,
            AnnouncePublisher replication, HostReportPublisher hosts) {
        this.swarms = swarms;
        this.torrents = torrents;
        this.config = config;
        this.metrics = metrics;
        this.replication = replication;
        this.hosts = hosts;
        this.byRack = config.topology().enabled();
        this.otherRackPeers = config.topology().otherRackPeers();
        this.intervalSeconds = (int) config.interval().toSeconds();
        this.minIntervalSeconds = (int) config.minInterval().toSeconds();
        this.trusted = config.trustedCidrs().orElse(List.of()).stream().map(Cidr::parse).toList();
    }

    /**
     * @param sourceAddress the address the request came from (4 or 16 bytes)
     * @param family        the peers the answer can carry
     * @param maxPeers      a transport's own cap on peers (a datagram's room)
     */
    public Answer announce(AnnounceRequest request, byte[] sourceAddress, Protocol protocol,
                                     AddressFamily family, int maxPeers) throws TrackerRequestException {
        InfoHash infoHash = request.infoHash();
        if (!torrents.tracks(infoHash)) {
            throw refuse(protocol, FailureKind.UNKNOWN_TORRENT,
                    "unknown info_hash " + infoHash.hex() + ": this tracker serves only torrents published by Shoal");
        }
        boolean trustedSource = trusted(sourceAddress);
        // anyone else is handed out where it announced from: a claimed address would point clients and seeders at a stranger
        byte[] address = request.ip().isPresent() && trustedSource ? claimedAddress(request.ip().get(), protocol) : sourceAddress;
        PeerUpdate update = new PeerUpdate(request.peerId(), PeerUpdate.endpoint(address, request.port()), trustedSource,
                request.left(), request.event(), System.currentTimeMillis());
        int wanted = Math.min(Math.min(request.numWant().orElse(config.defaultNumwant()), config.maxNumwant()), maxPeers);
        Announced announced = swarms.announce(infoHash, update, new Selection(wanted, family, byRack, otherRackPeers));
        switch (announced.outcome()) {
            case FULL -> throw refuse(protocol, FailureKind.FULL, "the tracker holds as many peers as it may; try again later");
            case SWARM_FULL -> throw refuse(protocol, FailureKind.SWARM_FULL,
                    "this torrent's swarm holds as many peers as it may; try again later");
            case ADDRESS_FULL -> throw refuse(protocol, FailureKind.ADDRESS_FULL,
                    "this address has as many peers on this tracker as one address may; stop some torrents or try again later");
            case ADDED, UPDATED, REMOVED -> {
                replication.publish(infoHash, update);
                hosts.report(infoHash, update, request.uploaded(), request.downloaded());
            }
            case IGNORED -> {
                // a stop for a peer the swarm does not have: nothing to tell the other replicas
            }
        }
        metrics.announced(protocol);
        return new Answer(intervalSeconds, minIntervalSeconds, announced);
    }

    /** An announce's answer before a transport encodes it: the intervals, the swarm's counts and the chosen peers. */
    public record Answer(int interval, int minInterval, Announced announced) {

        /** The chosen peers of one family, back to back in compact form. */
        public byte[] compactPeers(boolean ipv6) {
            return ipv6 ? announced.ipv6() : announced.ipv4();
        }

        /** The protocol library's form, for the dictionary (non-compact) answer. */
        public AnnounceResponse toResponse() {
            List<PeerAddress> peers = new ArrayList<>(announced.peers().size());
            for (Handout handout : announced.peers()) {
                peers.add(handout.toPeerAddress());
            }
            return new AnnounceResponse(interval, minInterval, announced.seeders(), announced.leechers(),
                    announced.downloaded(), peers, Optional.empty());
        }
    }

    /** BEP 48 counts for each tracked hash; an untracked hash is left out (null in the list). */
    public List<ScrapeStats> scrape(List<InfoHash> infoHashes, Protocol protocol) {
        List<ScrapeStats> stats = new ArrayList<>(infoHashes.size());
        for (InfoHash infoHash : infoHashes) {
            stats.add(torrents.tracks(infoHash) ? swarms.scrape(infoHash) : null);
        }
        metrics.scraped(protocol);
        return stats;
    }

    public TrackerRequestException refuse(Protocol protocol, FailureKind kind, String reason) {
        metrics.failed(protocol, kind);
        return new TrackerRequestException(reason);
    }

    private boolean trusted(byte[] address) {
        for (Cidr block : trusted) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** BEP 3's {@code ip}: an IPv4 or IPv6 literal only (a host name would mean a DNS lookup per announce). */
    private byte[] claimedAddress(String ip, Protocol protocol) throws TrackerRequestException {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(ip);
        if (address == null || allZero(address) || (address.length == 4 && (address[0] & 0xf0) == 0xe0)
                || (address.length == 16 && address[0] == (byte) 0xff)) {
            throw refuse(protocol, FailureKind.BAD_REQUEST, "invalid ip (expected: a unicast IPv4 or IPv6 address literal)");
        }
        return Addresses.unmapped(address);
    }

    private static boolean allZero(byte[] address) {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
