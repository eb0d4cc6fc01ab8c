package io.shoal.events;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Published by each tracker replica to {@link ShoalTopic#TRACKER_HOSTS} (key: the swarm's key, as on
 * shoal.torrents): the latest announce of every host that announced to this swarm at this replica since its
 * previous record, with what the host says it uploaded, downloaded and still lacks. Metadata keeps the fleet
 * ledger from these (a host may announce to several replicas: the latest {@code atMillis} wins).
 *
 * @param replica   the tracker replica that heard the announces
 * @param swarmKey  40 hex digits
 * @param hosts     at most {@link #MAX_HOSTS} (more make several records)
 */
public record HostReportsEvent(String replica, String swarmKey, long atMillis, List<HostReport> hosts) {

    public static final int MAX_HOSTS = 5_000;

    public HostReportsEvent {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /**
     * How a report names a host: "a.b.c.d:port", or "[v6]:port" with the address written out in full. The tracker
     * writes it; a seeder-worker matches its peers' listen addresses against it.
     */
    public static String endpoint(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * One host's latest announce.
     *
     * @param endpoint   the host's address and port, as {@link #endpoint} writes them
     * @param peerId     its peer id, hex (the client's name is in its first bytes)
     * @param event      "started", "completed", "stopped" or "" (a regular announce)
     */
    public record HostReport(String endpoint, String peerId, long uploaded, long downloaded, long left, String event,
                             long atMillis) {
    }
}
