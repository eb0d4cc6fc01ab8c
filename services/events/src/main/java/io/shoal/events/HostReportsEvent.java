package io.shoal.events;

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
     * One host's latest announce.
     *
     * @param endpoint   "address:port" as the tracker hands it out ("[v6]:port" for IPv6)
     * @param peerId     its peer id, hex (the client's name is in its first bytes)
     * @param event      "started", "completed", "stopped" or "" (a regular announce)
     */
    public record HostReport(String endpoint, String peerId, long uploaded, long downloaded, long left, String event,
                             long atMillis) {
    }
}
