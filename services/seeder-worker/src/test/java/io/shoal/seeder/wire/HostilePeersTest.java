package io.shoal.seeder.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.mse.EncryptionPolicy;
import io.shoal.bittorrent.peerwire.ExtensionHandshake;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerMessageCodec;
import io.shoal.bittorrent.peerwire.UtMetadataMessage;
import io.shoal.seeder.SeederMetricsStub;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.FastestDownloadFirst;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.torrent.TestTorrents;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on a real peer wire server over loopback sockets, each named after the attack, each while an honest
 * peer downloads the whole torrent: the attacker is closed for the right reason and the honest download
 * completes, intact, in time.
 */
class HostilePeersTest {

    private static final int PIECE = 64 * 1024;
    private static final int LENGTH = 8 * 1024 * 1024 + 12_345;
    private static final Duration IDLE = Duration.ofSeconds(3);

    private TestTorrents.Made made;
    private SeededTorrent torrent;
    private InfoHash hash;
    private Seeding seeding;
    private PeerWireServer server;
    private int port;
    private final ConcurrentLinkedQueue<CloseReason> closed = new ConcurrentLinkedQueue<>();
    private final ExecutorService peers = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService readers = Executors.newFixedThreadPool(2);
    private PieceStore store;

    @BeforeEach
    void serve() throws Exception {
        made = TestTorrents.make(TorrentFormat.V1, PIECE, 11, LENGTH);
        torrent = made.torrent();
        hash = torrent.wireHashes().getFirst();
        store = new PieceStore((key, offset, into) ->
                into.put(made.objects().get(key), (int) offset, into.remaining()),
                64 << 20, 2, readers, new SeederMetricsStub());
        WireEvents events = new WireEvents() {
            @Override
            public void closed(CloseReason reason) {
                closed.add(reason);
            }
        };
        seeding = new Seeding(store, new WireSettings(50, 1000, 4, 16, 250, Duration.ofSeconds(10), IDLE,
                Duration.ofSeconds(90), 6881, EncryptionPolicy.PREFER, 4 << 20, 10),
                PeerId.random("-SH0010-"), events);
        seeding.add(new Swarm(torrent, new Choker(new FastestDownloadFirst(), 8, 3, new Random(1)), false, new Random(1)));
        server = new PeerWireServer(seeding, 2, 0);
        port = server.bind("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        peers.shutdownNow();
        server.close();
        readers.shutdownNow();
        store.forget(torrent, List.of()); // the cached pieces are direct memory: released, not left to the GC
    }

    @Test
    void aPeerFloodingMetadataRequestsWithoutReadingIsClosedForFlooding() throws Exception {
        long alone = timedDownload();
        Future<Long> honest = peers.submit(this::timedDownload);
        Socket attacker = handshaken(InetAddress.getLoopbackAddress());
        OutputStream out = attacker.getOutputStream();
        send(out, new PeerMessage.Extended(0, new ExtensionHandshake(Map.of("ut_metadata", 3), OptionalLong.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty()).encode()));
        ByteBuf requests = Unpooled.buffer();
        for (int i = 0; i < 50_000; i++) {
            PeerMessageCodec.encode(new PeerMessage.Extended(WireSettings.UT_METADATA, UtMetadataMessage.request(0).encode()), requests);
        }
        writeUntilClosed(out, ByteBufUtil.getBytes(requests));
        await(() -> closed.contains(CloseReason.FLOOD), "closed for flooding");
        assertEquals(-1, drain(attacker.getInputStream()), "the worker closed the connection");
        assertFullSpeed(alone, honest.get());
    }

    /** The honest download beside an attack takes at most three times as long as alone (plus a second of slack). */
    private static void assertFullSpeed(long aloneNanos, long besideNanos) {
        assertTrue(besideNanos <= 3 * aloneNanos + 1_000_000_000L, "alone " + aloneNanos / 1_000_000 + " ms, beside the attack "
                + besideNanos / 1_000_000 + " ms");
    }

    /** An honest download, checked intact; how long it took. */
    private long timedDownload() throws Exception {
        long started = System.nanoTime();
        assertArrayEquals(content(), download(InetAddress.getLoopbackAddress()), "the honest download is intact");
        return System.nanoTime() - started;
    }

    @Test
    void aPeerFloodingHashRequestsIsClosedForFlooding() throws Exception {
        Socket attacker = handshaken(InetAddress.getLoopbackAddress());
        ByteBuf requests = Unpooled.buffer();
        for (int i = 0; i < 5_000; i++) {
            PeerMessageCodec.encode(new PeerMessage.HashRequest(new byte[32], 0, 0, 512, 0, false), requests);
        }
        writeUntilClosed(attacker.getOutputStream(), ByteBufUtil.getBytes(requests));
        await(() -> closed.contains(CloseReason.FLOOD), "closed for flooding");
        assertEquals(-1, drain(attacker.getInputStream()), "the worker closed the connection");
    }

    @Test
    void aPeerThatRequestsBlocksAndStopsReadingIsNotFedAndIsClosedAsASlowReader() throws Exception {
        long alone = timedDownload();
        Future<Long> honest = peers.submit(this::timedDownload);
        Socket attacker = new Socket();
        attacker.setReceiveBufferSize(4096);
        attacker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        sockets.add(attacker);
        OutputStream out = attacker.getOutputStream();
        send(out, Handshake.of(hash, PeerId.random("-XX0001-"), false), new PeerMessage.Interested());
        Thread.sleep(200); // unchoked: a free slot is given at once
        ByteBuf requests = Unpooled.buffer();
        for (int piece = 0; piece < torrent.pieceCount(); piece++) {
            for (int begin = 0; begin < torrent.pieceSize(piece); begin += WireSettings.MAX_BLOCK) {
                PeerMessageCodec.encode(new PeerMessage.Request(piece, begin,
                        Math.min(WireSettings.MAX_BLOCK, torrent.pieceSize(piece) - begin)), requests);
            }
        }
        byte[] all = ByteBufUtil.getBytes(requests);
        peers.submit(() -> { // asks again and again, 200 blocks at a time (within the request queue), reads nothing
            for (int round = 0; round < 1000; round++) {
                for (int at = 0; at + 200 * 17 <= all.length; at += 200 * 17) {
                    out.write(all, at, 200 * 17);
                    out.flush();
                    Thread.sleep(20);
                }
            }
            return null;
        });
        long started = System.nanoTime();
        await(() -> closed.contains(CloseReason.SLOW_READER), "closed as a slow reader");
        assertTrue(System.nanoTime() - started < IDLE.toNanos() * 3, "within a few idle timeouts");
        assertFullSpeed(alone, honest.get());
    }

    @Test
    void oneAddressGetsFourConnectionsToATorrentAndSixteenToTheWorker() throws Exception {
        InetAddress first = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 4; i++) {
            handshaken(first);
        }
        Socket fifth = connect(first);
        send(fifth.getOutputStream(), Handshake.of(hash, PeerId.random("-XX0001-"), false));
        assertEquals(-1, drain(fifth.getInputStream()), "a fifth connection to the torrent from one address is closed");
        await(() -> closed.contains(CloseReason.ADDRESS_FULL), "closed: the address has its share");
        await(() -> seeding.connections(first) == 4, "the refused connection no longer counted");

        Future<byte[]> honest = peers.submit(() -> download(InetAddress.getByName("127.0.0.2")));
        assertArrayEquals(content(), honest.get(), "another address still downloads");

        for (int i = 0; i < 12; i++) {
            connect(first); // no handshake: the worker counts the connection from its first byte
        }
        await(() -> seeding.connections(first) == 16, "sixteen connections from one address");
        Socket seventeenth = connect(first);
        assertEquals(-1, drain(seventeenth.getInputStream()), "a seventeenth connection from one address is closed");
        assertEquals(2, closed.stream().filter(r -> r == CloseReason.ADDRESS_FULL).count());
    }

    // an honest peer, and the attackers' sockets

    /** Downloads the whole torrent from {@code from}, keeping 64 requests in flight; the bytes. */
    private byte[] download(InetAddress from) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            send(out, Handshake.of(hash, PeerId.random("-HO0001-"), false), new PeerMessage.Interested());
            in.readFully(new byte[Handshake.LENGTH]);
            List<PeerMessage.Request> wanted = new ArrayList<>();
            for (int piece = 0; piece < torrent.pieceCount(); piece++) {
                for (int begin = 0; begin < torrent.pieceSize(piece); begin += WireSettings.MAX_BLOCK) {
                    wanted.add(new PeerMessage.Request(piece, begin, Math.min(WireSettings.MAX_BLOCK, torrent.pieceSize(piece) - begin)));
                }
            }
            byte[] content = new byte[LENGTH];
            int asked = 0;
            int received = 0;
            boolean unchoked = false;
            while (received < wanted.size()) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                if (frame.length == 0) {
                    continue;
                }
                PeerMessage message = PeerMessageCodec.decode(Unpooled.wrappedBuffer(frame));
                if (message instanceof PeerMessage.Unchoke) {
                    unchoked = true;
                } else if (message instanceof PeerMessage.Piece p) {
                    System.arraycopy(p.block(), 0, content, p.index() * PIECE + p.begin(), p.block().length);
                    received++;
                } else if (message instanceof PeerMessage.Choke || message instanceof PeerMessage.RejectRequest) {
                    throw new IOException("the honest peer was choked or refused: " + message);
                }
                if (unchoked) {
                    ByteBuf more = Unpooled.buffer();
                    while (asked < wanted.size() && asked - received < 64) {
                        PeerMessageCodec.encode(wanted.get(asked++), more);
                    }
                    if (more.isReadable()) {
                        out.write(ByteBufUtil.getBytes(more));
                        out.flush();
                    }
                }
            }
            return content;
        }
    }

    private Socket connect(InetAddress from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private Socket handshaken(InetAddress from) throws IOException {
        Socket socket = connect(from);
        send(socket.getOutputStream(), Handshake.of(hash, PeerId.random("-XX0001-"), false));
        new DataInputStream(socket.getInputStream()).readFully(new byte[Handshake.LENGTH]);
        return socket;
    }

    private static void send(OutputStream out, Object... messages) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        for (Object m : messages) {
            if (m instanceof Handshake h) {
                PeerMessageCodec.encodeHandshake(h, buf);
            } else {
                PeerMessageCodec.encode((PeerMessage) m, buf);
            }
        }
        out.write(ByteBufUtil.getBytes(buf));
        out.flush();
    }

    /** Writes until everything is written or the peer closes. */
    private static void writeUntilClosed(OutputStream out, byte[] bytes) {
        try {
            for (int at = 0; at < bytes.length; at += 4096) {
                out.write(bytes, at, Math.min(4096, bytes.length - at));
            }
            out.flush();
        } catch (IOException closed) {
            // the worker closed it: what the test waits for
        }
    }

    /** Reads to the end; -1 once the peer closed (a reset counts as closed too). */
    private static int drain(InputStream in) throws IOException {
        try {
            while (in.read(new byte[4096]) >= 0) {
                // what the worker said before closing
            }
            return -1;
        } catch (SocketException reset) {
            return -1;
        }
    }

    private byte[] content() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        made.objects().values().forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
