package io.shoal.platform.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shoal.bittorrent.dht.AddressIds;
import io.shoal.bittorrent.dht.NodeId;
import io.shoal.bittorrent.dht.RoutingTableFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDhtNodeTest {

    static final Optional<java.net.InetAddress> LOOPBACK = Optional.of(java.net.InetAddress.getLoopbackAddress());

    record Settings(List<String> bootstrap, Optional<String> stateFile, AddressIds addressIds) implements DhtSettings {
        Settings(List<String> bootstrap, Optional<String> stateFile) {
            this(bootstrap, stateFile, AddressIds.PUBLIC);
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<Integer> port() {
            return Optional.of(0);
        }

        @Override
        public Optional<String> host() {
            return Optional.of("127.0.0.1");
        }

        @Override
        public int queriesPerSecond() {
            return 50;
        }

        @Override
        public Duration announceInterval() {
            return Duration.ofMinutes(15);
        }
    }

    @Test
    void the_id_and_the_table_survive_a_restart(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.dat");
        try (LocalDhtNode a = LocalDhtNode.start(new Settings(List.of(), Optional.empty()), "127.0.0.1", 0, LOOPBACK, new SimpleMeterRegistry(), "a")) {
            String bootstrap = "127.0.0.1:" + a.endpoint().localAddress().getPort();
            NodeId id;
            try (LocalDhtNode b = LocalDhtNode.start(new Settings(List.of(bootstrap), Optional.of(state.toString())), "127.0.0.1", 0,
                    LOOPBACK, new SimpleMeterRegistry(), "b")) {
                id = b.endpoint().id();
                long deadline = System.currentTimeMillis() + 10_000;
                while (b.endpoint().inspect(n -> n.routingTable()).isEmpty()) {
                    assertTrue(System.currentTimeMillis() < deadline, "b joined through a");
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            RoutingTableFile.Saved saved = RoutingTableFile.load(state).orElseThrow();
            assertEquals(id, saved.id());
            assertEquals(List.of(a.endpoint().id()), saved.nodes().stream().map(n -> n.id()).toList());
            // Restarted without a bootstrap list: the same id, and a's node back in its table from the file.
            try (LocalDhtNode again = LocalDhtNode.start(new Settings(List.of(), Optional.of(state.toString())), "127.0.0.1", 0,
                    LOOPBACK, new SimpleMeterRegistry(), "b")) {
                assertEquals(id, again.endpoint().id());
                long deadline = System.currentTimeMillis() + 10_000;
                while (again.endpoint().inspect(n -> n.routingTable()).isEmpty()) {
                    assertTrue(System.currentTimeMillis() < deadline, "the saved node answered a ping");
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
        }
    }

    @Test
    void a_data_center_node_derives_its_id_from_its_address_and_drops_a_saved_id_that_does_not_fit(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("dht.dat");
        RoutingTableFile.save(state, NodeId.random(), List.of());
        java.net.InetAddress advertised = java.net.InetAddress.getByName("10.20.30.40");
        try (LocalDhtNode node = LocalDhtNode.start(new Settings(List.of(), Optional.of(state.toString()), AddressIds.ALL), "127.0.0.1",
                0, Optional.of(advertised), new SimpleMeterRegistry(), "worker")) {
            assertTrue(node.endpoint().id().isDerivedFrom(advertised), "BEP 42 id for 10.20.30.40");
        }
        assertTrue(RoutingTableFile.load(state).orElseThrow().id().isDerivedFrom(advertised), "and saved");
    }

    @Test
    void bootstrap_nodes_are_host_and_port() {
        assertEquals(new NodeAddress("tracker.example.internal", 6970), NodeAddress.parse(" tracker.example.internal:6970 "));
        assertEquals(new NodeAddress("::1", 6881), NodeAddress.parse("[::1]:6881"));
        assertEquals("[::1]:6881", NodeAddress.parse("[::1]:6881").toString());
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse("tracker"));
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse("tracker:70000"));
        assertThrows(IllegalArgumentException.class, () -> NodeAddress.parse(":6970"));
    }
}
