package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import java.util.Random;

/**
 * Heap a peer costs in {@link InMemorySwarms}: fills it with N peers over 10,000 swarms and measures the heap
 * retained after full collections. Not a test; run by e2e-tests/bench/tracker-memory.sh. The deployment sizes
 * the tracker's memory limit from this figure (k8s/base/tracker.yaml).
 */
public final class PeerMemory {

    private PeerMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int swarmCount = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Random random = new Random(1);
        InfoHash[] hashes = new InfoHash[swarmCount];
        for (int i = 0; i < swarmCount; i++) {
            byte[] hash = new byte[20];
            random.nextBytes(hash);
            hashes[i] = InfoHash.of(hash);
        }
        InMemorySwarms swarms = new InMemorySwarms(new Limits(peers, Integer.MAX_VALUE, 64), Topology.off(), false);
        long before = retained();
        long now = System.currentTimeMillis();
        for (int i = 0; i < peers; i++) {
            byte[] id = new byte[20];
            random.nextBytes(id);
            byte[] address = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
            swarms.apply(hashes[i % swarmCount], new PeerUpdate(PeerId.of(id), PeerUpdate.endpoint(address, 6881), false,
                    i % 3 == 0 ? 0 : 1_000_000, AnnounceEvent.STARTED, now));
        }
        long after = retained();
        System.out.printf("%d peers in %d swarms: %d MiB retained, %.0f bytes a peer (%s, max heap %d MiB)%n",
                swarms.peerCount(), swarms.swarmCount(), (after - before) >> 20, (after - before) / (double) peers,
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long retained() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
