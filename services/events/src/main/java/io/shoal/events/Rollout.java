package io.shoal.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * How far an artifact's rollout got (REST contract: metadata's {@code /internal/v1/artifacts/{name}/rollout}, the
 * gateway's {@code /api/v1/artifacts/{name}/rollout}). From the fleet ledger: what hosts said when they announced
 * (shoal.tracker.hosts) and what the seeder-workers served (shoal.seeder.stats). Seeder-workers are not hosts.
 *
 * @param hostsCompleted      hosts that had every byte at some announce (they count after they leave)
 * @param hostsInProgress     hosts without every byte that showed progress within {@code stalledAfter}
 * @param hostsStalled        hosts without every byte that showed none for longer, or stopped before the end
 * @param bytesDelivered      bytes the hosts say they downloaded (across client restarts)
 * @param bytesUploadedByHosts bytes the hosts say they uploaded (to each other, mostly)
 * @param bytesServedBySeeders bytes the seeder-workers served of this torrent
 * @param originOffload       1 - seeder bytes / bytes delivered, between 0 and 1; absent before any byte is delivered
 * @param history             one sample per sampling interval, oldest first (older than a day: one per hour)
 * @param hosts               each host, when asked for ({@code ?hosts=true})
 * @param preheat             the latest preheat asked for ({@code POST .../preheat}); absent if none was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(String name, String swarmKey, long size, int hostsCompleted, int hostsInProgress, int hostsStalled,
                      long bytesDelivered, long bytesUploadedByHosts, long bytesServedBySeeders, Double originOffload,
                      List<Sample> history, List<Host> hosts, Preheat preheat) {

    public record Sample(Instant at, int completed, int inProgress, int stalled, long bytesDelivered, long bytesServedBySeeders) {
    }

    /**
     * @param client   the client's name from its peer id (Azureus style {@code -LT2090-}), or the id's first bytes in hex
     * @param progress 0 to 1: (size - left) / size
     * @param state    {@code completed}, {@code in_progress} or {@code stalled}
     */
    public record Host(String endpoint, String client, double progress, String state, long uploaded, long downloaded,
                       Instant firstSeen, Instant lastSeen) {
    }

    /**
     * A preheat: the torrent's pieces read into the cache of the seeder-worker seeding it before hosts ask.
     *
     * @param state       {@code requested} (no worker has reported on it yet), {@code running}, {@code done} (every
     *                    wanted piece in the cache), {@code partial} (the cache is smaller than the artifact: what fits
     *                    was read) or {@code failed} (pieces could not be read or did not match their hash)
     * @param bytesWanted what the worker reads (0 until it reports)
     * @param bytesRead   of those, read so far
     * @param seeder      the worker's peer id (hex), once it reported
     * @param finishedAt  when the worker had read every wanted piece
     */
    public record Preheat(Instant requestedAt, String state, long bytesWanted, long bytesRead, int piecesFailed, String seeder,
                          Instant reportedAt, Instant finishedAt) {

        public static final String REQUESTED = "requested";
        public static final String RUNNING = "running";
        public static final String DONE = "done";
        public static final String PARTIAL = "partial";
        public static final String FAILED = "failed";
    }
}
