package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.dht.DhtConfig;
import io.shoal.bittorrent.dht.DhtNode;
import io.shoal.bittorrent.dht.KrpcCodec;
import io.shoal.bittorrent.dht.KrpcMessage;
import io.shoal.bittorrent.dht.NodeId;
import io.shoal.bittorrent.dht.SimulatedNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A DHT node's handling of any datagram, from one of four sources: it never throws, and afterwards it still
 * answers an honest ping. The node lives across inputs (its table, pending queries, stored peers and rate state
 * accumulate as they would under a long attack).
 */
public class DhtNodeFuzzTest {

    private static final Random RANDOM = new Random(5);
    private static final SimulatedNetwork NET = new SimulatedNetwork(RANDOM, 1, 5, 0);
    private static final DhtNode NODE;
    private static final List<SimulatedNetwork.Host> SOURCES = new ArrayList<>();
    private static final List<byte[]> ANSWERS = new ArrayList<>();
    private static final SimulatedNetwork.Host HONEST;

    static {
        SimulatedNetwork.Host home = NET.host(address(1));
        NODE = new DhtNode(NodeId.random(RANDOM), DhtConfig.DEFAULT, home, RANDOM);
        home.attach(NODE);
        for (int i = 0; i < 4; i++) {
            SimulatedNetwork.Host source = NET.host(address(10 + i));
            source.listen((datagram, from) -> { });
            SOURCES.add(source);
        }
        HONEST = NET.host(address(99));
        HONEST.listen((datagram, from) -> ANSWERS.add(datagram));
        // The node has lookups of its own in flight: answers the fuzzer forges meet real pending transactions.
        NODE.start(List.of(address(10), address(11)), List.of());
    }

    static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 9, 0, (byte) i}), 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        SOURCES.get(input[0] & 3).send(address(1), Arrays.copyOfRange(input, 1, input.length));
        NET.runUntil(NET.nowMillis() + 10);
        ANSWERS.clear();
        HONEST.send(address(1), KrpcCodec.encode(new KrpcMessage.Ping(BString.of("hp"), NodeId.random(RANDOM))));
        NET.runUntil(NET.nowMillis() + 1_000);
        if (ANSWERS.size() != 1) {
            throw new IllegalStateException("the node stopped answering an honest ping: " + ANSWERS.size() + " answers");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void dhtNodeHandlesAnyDatagram(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
