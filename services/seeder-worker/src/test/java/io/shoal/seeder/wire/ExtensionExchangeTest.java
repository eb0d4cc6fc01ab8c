package io.shoal.seeder.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.peerwire.ExtensionHandshake;
import io.shoal.bittorrent.peerwire.PeerMessage.Extended;
import io.shoal.bittorrent.peerwire.PexMessage;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.seeder.torrent.TestTorrents;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** BEP 11 as the worker sends it: the difference to what a peer was told before, 50 at a time. */
class ExtensionExchangeTest {

    private static InetSocketAddress peer(int i) {
        return new InetSocketAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 6881);
    }

    private static Set<InetSocketAddress> addresses(List<PeerAddress> peers) {
        return peers.stream().map(p -> new InetSocketAddress(p.address(), p.port())).collect(Collectors.toSet());
    }

    private static ExtensionExchange speakingPex() throws Exception {
        ExtensionExchange exchange = new ExtensionExchange(TestTorrents.make(TorrentFormat.V1, 32 * 1024, 1, 1000).torrent());
        exchange.receive(new Extended(0, new ExtensionHandshake(Map.of("ut_pex", 7), OptionalLong.empty(), Optional.empty(),
                OptionalInt.of(51413), OptionalInt.empty()).encode()));
        assertEquals(51413, exchange.listenPort());
        return exchange;
    }

    @Test
    void aPeerHearsOfTheOthersOnceAndOfThoseThatLeft() throws Exception {
        ExtensionExchange exchange = speakingPex();
        InetSocketAddress self = peer(0);
        Extended first = exchange.exchange(List.of(self, peer(1), peer(2)), self).orElseThrow();
        assertEquals(7, first.extendedId(), "under the id the peer chose");
        PexMessage sent = PexMessage.decode(first.payload());
        assertEquals(Set.of(peer(1), peer(2)), addresses(sent.added()), "everyone but itself");
        assertTrue(exchange.exchange(List.of(self, peer(1), peer(2)), self).isEmpty(), "nothing new: nothing sent");
        PexMessage next = PexMessage.decode(exchange.exchange(List.of(self, peer(2), peer(3)), self).orElseThrow().payload());
        assertEquals(Set.of(peer(3)), addresses(next.added()));
        assertEquals(Set.of(peer(1)), addresses(next.dropped()));
    }

    @Test
    void aPeerIsToldOfFiftyAtMostAndAWholeSwapFitsOneMessage() throws Exception {
        ExtensionExchange exchange = speakingPex();
        List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 1; i <= 80; i++) {
            many.add(peer(i));
        }
        assertEquals(50, PexMessage.decode(exchange.exchange(many, peer(0)).orElseThrow().payload()).added().size(),
                "eighty in the swarm, fifty told");
        List<InetSocketAddress> others = new ArrayList<>();
        for (int i = 100; i < 150; i++) {
            others.add(peer(i));
        }
        PexMessage swap = PexMessage.decode(exchange.exchange(others, peer(0)).orElseThrow().payload());
        assertEquals(50, swap.added().size());
        assertEquals(50, swap.dropped().size(), "every one it was told of is dropped in the same message");
        assertTrue(exchange.exchange(others, peer(0)).isEmpty());
    }

    @Test
    void aPeerWithoutUtPexIsToldNothing() throws Exception {
        ExtensionExchange exchange = new ExtensionExchange(TestTorrents.make(TorrentFormat.V1, 32 * 1024, 2, 1000).torrent());
        assertTrue(exchange.exchange(List.of(peer(1), peer(2)), peer(0)).isEmpty());
    }
}
