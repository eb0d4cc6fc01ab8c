package io.shoal.tracker.swarm;

import java.util.ArrayList;

/** Peers by index, so a random one costs O(1); removal swaps the last peer into the hole. */
final class PeerList {

    private final ArrayList<Peer> peers = new ArrayList<>();

    void add(Peer peer) {
        peer.slot = peers.size();
        peers.add(peer);
    }

    void remove(Peer peer) {
        Peer last = peers.removeLast();
        if (last != peer) {
            peers.set(peer.slot, last);
            last.slot = peer.slot;
        }
    }

    Peer get(int index) {
        return peers.get(index);
    }

    int size() {
        return peers.size();
    }
}
