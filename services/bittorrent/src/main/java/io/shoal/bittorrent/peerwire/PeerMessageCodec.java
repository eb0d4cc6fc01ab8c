package io.shoal.bittorrent.peerwire;

import io.netty.buffer.ByteBuf;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.peerwire.PeerMessage.AllowedFast;
import io.shoal.bittorrent.peerwire.PeerMessage.Bitfield;
import io.shoal.bittorrent.peerwire.PeerMessage.Cancel;
import io.shoal.bittorrent.peerwire.PeerMessage.Choke;
import io.shoal.bittorrent.peerwire.PeerMessage.Extended;
import io.shoal.bittorrent.peerwire.PeerMessage.HashRequest;
import io.shoal.bittorrent.peerwire.PeerMessage.Hashes;
import io.shoal.bittorrent.peerwire.PeerMessage.Have;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveAll;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveNone;
import io.shoal.bittorrent.peerwire.PeerMessage.Interested;
import io.shoal.bittorrent.peerwire.PeerMessage.KeepAlive;
import io.shoal.bittorrent.peerwire.PeerMessage.NotInterested;
import io.shoal.bittorrent.peerwire.PeerMessage.Piece;
import io.shoal.bittorrent.peerwire.PeerMessage.Port;
import io.shoal.bittorrent.peerwire.PeerMessage.RejectRequest;
import io.shoal.bittorrent.peerwire.PeerMessage.Request;
import io.shoal.bittorrent.peerwire.PeerMessage.Suggest;
import io.shoal.bittorrent.peerwire.PeerMessage.Unchoke;
import io.shoal.bittorrent.peerwire.PeerMessage.Unknown;
import java.nio.charset.StandardCharsets;

/**
 * The peer wire's parsing, apart from any transport: a handshake from 68 bytes, a message from one frame
 * (the bytes after the 4-byte length prefix), and the reverse. Lengths are checked before anything is read.
 */
public final class PeerMessageCodec {

    /**
     * The largest frame accepted: a 16 KiB block needs 16,393 bytes, but a bitfield for a torrent of
     * 8 million pieces or a BEP 52 hashes message of 512 hashes needs more. Anything above is hostile.
     */
    public static final int MAX_FRAME = 1024 * 1024;
    private static final byte[] PROTOCOL = Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII);

    private PeerMessageCodec() {
    }

    public static Handshake decodeHandshake(ByteBuf in) {
        if (in.readableBytes() < Handshake.LENGTH) {
            throw new PeerWireException("handshake of " + in.readableBytes() + " bytes (expected: " + Handshake.LENGTH + ")");
        }
        int pstrlen = in.readUnsignedByte();
        if (pstrlen != PROTOCOL.length) {
            throw new PeerWireException("handshake protocol length " + pstrlen + " (expected: 19)");
        }
        byte[] pstr = new byte[PROTOCOL.length];
        in.readBytes(pstr);
        if (!java.util.Arrays.equals(pstr, PROTOCOL)) {
            throw new PeerWireException("handshake protocol is not 'BitTorrent protocol'");
        }
        byte[] reserved = new byte[8];
        byte[] infoHash = new byte[20];
        byte[] peerId = new byte[20];
        in.readBytes(reserved).readBytes(infoHash).readBytes(peerId);
        return new Handshake(reserved, InfoHash.of(infoHash), PeerId.of(peerId));
    }

    public static void encodeHandshake(Handshake handshake, ByteBuf out) {
        out.writeByte(PROTOCOL.length).writeBytes(PROTOCOL).writeBytes(handshake.reserved())
                .writeBytes(handshake.infoHash().bytes()).writeBytes(handshake.peerId().bytes());
    }

    /** One frame without its length prefix; an empty frame is a keep-alive. Consumes the whole frame. */
    public static PeerMessage decode(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length > MAX_FRAME) {
            throw new PeerWireException("frame of " + length + " bytes (expected: <= " + MAX_FRAME + ")");
        }
        if (length == 0) {
            return new KeepAlive();
        }
        int id = frame.readUnsignedByte();
        int payload = length - 1;
        try {
            PeerMessage message = switch (id) {
                case PeerMessage.CHOKE -> empty(payload, "choke", new Choke());
                case PeerMessage.UNCHOKE -> empty(payload, "unchoke", new Unchoke());
                case PeerMessage.INTERESTED -> empty(payload, "interested", new Interested());
                case PeerMessage.NOT_INTERESTED -> empty(payload, "not interested", new NotInterested());
                case PeerMessage.HAVE_ALL -> empty(payload, "have all", new HaveAll());
                case PeerMessage.HAVE_NONE -> empty(payload, "have none", new HaveNone());
                case PeerMessage.HAVE -> new Have(fixed(frame, payload, 4, "have").readInt());
                case PeerMessage.SUGGEST -> new Suggest(fixed(frame, payload, 4, "suggest").readInt());
                case PeerMessage.ALLOWED_FAST -> new AllowedFast(fixed(frame, payload, 4, "allowed fast").readInt());
                case PeerMessage.BITFIELD -> new Bitfield(bytes(frame, payload));
                case PeerMessage.REQUEST -> {
                    fixed(frame, payload, 12, "request");
                    yield new Request(frame.readInt(), frame.readInt(), frame.readInt());
                }
                case PeerMessage.CANCEL -> {
                    fixed(frame, payload, 12, "cancel");
                    yield new Cancel(frame.readInt(), frame.readInt(), frame.readInt());
                }
                case PeerMessage.REJECT_REQUEST -> {
                    fixed(frame, payload, 12, "reject request");
                    yield new RejectRequest(frame.readInt(), frame.readInt(), frame.readInt());
                }
                case PeerMessage.PIECE -> {
                    if (payload < 8) {
                        throw new PeerWireException("piece of " + payload + " payload bytes (expected: >= 8)");
                    }
                    yield new Piece(frame.readInt(), frame.readInt(), bytes(frame, payload - 8));
                }
                case PeerMessage.PORT -> new Port(fixed(frame, payload, 2, "port").readUnsignedShort());
                case PeerMessage.EXTENDED -> {
                    if (payload < 1) {
                        throw new PeerWireException("extended message without an id");
                    }
                    yield new Extended(frame.readUnsignedByte(), bytes(frame, payload - 1));
                }
                case PeerMessage.HASH_REQUEST, PeerMessage.HASH_REJECT -> {
                    fixed(frame, payload, 48, id == PeerMessage.HASH_REQUEST ? "hash request" : "hash reject");
                    byte[] root = bytes(frame, 32);
                    yield new HashRequest(root, frame.readInt(), frame.readInt(), frame.readInt(), frame.readInt(),
                            id == PeerMessage.HASH_REJECT);
                }
                case PeerMessage.HASHES -> {
                    if (payload < 48 || (payload - 48) % 32 != 0) {
                        throw new PeerWireException("hashes of " + payload + " payload bytes (expected: 48 + 32·N)");
                    }
                    byte[] root = bytes(frame, 32);
                    int baseLayer = frame.readInt();
                    int index = frame.readInt();
                    int count = frame.readInt();
                    int proofLayers = frame.readInt();
                    yield new Hashes(root, baseLayer, index, count, proofLayers, bytes(frame, payload - 48));
                }
                default -> {
                    frame.skipBytes(payload);
                    yield new Unknown(id, payload);
                }
            };
            if (frame.isReadable()) {
                throw new PeerWireException("message " + id + " left " + frame.readableBytes() + " bytes unread");
            }
            return message;
        } catch (IllegalArgumentException e) {
            throw new PeerWireException("message " + id + ": " + e.getMessage());
        }
    }

    private static PeerMessage empty(int payload, String name, PeerMessage message) {
        if (payload != 0) {
            throw new PeerWireException(name + " with " + payload + " payload bytes (expected: 0)");
        }
        return message;
    }

    private static ByteBuf fixed(ByteBuf frame, int payload, int expected, String name) {
        if (payload != expected) {
            throw new PeerWireException(name + " with " + payload + " payload bytes (expected: " + expected + ")");
        }
        return frame;
    }

    private static byte[] bytes(ByteBuf frame, int length) {
        byte[] out = new byte[length];
        frame.readBytes(out);
        return out;
    }

    /** Writes the message with its 4-byte length prefix. */
    public static void encode(PeerMessage message, ByteBuf out) {
        switch (message) {
            case KeepAlive m -> out.writeInt(0);
            case Choke m -> idOnly(out, PeerMessage.CHOKE);
            case Unchoke m -> idOnly(out, PeerMessage.UNCHOKE);
            case Interested m -> idOnly(out, PeerMessage.INTERESTED);
            case NotInterested m -> idOnly(out, PeerMessage.NOT_INTERESTED);
            case HaveAll m -> idOnly(out, PeerMessage.HAVE_ALL);
            case HaveNone m -> idOnly(out, PeerMessage.HAVE_NONE);
            case Have m -> out.writeInt(5).writeByte(PeerMessage.HAVE).writeInt(m.index());
            case Suggest m -> out.writeInt(5).writeByte(PeerMessage.SUGGEST).writeInt(m.index());
            case AllowedFast m -> out.writeInt(5).writeByte(PeerMessage.ALLOWED_FAST).writeInt(m.index());
            case Bitfield m -> {
                byte[] bits = m.bits();
                out.writeInt(1 + bits.length).writeByte(PeerMessage.BITFIELD).writeBytes(bits);
            }
            case Request m -> triple(out, PeerMessage.REQUEST, m.index(), m.begin(), m.length());
            case Cancel m -> triple(out, PeerMessage.CANCEL, m.index(), m.begin(), m.length());
            case RejectRequest m -> triple(out, PeerMessage.REJECT_REQUEST, m.index(), m.begin(), m.length());
            case Piece m -> {
                byte[] block = m.block();
                encodePieceHeader(m.index(), m.begin(), block.length, out);
                out.writeBytes(block);
            }
            case Port m -> out.writeInt(3).writeByte(PeerMessage.PORT).writeShort(m.port());
            case Extended m -> {
                byte[] payload = m.payload();
                out.writeInt(2 + payload.length).writeByte(PeerMessage.EXTENDED).writeByte(m.extendedId()).writeBytes(payload);
            }
            case HashRequest m -> out.writeInt(49).writeByte(m.reject() ? PeerMessage.HASH_REJECT : PeerMessage.HASH_REQUEST)
                    .writeBytes(m.piecesRoot()).writeInt(m.baseLayer()).writeInt(m.index()).writeInt(m.length()).writeInt(m.proofLayers());
            case Hashes m -> {
                byte[] hashes = m.hashes();
                out.writeInt(49 + hashes.length).writeByte(PeerMessage.HASHES).writeBytes(m.piecesRoot())
                        .writeInt(m.baseLayer()).writeInt(m.index()).writeInt(m.length()).writeInt(m.proofLayers()).writeBytes(hashes);
            }
            case Unknown m -> throw new IllegalArgumentException("an unknown message cannot be sent");
        }
    }

    /**
     * A PIECE message's 13 bytes before its block, for a sender that writes the block itself (a slice of a
     * cached piece, without copying it).
     */
    public static void encodePieceHeader(int index, int begin, int blockLength, ByteBuf out) {
        out.writeInt(9 + blockLength).writeByte(PeerMessage.PIECE).writeInt(index).writeInt(begin);
    }

    private static void idOnly(ByteBuf out, byte id) {
        out.writeInt(1).writeByte(id);
    }

    private static void triple(ByteBuf out, byte id, int index, int begin, int length) {
        out.writeInt(13).writeByte(id).writeInt(index).writeInt(begin).writeInt(length);
    }
}
