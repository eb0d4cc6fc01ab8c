package io.shoal.seeder;

import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.swarm.PeerLedger;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/**
 * What this worker seeds now, for operators and tests: {@code GET /api/v1/torrents}; and whom it owes what:
 * {@code GET /api/v1/torrents/{infoHash}/ledger}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SeederResource {

    private final SeederWorker worker;

    SeederResource(SeederWorker worker) {
        this.worker = worker;
    }

    /** One seeded torrent: its key on shoal.torrents, its size in pieces, its peers and what they took. */
    public record SeededTorrentView(String infoHash, String name, long size, int pieces, int pieceLength, int peers,
                                    long bytesServed, boolean superSeeding) {
    }

    public record WorkerView(String peerId, int peerPort, int connections, List<SeededTorrentView> torrents) {
    }

    @GET
    @Path("/torrents")
    public WorkerView torrents() {
        List<SeededTorrentView> torrents = worker.seeding().swarms().stream()
                .sorted(Comparator.comparing((Swarm s) -> s.torrent().name()))
                .map(s -> new SeededTorrentView(s.torrent().key(), s.torrent().name(), s.torrent().length(),
                        s.torrent().pieceCount(), s.torrent().pieceLength(), s.size(), s.servedBytes(), s.superSeeding()))
                .toList();
        return new WorkerView(worker.peerId().toString(), worker.port(), worker.seeding().connections(), torrents);
    }

    /**
     * One peer's account: what we served it, what it sent us, what we saw it pass on, what it reported to the tracker,
     * and the debt ratio the ledger choking policy ranks it by.
     */
    public record PeerAccountView(String peerId, String address, long bytesServed, long bytesReceived, long bytesPassedOn,
                                  long reportedUploaded, long reportedDownloaded, double debtRatio) {
        static PeerAccountView of(PeerLedger a) {
            return new PeerAccountView(a.peerId(), a.address(), a.servedBytes(), a.receivedBytes(), a.passedOnBytes(),
                    a.reportedUploaded(), a.reportedDownloaded(), a.debtRatio());
        }
    }

    public record LedgerView(String infoHash, String name, String policy, List<PeerAccountView> peers) {
    }

    /** The torrent's ledger, lowest debt ratio (the ledger policy's first choice) first. */
    @GET
    @Path("/torrents/{infoHash}/ledger")
    public LedgerView ledger(@PathParam("infoHash") String infoHash) {
        Swarm swarm = worker.seeding().swarm(infoHash.toLowerCase(java.util.Locale.ROOT))
                .orElseThrow(() -> new NotFoundException("not seeded here: " + infoHash));
        List<PeerAccountView> peers = swarm.ledger().stream().map(PeerAccountView::of)
                .sorted(Comparator.comparingDouble(PeerAccountView::debtRatio)).toList();
        return new LedgerView(swarm.torrent().key(), swarm.torrent().name(), worker.choking(), peers);
    }
}
