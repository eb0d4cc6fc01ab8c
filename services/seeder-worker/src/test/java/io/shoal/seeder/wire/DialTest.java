package io.shoal.seeder.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.mse.EncryptionPolicy;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerMessageCodec;
import io.shoal.seeder.SeederMetricsStub;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.FastestDownloadFirst;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.TestTorrents;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Dialling a leecher: encrypted first when encryption is preferred, in plaintext again when it is refused. */
class DialTest {

    /** A worker's seeding of one small torrent (nothing is served in these tests: the store is empty). */
    private static Seeding seeding(EncryptionPolicy encryption) throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, 16 * 1024, 3, 50_000);
        PieceStore store = new PieceStore((key, offset, into) -> { }, 1 << 20, 0, Executors.newSingleThreadExecutor(),
                new SeederMetricsStub());
        Seeding seeding = new Seeding(store, new WireSettings(50, 1000, 4, 16, 250, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(90), 6881, encryption, 4 << 20, 0), PeerId.random("-SH0010-"), WireEvents.NONE);
        seeding.add(new Swarm(made.torrent(), new Choker(new FastestDownloadFirst(), 4, 3, new Random(1)), false, new Random(1)));
        return seeding;
    }

    @Test
    void aDialledPeerThatTurnsOutToBeASeedIsRememberedAsOne() throws Exception {
        Seeding seeding = seeding(EncryptionPolicy.OFF);
        Swarm swarm = seeding.swarms().iterator().next();
        InfoHash hash = swarm.torrent().wireHashes().getFirst();
        try (PeerWireServer server = new PeerWireServer(seeding, 1, 0); ServerSocket seed = new ServerSocket(0)) {
            seed.setSoTimeout(10_000);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", seed.getLocalPort());
            server.dial(address, swarm, hash);
            try (Socket s = seed.accept()) {
                s.setSoTimeout(10_000);
                new DataInputStream(s.getInputStream()).readNBytes(68);
                ByteBuf answer = Unpooled.buffer();
                PeerMessageCodec.encodeHandshake(Handshake.of(hash, PeerId.random("-LT2080-"), false), answer);
                PeerMessageCodec.encode(new PeerMessage.HaveAll(), answer);
                s.getOutputStream().write(ByteBufUtil.getBytes(answer));
                assertEquals(-1, drain(s), "a seed is let go");
            }
            assertTrue(swarm.knownSeed(address), "and not dialled again for a while");
        }
    }

    private static int drain(Socket s) {
        try {
            while (s.getInputStream().read(new byte[4096]) >= 0) {
                // the worker's bitfield and extension handshake
            }
            return -1;
        } catch (IOException reset) {
            return -1;
        }
    }

    @Test
    void aPeerThatClosesTheEncryptedHandshakeIsDialledAgainInPlaintext() throws Exception {
        Seeding seeding = seeding(EncryptionPolicy.PREFER);
        Swarm swarm = seeding.swarms().iterator().next();
        InfoHash hash = swarm.torrent().wireHashes().getFirst();
        try (PeerWireServer server = new PeerWireServer(seeding, 1, 0); ServerSocket leecher = new ServerSocket(0)) {
            leecher.setSoTimeout(10_000);
            server.dial(new InetSocketAddress("127.0.0.1", leecher.getLocalPort()), swarm, hash);
            try (Socket encrypted = leecher.accept()) { // a client with encryption disabled: not a BitTorrent handshake, closed
                byte[] start = new DataInputStream(encrypted.getInputStream()).readNBytes(20);
                assertNotEquals("\u0013BitTorrent protocol", new String(start, StandardCharsets.ISO_8859_1),
                        "the first dial is encrypted (a Diffie-Hellman key, not the protocol name)");
            }
            try (Socket plain = leecher.accept()) {
                plain.setSoTimeout(10_000);
                byte[] handshake = new DataInputStream(plain.getInputStream()).readNBytes(68);
                assertEquals(19, handshake[0], "the second dial is a plaintext handshake");
                assertArrayEquals(hash.bytes(), Arrays.copyOfRange(handshake, 28, 48));
            }
        }
    }
}
