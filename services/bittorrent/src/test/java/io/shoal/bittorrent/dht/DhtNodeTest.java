package io.shoal.bittorrent.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The node in a simulated network of real nodes exchanging real KRPC: lookups, announces, and attacks on it. */
class DhtNodeTest {

    static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}), 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} nodes joined one after another through node 0. */
    static final class Swarm {
        final Random random = new Random(42);
        final SimulatedNetwork net = new SimulatedNetwork(random, 5, 30, 0);
        final List<SimulatedNetwork.Host> hosts = new ArrayList<>();

        Swarm(int n, DhtConfig config) {
            for (int i = 0; i < n; i++) {
                SimulatedNetwork.Host host = net.host(address(i + 1));
                host.attach(new DhtNode(NodeId.random(random), config, host, random));
                hosts.add(host);
                host.node().start(i == 0 ? List.of() : List.of(address(1)), List.of());
                net.runUntil(net.nowMillis() + 500);
            }
            net.runUntil(net.nowMillis() + 10_000);
        }

        DhtNode node(int i) {
            return hosts.get(i).node();
        }

        <T> T await(CompletableFuture<T> future) {
            assertTrue(net.runWhile(() -> !future.isDone(), net.nowMillis() + 120_000), "finished in simulated time");
            return future.join();
        }

        NodeId trueClosest(NodeId target) {
            return hosts.stream().filter(SimulatedNetwork.Host::alive).map(h -> h.node().id())
                    .min((a, b) -> target.compareDistance(a, b)).orElseThrow();
        }
    }

    @Test
    void lookups_find_the_closest_node_in_few_hops() {
        Swarm swarm = new Swarm(300, DhtConfig.DEFAULT);
        List<Integer> hops = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < 100; i++) {
            NodeId target = NodeId.random(swarm.random);
            LookupResult r = swarm.await(swarm.node(swarm.random.nextInt(300)).findNode(target));
            hops.add(r.hops());
            if (!r.closest().isEmpty() && r.closest().getFirst().id().equals(swarm.trueClosest(target))) {
                found++;
            }
        }
        hops.sort(Comparator.naturalOrder());
        int bound = (int) Math.ceil(Math.log(300) / Math.log(2) / 3) + 1;
        assertTrue(found >= 99, "lookups that found the closest node: " + found + " of 100");
        assertTrue(hops.get(50) <= bound, "median hops " + hops.get(50) + " (expected: <= " + bound + ")");
    }

    @Test
    void an_announced_peer_is_found_from_anywhere_and_survives_a_fifth_of_the_nodes_failing() throws Exception {
        Swarm swarm = new Swarm(200, DhtConfig.DEFAULT);
        InfoHash hash = InfoHash.of(NodeId.random(swarm.random).bytes());
        LookupResult announced = swarm.await(swarm.node(7).announce(hash, 51413));
        assertEquals(RoutingTable.K, announced.announced());
        for (int i = 0; i < 200; i += 5) {
            if (i != 7 && i != 150) {
                swarm.hosts.get(i).fail();
            }
        }
        LookupResult found = swarm.await(swarm.node(150).getPeers(hash));
        assertEquals(List.of(PeerAddress.of(address(8).getAddress(), 51413)), found.peers());
        assertTrue(found.timeouts() < found.queries());
    }

    @Test
    void implied_port_stores_the_announcers_udp_port() {
        Swarm swarm = new Swarm(30, DhtConfig.DEFAULT);
        InfoHash hash = InfoHash.of(NodeId.random(swarm.random).bytes());
        swarm.await(swarm.node(3).announce(hash, 0));
        assertEquals(List.of(PeerAddress.of(address(4).getAddress(), 6881)), swarm.await(swarm.node(20).getPeers(hash)).peers());
    }

    /** A hand-written peer in the simulated network that records what it receives. */
    static final class Attacker {
        final SimulatedNetwork.Host host;
        final List<KrpcMessage> received = new ArrayList<>();
        final List<byte[]> raw = new ArrayList<>();

        Attacker(Swarm swarm, int i) {
            host = swarm.net.host(address(i));
            host.listen((datagram, from) -> {
                raw.add(datagram);
                try {
                    received.add(KrpcCodec.decode(datagram));
                } catch (KrpcException e) {
                    throw new AssertionError(e);
                }
            });
        }

        void send(DhtNode to, KrpcMessage m) {
            host.send(address(indexOf(to)), KrpcCodec.encode(m));
        }

        int indexOf(DhtNode node) {
            return node.routingTable().isEmpty() ? 1 : 0;
        }
    }

    static BString t(int i) {
        return BString.of(new byte[] {(byte) i, 0x55});
    }

    @Test
    void announce_with_a_token_made_for_another_address_is_refused() {
        Swarm swarm = new Swarm(2, DhtConfig.DEFAULT);
        Attacker asker = new Attacker(swarm, 100);
        Attacker forger = new Attacker(swarm, 101);
        InfoHash hash = InfoHash.of(new byte[20]);
        asker.host.send(address(1), KrpcCodec.encode(new KrpcMessage.GetPeers(t(1), NodeId.random(swarm.random), hash)));
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        BString token = ((KrpcMessage.Response) asker.received.getFirst()).token().orElseThrow();
        forger.host.send(address(1), KrpcCodec.encode(new KrpcMessage.AnnouncePeer(t(2), NodeId.random(swarm.random), hash, 1, false, token)));
        forger.host.send(address(1), KrpcCodec.encode(new KrpcMessage.AnnouncePeer(t(3), NodeId.random(swarm.random), hash, 1, false,
                BString.of("made-up!"))));
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        assertTrue(forger.received.stream().allMatch(m -> m instanceof KrpcMessage.Error e && e.code() == 203), forger.received.toString());
        assertEquals(2, swarm.node(0).stats().badTokens());
        assertEquals(0, swarm.node(0).stats().storedPeers());
        // The real owner's token works, then and one rotation later, not two.
        asker.host.send(address(1), KrpcCodec.encode(new KrpcMessage.AnnouncePeer(t(4), NodeId.random(swarm.random), hash, 1, false, token)));
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        assertEquals(1, swarm.node(0).stats().storedPeers());
    }

    @Test
    void tokens_are_accepted_for_one_rotation_and_no_longer() throws Exception {
        Tokens tokens = new Tokens(new Random(1));
        InetAddress a = InetAddress.getByName("10.0.0.1");
        BString token = tokens.issue(a);
        assertTrue(tokens.valid(token, a));
        assertFalse(tokens.valid(token, InetAddress.getByName("10.0.0.2")));
        tokens.rotate();
        assertTrue(tokens.valid(token, a));
        tokens.rotate();
        assertFalse(tokens.valid(token, a));
    }

    @Test
    void query_flood_from_one_address_is_dropped_past_its_rate() {
        Swarm swarm = new Swarm(2, DhtConfig.DEFAULT.withQueriesPerSecond(10));
        Attacker flood = new Attacker(swarm, 100);
        for (int i = 0; i < 1_000; i++) {
            flood.host.send(address(1), KrpcCodec.encode(new KrpcMessage.Ping(t(i), NodeId.random(swarm.random))));
        }
        swarm.net.runUntil(swarm.net.nowMillis() + 1_000);
        assertTrue(flood.received.size() <= 21, "answers to 1,000 pings at once: " + flood.received.size());
        assertTrue(swarm.node(0).stats().dropped() >= 979);
        // Another address is answered meanwhile.
        Attacker honest = new Attacker(swarm, 101);
        honest.host.send(address(1), KrpcCodec.encode(new KrpcMessage.Ping(t(1), NodeId.random(swarm.random))));
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        assertEquals(1, honest.received.size());
    }

    @Test
    void query_carrying_the_nodes_own_id_is_dropped() {
        Swarm swarm = new Swarm(2, DhtConfig.DEFAULT);
        Attacker mirror = new Attacker(swarm, 100);
        mirror.host.send(address(1), KrpcCodec.encode(new KrpcMessage.FindNode(t(1), swarm.node(0).id(), NodeId.random(swarm.random))));
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        assertTrue(mirror.received.isEmpty());
        assertTrue(swarm.node(0).routingTable().stream().noneMatch(n -> n.address().equals(address(100))));
    }

    @Test
    void forged_response_from_another_address_is_ignored_and_forged_id_fails_the_node() {
        Swarm swarm = new Swarm(1, DhtConfig.DEFAULT);
        Attacker honest = new Attacker(swarm, 100);
        Attacker forger = new Attacker(swarm, 101);
        NodeId honestId = NodeId.random(swarm.random);
        // The node asks "honest"; "forger" answers first with the transaction id it guessed, naming a node of its own.
        CompletableFuture<LookupResult> lookup = swarm.node(0).start(List.of(address(100)), List.of());
        swarm.net.runWhile(honest.received::isEmpty, swarm.net.nowMillis() + 1_000);
        KrpcMessage.FindNode asked = (KrpcMessage.FindNode) honest.received.getFirst();
        NodeInfo planted = new NodeInfo(NodeId.random(swarm.random), address(102));
        forger.host.send(address(1), KrpcCodec.encode(new KrpcMessage.Response(asked.transactionId(), NodeId.random(swarm.random),
                List.of(planted), List.of(), java.util.Optional.empty())));
        swarm.net.runUntil(swarm.net.nowMillis() + 50);
        honest.host.send(address(1), KrpcCodec.encode(new KrpcMessage.Response(asked.transactionId(), honestId, List.of(), List.of(),
                java.util.Optional.empty())));
        LookupResult r = swarm.await(lookup);
        assertEquals(List.of(new NodeInfo(honestId, address(100))), r.closest());
        assertEquals(List.of(new NodeInfo(honestId, address(100))), swarm.node(0).routingTable());
        assertTrue(swarm.node(0).stats().dropped() >= 1);

        // A known node that answers under another id is failed, not added.
        int before = honest.received.size();
        CompletableFuture<LookupResult> second = swarm.node(0).findNode(NodeId.random(swarm.random));
        swarm.net.runWhile(() -> honest.received.size() == before, swarm.net.nowMillis() + 1_000);
        KrpcMessage.FindNode again = (KrpcMessage.FindNode) honest.received.getLast();
        honest.host.send(address(1), KrpcCodec.encode(new KrpcMessage.Response(again.transactionId(), NodeId.random(swarm.random),
                List.of(), List.of(), java.util.Optional.empty())));
        assertTrue(swarm.await(second).closest().isEmpty());
        assertEquals(1, swarm.node(0).routingTable().size());
    }

    @Test
    void malformed_datagrams_get_error_203_and_the_node_keeps_answering() {
        Swarm swarm = new Swarm(1, DhtConfig.DEFAULT);
        Attacker fuzz = new Attacker(swarm, 100);
        fuzz.host.send(address(1), "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        fuzz.host.send(address(1), new byte[] {'d', '9', '9', '9', '9', '9', '9', ':'});
        fuzz.host.send(address(1), new byte[3000]);
        fuzz.host.send(address(1), KrpcCodec.encode(new KrpcMessage.Ping(t(9), NodeId.random(swarm.random))));
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        assertEquals(2, fuzz.received.size(), fuzz.received.toString());
        assertTrue(fuzz.received.getFirst() instanceof KrpcMessage.Error e && e.code() == 203);
        assertTrue(fuzz.received.getLast() instanceof KrpcMessage.Response);
        assertEquals(3, swarm.node(0).stats().malformed());
    }

    @Test
    void bep42_ids_follow_the_specs_vectors() throws Exception {
        // BEP 42's examples: the first 21 bits for an address and r (the id's last byte)
        record Vector(String ip, int r, String prefix) {
        }
        for (Vector v : List.of(new Vector("124.31.75.21", 1, "5fbfbf"), new Vector("21.75.31.124", 86, "5a3ce9"),
                new Vector("65.23.51.170", 22, "a5d432"))) {
            byte[] id = new byte[20];
            byte[] prefix = java.util.HexFormat.of().parseHex(v.prefix());
            System.arraycopy(prefix, 0, id, 0, 3);
            id[19] = (byte) v.r();
            assertTrue(NodeId.of(id).isDerivedFrom(InetAddress.getByName(v.ip())), v.toString());
            id[1] ^= 1;
            assertFalse(NodeId.of(id).isDerivedFrom(InetAddress.getByName(v.ip())), v + " with a bit changed");
        }
        Random random = new Random(3);
        for (String ip : List.of("10.0.0.1", "192.168.7.9", "2001:db8::1")) {
            InetAddress address = InetAddress.getByName(ip);
            assertTrue(NodeId.derivedFrom(address, random).isDerivedFrom(address), ip);
            assertFalse(NodeId.derivedFrom(address, random).isDerivedFrom(InetAddress.getByName("10.9.9.9")), ip);
        }
        assertTrue(AddressIds.PUBLIC.accepts(NodeId.random(random), InetAddress.getByName("10.1.2.3")), "BEP 42 exempts local networks");
        assertFalse(AddressIds.PUBLIC.accepts(NodeId.random(random), InetAddress.getByName("8.8.8.8")));
        assertFalse(AddressIds.ALL.accepts(NodeId.random(random), InetAddress.getByName("10.1.2.3")));
    }

    @Test
    void forged_node_ids_stay_out_of_tables_and_lookups_when_ids_must_fit_addresses() {
        DhtConfig strict = DhtConfig.DEFAULT.withAddressIds(AddressIds.ALL);
        Random random = new Random(11);
        SimulatedNetwork net = new SimulatedNetwork(random, 5, 20, 0);
        List<DhtNode> nodes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            SimulatedNetwork.Host host = net.host(address(i + 1));
            // the last ten choose their ids (to sit next to a key they want), the rest derive them from their address
            NodeId id = i < 50 ? NodeId.derivedFrom(address(i + 1).getAddress(), random) : NodeId.random(random);
            host.attach(new DhtNode(id, strict, host, random));
            nodes.add(host.node());
            host.node().start(i == 0 ? List.of() : List.of(address(1)), List.of());
            net.runUntil(net.nowMillis() + 300);
        }
        net.runUntil(net.nowMillis() + 10_000);
        java.util.Set<NodeId> forged = new java.util.HashSet<>();
        nodes.subList(50, 60).forEach(n -> forged.add(n.id()));
        for (DhtNode node : nodes.subList(0, 50)) {
            assertTrue(node.routingTable().stream().noneMatch(n -> forged.contains(n.id())), "a forged id in a table");
            assertFalse(node.routingTable().isEmpty());
        }
        CompletableFuture<LookupResult> lookup = nodes.get(5).findNode(nodes.get(55).id());
        net.runWhile(() -> !lookup.isDone(), net.nowMillis() + 60_000);
        assertTrue(lookup.join().closest().stream().noneMatch(n -> forged.contains(n.id())));
        assertTrue(nodes.getFirst().stats().rejectedIds() > 0);
    }

    @Test
    void get_peers_answer_stays_small_however_many_peers_are_stored() {
        Swarm swarm = new Swarm(20, DhtConfig.DEFAULT);
        Attacker asker = new Attacker(swarm, 100);
        InfoHash hash = InfoHash.of(new byte[20]);
        for (int i = 0; i < 1_000; i++) {
            swarm.node(0).storeLocally(hash, PeerAddress.of(address(1000 + i).getAddress(), 6881));
        }
        assertEquals(PeerStore.Limits.DEFAULT.peersPerInfoHash(), swarm.node(0).stats().storedPeers());
        byte[] query = KrpcCodec.encode(new KrpcMessage.GetPeers(t(1), NodeId.random(swarm.random), hash));
        asker.host.send(address(1), query);
        swarm.net.runUntil(swarm.net.nowMillis() + 100);
        KrpcMessage.Response answer = (KrpcMessage.Response) asker.received.getFirst();
        assertEquals(DhtConfig.DEFAULT.maxValues(), answer.values().size());
        assertTrue(asker.raw.getFirst().length <= 8 * query.length, "answer " + asker.raw.getFirst().length + " bytes to a query of " + query.length);
    }
}
