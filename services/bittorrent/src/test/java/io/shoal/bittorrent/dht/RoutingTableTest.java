package io.shoal.bittorrent.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTableTest {

    final Random random = new Random(7);
    final NodeId self = NodeId.random(random);

    NodeInfo node(int i) {
        return new NodeInfo(NodeId.random(random), DhtNodeTest.address(i));
    }

    @Test
    void buckets_split_near_our_own_id_and_hold_at_most_k_nodes_each() {
        RoutingTable table = new RoutingTable(self, 0);
        for (int i = 0; i < 5_000; i++) {
            table.seen(node(i), 0);
        }
        // Half of random ids share 0 bits with us, a quarter 1 bit...: about k nodes per bucket down to log2(5000/k).
        assertTrue(table.bucketCount() >= 8 && table.bucketCount() <= 14, "buckets: " + table.bucketCount());
        assertTrue(table.size() <= RoutingTable.K * table.bucketCount());
        assertTrue(table.size() >= RoutingTable.K * (table.bucketCount() - 2), "nodes: " + table.size());
        // Nodes sharing a long prefix with us are all kept: the table knows its neighbourhood.
        NodeInfo near = new NodeInfo(self.randomWithCommonPrefix(40, random), DhtNodeTest.address(9_999));
        table.seen(near, 1);
        assertEquals(near, table.closest(near.id(), 1).getFirst());
    }

    @Test
    void a_node_that_stops_answering_gives_its_place_to_a_waiting_replacement() {
        RoutingTable table = new RoutingTable(self, 0);
        NodeInfo[] far = new NodeInfo[RoutingTable.K + 1];
        for (int i = 0; i < far.length; i++) {
            far[i] = new NodeInfo(self.randomWithCommonPrefix(0, random), DhtNodeTest.address(i));
            table.seen(far[i], 0);
        }
        // Splitting moved nothing: the ninth waits.
        assertFalse(table.nodes().contains(far[RoutingTable.K]));
        table.failed(far[0]);
        assertFalse(table.nodes().contains(far[0]));
        assertTrue(table.nodes().contains(far[RoutingTable.K]));
    }

    @Test
    void a_waiting_newcomer_has_the_least_recently_seen_node_pinged_once_a_minute() {
        RoutingTable table = new RoutingTable(self, 0);
        NodeInfo[] far = new NodeInfo[RoutingTable.K];
        for (int i = 0; i < far.length; i++) {
            far[i] = new NodeInfo(self.randomWithCommonPrefix(0, random), DhtNodeTest.address(i));
            table.seen(far[i], 1_000 * (i + 1));
        }
        NodeInfo newcomer = new NodeInfo(self.randomWithCommonPrefix(0, random), DhtNodeTest.address(100));
        long late = 1_000 + RoutingTable.VERIFY_AFTER_MILLIS;
        assertEquals(Optional.empty(), table.seen(newcomer, late - 1), "heard from within the minute: nobody pinged");
        assertEquals(Optional.of(far[0]), table.seen(newcomer, late), "the oldest, a minute unheard");
        assertEquals(Optional.empty(), table.seen(newcomer, late + 1), "not pinged again within the minute");
        table.failed(far[0]);
        assertTrue(table.nodes().contains(newcomer), "it did not answer: the newcomer takes its place");
    }

    @Test
    void a_known_id_does_not_move_to_another_address_by_a_datagram() {
        RoutingTable table = new RoutingTable(self, 0);
        NodeInfo real = node(1);
        table.seen(real, 0);
        table.seen(new NodeInfo(real.id(), DhtNodeTest.address(2)), 1);
        assertEquals(List.of(real), table.nodes());
    }

    @Test
    void common_prefix_and_ids_in_a_bucket() {
        for (int bits = 0; bits < 160; bits += 7) {
            assertEquals(bits, self.commonPrefixBits(self.randomWithCommonPrefix(bits, random)));
        }
        assertEquals(160, self.commonPrefixBits(self));
    }

    @Test
    void the_table_survives_a_restart_and_a_garbage_file_is_no_table(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dht.dat");
        List<NodeInfo> nodes = List.of(node(1), node(2), node(3));
        RoutingTableFile.save(file, self, nodes);
        RoutingTableFile.Saved saved = RoutingTableFile.load(file).orElseThrow();
        assertEquals(self, saved.id());
        assertEquals(nodes, saved.nodes());
        Files.write(file, new byte[] {'d', '2', ':', 'i', 'd'});
        assertTrue(RoutingTableFile.load(file).isEmpty());
        assertTrue(RoutingTableFile.load(dir.resolve("absent")).isEmpty());
    }
}
