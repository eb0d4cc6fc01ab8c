package io.shoal.seeder.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.mse.EncryptionPolicy;
import io.shoal.bittorrent.peerwire.AllowedFastSet;
import io.shoal.bittorrent.peerwire.ExtensionHandshake;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.HandshakeDecoder;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerMessageCodec;
import io.shoal.bittorrent.peerwire.PeerWireEncoder;
import io.shoal.bittorrent.peerwire.UtMetadataMessage;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.seeder.SeederMetricsStub;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.FastestDownloadFirst;
import io.shoal.seeder.storage.ObjectRanges;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.torrent.TestTorrents;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The peer wire as a leecher sees it, and every way to misbehave on it, through an EmbeddedChannel. */
class PeerConnectionTest {

    private static final int PIECE = 32 * 1024;
    private static final PeerId LEECHER = PeerId.of("-LT2080-leecher00001".getBytes(StandardCharsets.US_ASCII));

    private TestTorrents.Made made;
    private SeededTorrent torrent;
    private Seeding seeding;
    private PieceStore store;
    private final List<Runnable> heldReads = new ArrayList<>();
    private boolean holdReads;

    @BeforeEach
    void seed() throws Exception {
        made = TestTorrents.make(TorrentFormat.V1, PIECE, 7, 100_000);
        torrent = made.torrent();
        ObjectRanges objects = (key, offset, into) ->
                into.put(made.objects().get(key), (int) offset, into.remaining());
        Executor readers = task -> {
            if (holdReads) {
                heldReads.add(task);
            } else {
                task.run();
            }
        };
        store = new PieceStore(objects, 1 << 20, 0, readers, new SeederMetricsStub());
        seeding = seeding(0);
    }

    private Seeding seeding(int allowedFast) {
        Seeding seeding = new Seeding(store, new WireSettings(2, 10, 2, 10, 4, Duration.ofSeconds(10), Duration.ofSeconds(120),
                Duration.ofSeconds(90), 6881, EncryptionPolicy.PREFER, 4 << 20, allowedFast),
                PeerId.of("-SH0010-seeder000001".getBytes(StandardCharsets.US_ASCII)), WireEvents.NONE);
        seeding.add(new Swarm(torrent, new Choker(new FastestDownloadFirst(), 4, 3, new Random(1)), false, new Random(1)));
        return seeding;
    }

    @Test
    void aChokedPeerGetsItsAllowedFastPiecesAndNothingElse() {
        seeding = seeding(2);
        EmbeddedChannel ch = connect();
        send(ch, Handshake.of(torrent.wireHashes().getFirst(), LEECHER, false));
        List<Object> answer = received(ch, true);
        Set<Integer> allowed = AllowedFastSet.of(2, InetAddress.getLoopbackAddress(),
                torrent.wireHashes().getFirst(), torrent.pieceCount());
        assertEquals(allowed.stream().map(PeerMessage.AllowedFast::new).toList(), answer.subList(2, 4),
                "BEP 6: the canonical set after have-all");
        int fast = allowed.iterator().next();
        int other = IntStream.range(0, 4).filter(p -> !allowed.contains(p)).findFirst().orElseThrow();
        send(ch, new PeerMessage.Request(fast, 0, 16384), new PeerMessage.Request(other, 0, 16384));
        List<Object> replies = received(ch, false);
        assertTrue(replies.contains(new PeerMessage.RejectRequest(other, 0, 16384)), "choked: any other piece is rejected");
        assertTrue(replies.stream().anyMatch(m -> m instanceof PeerMessage.Piece p && p.index() == fast), "an allowed-fast piece is served");
    }

    private EmbeddedChannel connect() {
        return new EmbeddedChannel(new HandshakeDecoder(), new PeerWireEncoder(), new PeerConnection(seeding));
    }

    private static void send(EmbeddedChannel ch, Object... messages) {
        for (Object m : messages) {
            ByteBuf out = Unpooled.buffer();
            switch (m) {
                case Handshake h -> PeerMessageCodec.encodeHandshake(h, out);
                case PeerMessage p -> PeerMessageCodec.encode(p, out);
                case byte[] raw -> out.writeBytes(raw);
                default -> throw new IllegalArgumentException();
            }
            ch.writeInbound(out);
        }
        ch.runPendingTasks();
    }

    /** Everything the worker wrote, decoded: the handshake (if any) and the messages after it. */
    private static List<Object> received(EmbeddedChannel ch, boolean withHandshake) {
        ByteBuf all = Unpooled.buffer();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            all.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        List<Object> out = new ArrayList<>();
        if (withHandshake) {
            out.add(PeerMessageCodec.decodeHandshake(all));
        }
        while (all.readableBytes() >= 4) {
            int length = all.readInt();
            out.add(PeerMessageCodec.decode(all.readSlice(length)));
        }
        return out;
    }

    private EmbeddedChannel handshaken() {
        EmbeddedChannel ch = connect();
        send(ch, Handshake.of(torrent.wireHashes().getFirst(), LEECHER, false));
        List<Object> answer = received(ch, true);
        assertInstanceOf(Handshake.class, answer.get(0));
        return ch;
    }

    @Test
    void aLeecherGetsHaveAllTheExtensionHandshakeAndTheBlocksItAsksFor() {
        EmbeddedChannel ch = connect();
        send(ch, Handshake.of(torrent.wireHashes().getFirst(), LEECHER, false));
        List<Object> answer = received(ch, true);
        assertEquals(torrent.wireHashes().getFirst(), ((Handshake) answer.get(0)).infoHash());
        assertInstanceOf(PeerMessage.HaveAll.class, answer.get(1), "BEP 6: have-all straight after the handshake");
        ExtensionHandshake ext = ExtensionHandshake.decode(((PeerMessage.Extended) answer.get(2)).payload());
        assertEquals(torrent.infoBytes().length, ext.metadataSize().getAsLong());
        assertEquals(Map.of("ut_metadata", 2, "ut_pex", 1), ext.extensions());

        send(ch, new PeerMessage.Interested());
        List<Object> unchoked = received(ch, false);
        assertEquals(new PeerMessage.Unchoke(), unchoked.get(0), "a free slot: unchoked at once");
        assertEquals(Set.of(new PeerMessage.Suggest(0), new PeerMessage.Suggest(1), new PeerMessage.Suggest(2),
                new PeerMessage.Suggest(3)), Set.copyOf(unchoked.subList(1, unchoked.size())),
                "BEP 6: every piece it lacks read ahead (the cache holds the whole torrent) and suggested");
        send(ch, new PeerMessage.Request(1, 16384, 16384), new PeerMessage.Request(3, 0, 100_000 - 3 * PIECE));
        List<Object> blocks = received(ch, false);
        byte[] file = made.object(0);
        assertEquals(new PeerMessage.Piece(1, 16384, Arrays.copyOfRange(file, PIECE + 16384, 2 * PIECE)), blocks.get(0));
        assertEquals(new PeerMessage.Piece(3, 0, Arrays.copyOfRange(file, 3 * PIECE, 100_000)), blocks.get(1), "the short last piece");
        assertTrue(ch.isActive());
    }

    @Test
    void aMagnetClientGetsTheInfoDictionaryByUtMetadata() {
        EmbeddedChannel ch = handshaken();
        send(ch, new PeerMessage.Extended(0, new ExtensionHandshake(Map.of("ut_metadata", 3), OptionalLong.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty()).encode()));
        send(ch, new PeerMessage.Extended(2, UtMetadataMessage.request(0).encode()), new PeerMessage.Extended(2, UtMetadataMessage.request(7).encode()));
        List<Object> answers = received(ch, false);
        PeerMessage.Extended data = (PeerMessage.Extended) answers.get(0);
        assertEquals(3, data.extendedId(), "sent under the id the client chose");
        assertArrayEquals(torrent.infoBytes(), UtMetadataMessage.decode(data.payload()).data());
        assertEquals(UtMetadataMessage.REJECT, UtMetadataMessage.decode(((PeerMessage.Extended) answers.get(1)).payload()).type(),
                "a piece past the end is rejected");
    }

    @Test
    void aChokedPeersRequestIsRejectedAndACancelledOneToo() {
        EmbeddedChannel ch = handshaken();
        send(ch, new PeerMessage.Request(0, 0, 16384));
        assertEquals(List.of(new PeerMessage.RejectRequest(0, 0, 16384)), received(ch, false), "BEP 6: choked, rejected");
        holdReads = true; // the piece is still being read when the cancel comes (read ahead or asked for)
        send(ch, new PeerMessage.Interested());
        received(ch, false);
        send(ch, new PeerMessage.Request(2, 0, 16384), new PeerMessage.Cancel(2, 0, 16384));
        assertEquals(List.of(new PeerMessage.RejectRequest(2, 0, 16384)), received(ch, false));
    }

    @Test
    void anUnknownInfoHashIsClosed() {
        EmbeddedChannel ch = connect();
        send(ch, Handshake.of(InfoHash.fromHex("00".repeat(20)), LEECHER, false));
        assertFalse(ch.isActive());
        assertTrue(received(ch, false).isEmpty(), "not a byte said");
    }

    @Test
    void garbageInsteadOfAHandshakeIsClosed() {
        EmbeddedChannel ch = connect();
        send(ch, (Object) "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertFalse(ch.isActive());
    }

    @Test
    void anAbsurdLengthPrefixIsClosed() {
        EmbeddedChannel ch = handshaken();
        send(ch, (Object) new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7});
        assertFalse(ch.isActive());
    }

    @Test
    void requestsOutsideThePieceOrLargerThanABlockAreClosed() {
        for (PeerMessage.Request bad : List.of(new PeerMessage.Request(99, 0, 16384), new PeerMessage.Request(0, 0, 32768),
                new PeerMessage.Request(3, 0, 16384 * 2 - 1), new PeerMessage.Request(0, PIECE - 100, 16384),
                new PeerMessage.Request(0, 0, 0))) {
            EmbeddedChannel ch = handshaken();
            send(ch, new PeerMessage.Interested());
            send(ch, bad);
            assertFalse(ch.isActive(), bad + " closes the connection");
        }
    }

    @Test
    void aRequestFloodIsClosed() {
        EmbeddedChannel ch = handshaken();
        holdReads = true; // nothing is answered: the requests pile up
        send(ch, new PeerMessage.Interested());
        for (int i = 0; i < 2 * 4; i++) {
            send(ch, new PeerMessage.Request(i % 3, 0, 16384));
        }
        assertTrue(ch.isActive(), "twice the queue we announced is tolerated");
        send(ch, new PeerMessage.Request(0, 16384, 16384));
        assertFalse(ch.isActive());
    }

    @Test
    void aBitfieldOfTheWrongSizeOrWithSpareBitsIsClosedAndASeedToo() {
        EmbeddedChannel wrongSize = handshaken();
        send(wrongSize, new PeerMessage.Bitfield(new byte[2]));
        assertFalse(wrongSize.isActive());
        EmbeddedChannel spare = handshaken();
        send(spare, new PeerMessage.Bitfield(new byte[] {0x01})); // 4 pieces: the low 4 bits are spare
        assertFalse(spare.isActive());
        EmbeddedChannel seed = handshaken();
        send(seed, new PeerMessage.HaveAll());
        assertFalse(seed.isActive(), "two seeds have nothing to trade");
    }

    @Test
    void theTorrentsPeerLimitHolds() {
        handshaken();
        handshaken();
        EmbeddedChannel third = connect();
        send(third, Handshake.of(torrent.wireHashes().getFirst(), LEECHER, false));
        assertFalse(third.isActive(), "two peers a torrent in this test");
    }
}
