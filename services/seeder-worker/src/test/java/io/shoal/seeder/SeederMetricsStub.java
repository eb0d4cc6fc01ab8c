package io.shoal.seeder;

import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.torrent.SeededTorrent;

/** A piece store listener that keeps nothing, for unit tests. */
public class SeederMetricsStub implements PieceStore.Listener {

    public void read(long bytes) {
    }

    public void hit() {
    }

    public void miss() {
    }

    public void verificationFailed(SeededTorrent torrent, int piece) {
    }

    public void cached(long bytes) {
    }
}
