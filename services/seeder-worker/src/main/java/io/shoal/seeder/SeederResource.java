package io.shoal.seeder;

import io.shoal.seeder.swarm.Swarm;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/** What this worker seeds now, for operators and tests: {@code GET /api/v1/torrents}. */
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
}
