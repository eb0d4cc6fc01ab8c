package io.shoal.bittorrent.peerwire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The messages after the handshake: {@code <length:u32><id:u8><payload>}. Records validate in their
 * compact constructors; the session, not the codec, checks indexes against the torrent.
 */
public sealed interface PeerMessage {

    // BEP 3
    byte CHOKE = 0, UNCHOKE = 1, INTERESTED = 2, NOT_INTERESTED = 3, HAVE = 4, BITFIELD = 5, REQUEST = 6,
            PIECE = 7, CANCEL = 8;
    // BEP 5
    byte PORT = 9;
    // BEP 6
    byte SUGGEST = 13, HAVE_ALL = 14, HAVE_NONE = 15, REJECT_REQUEST = 16, ALLOWED_FAST = 17;
    // BEP 10
    byte EXTENDED = 20;
    // BEP 52
    byte HASH_REQUEST = 21, HASHES = 22, HASH_REJECT = 23;

    /** {@code <len=0>} */
    record KeepAlive() implements PeerMessage {
    }

    /** {@code <len=1><id=0>} */
    record Choke() implements PeerMessage {
    }

    /** {@code <len=1><id=1>} */
    record Unchoke() implements PeerMessage {
    }

    /** {@code <len=1><id=2>} */
    record Interested() implements PeerMessage {
    }

    /** {@code <len=1><id=3>} */
    record NotInterested() implements PeerMessage {
    }

    /** BEP 3: {@code <len=5><id=4><index:u32>} */
    record Have(int index) implements PeerMessage {
        public Have {
            nonNegative(index, "index");
        }
    }

    /** BEP 3: {@code <len=1+X><id=5><bitfield:X>}, piece 0 in the high bit of the first byte. */
    record Bitfield(byte[] bits) implements PeerMessage {
        public Bitfield {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        public boolean has(int piece) {
            return piece >= 0 && piece / 8 < bits.length && (bits[piece / 8] & (0x80 >>> (piece % 8))) != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield b && Arrays.equals(bits, b.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    /** BEP 3: {@code <len=13><id=6><index:u32><begin:u32><length:u32>} */
    record Request(int index, int begin, int length) implements PeerMessage {
        public Request {
            nonNegative(index, "index");
            nonNegative(begin, "begin");
            nonNegative(length, "length");
        }
    }

    /** BEP 3: {@code <len=9+X><id=7><index:u32><begin:u32><block:X>} */
    record Piece(int index, int begin, byte[] block) implements PeerMessage {
        public Piece {
            nonNegative(index, "index");
            nonNegative(begin, "begin");
            block = block.clone();
        }

        @Override
        public byte[] block() {
            return block.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && index == p.index && begin == p.begin && Arrays.equals(block, p.block);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * index + begin) + Arrays.hashCode(block);
        }

        @Override
        public String toString() {
            return "Piece[index=" + index + ", begin=" + begin + ", " + block.length + " bytes]";
        }
    }

    /** BEP 3: {@code <len=13><id=8><index:u32><begin:u32><length:u32>} */
    record Cancel(int index, int begin, int length) implements PeerMessage {
        public Cancel {
            nonNegative(index, "index");
            nonNegative(begin, "begin");
            nonNegative(length, "length");
        }
    }

    /** BEP 5: {@code <len=3><id=9><listen-port:u16>} */
    record Port(int port) implements PeerMessage {
        public Port {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
        }
    }

    /** BEP 6: {@code <len=5><id=13><index:u32>} */
    record Suggest(int index) implements PeerMessage {
        public Suggest {
            nonNegative(index, "index");
        }
    }

    /** BEP 6: {@code <len=1><id=14>} */
    record HaveAll() implements PeerMessage {
    }

    /** BEP 6: {@code <len=1><id=15>} */
    record HaveNone() implements PeerMessage {
    }

    /** BEP 6: {@code <len=13><id=16><index:u32><begin:u32><length:u32>} */
    record RejectRequest(int index, int begin, int length) implements PeerMessage {
        public RejectRequest {
            nonNegative(index, "index");
            nonNegative(begin, "begin");
            nonNegative(length, "length");
        }
    }

    /** BEP 6: {@code <len=5><id=17><index:u32>} */
    record AllowedFast(int index) implements PeerMessage {
        public AllowedFast {
            nonNegative(index, "index");
        }
    }

    /** BEP 10: {@code <len=2+X><id=20><extended id:u8><payload:X>}; id 0 is the extension handshake. */
    record Extended(int extendedId, byte[] payload) implements PeerMessage {
        public Extended {
            if (extendedId < 0 || extendedId > 255) {
                throw new IllegalArgumentException("extended id: " + extendedId + " (expected: 0-255)");
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && extendedId == e.extendedId && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extendedId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[id=" + extendedId + ", " + payload.length + " bytes]";
        }
    }

    /**
     * BEP 52: {@code <len=49><id=21|23><pieces root:32><base layer:u32><index:u32><length:u32><proof layers:u32>}:
     * a hash request, or the reject of one.
     */
    record HashRequest(byte[] piecesRoot, int baseLayer, int index, int length, int proofLayers, boolean reject)
            implements PeerMessage {
        public HashRequest {
            if (piecesRoot.length != 32) {
                throw new IllegalArgumentException("pieces root: " + piecesRoot.length + " bytes (expected: 32)");
            }
            nonNegative(baseLayer, "base layer");
            nonNegative(index, "index");
            nonNegative(length, "length");
            nonNegative(proofLayers, "proof layers");
            piecesRoot = piecesRoot.clone();
        }

        @Override
        public byte[] piecesRoot() {
            return piecesRoot.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashRequest h && Arrays.equals(piecesRoot, h.piecesRoot) && baseLayer == h.baseLayer
                    && index == h.index && length == h.length && proofLayers == h.proofLayers && reject == h.reject;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(piecesRoot) + 31 * index + 17 * length + (reject ? 1 : 0);
        }

        @Override
        public String toString() {
            return (reject ? "HashReject[" : "HashRequest[") + HexFormat.of().formatHex(piecesRoot, 0, 4)
                    + "…, base=" + baseLayer + ", index=" + index + ", length=" + length + ", proof=" + proofLayers + "]";
        }
    }

    /** BEP 52: {@code <len=49+32·N><id=22><pieces root:32><base layer><index><length><proof layers><hashes:32·N>} */
    record Hashes(byte[] piecesRoot, int baseLayer, int index, int length, int proofLayers, byte[] hashes)
            implements PeerMessage {
        public Hashes {
            if (piecesRoot.length != 32 || hashes.length % 32 != 0) {
                throw new IllegalArgumentException("pieces root and hashes are 32-byte SHA-256 values");
            }
            nonNegative(baseLayer, "base layer");
            nonNegative(index, "index");
            nonNegative(length, "length");
            nonNegative(proofLayers, "proof layers");
            piecesRoot = piecesRoot.clone();
            hashes = hashes.clone();
        }

        @Override
        public byte[] piecesRoot() {
            return piecesRoot.clone();
        }

        @Override
        public byte[] hashes() {
            return hashes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hashes h && Arrays.equals(piecesRoot, h.piecesRoot) && baseLayer == h.baseLayer
                    && index == h.index && length == h.length && proofLayers == h.proofLayers && Arrays.equals(hashes, h.hashes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(piecesRoot) + 31 * index + Arrays.hashCode(hashes);
        }

        @Override
        public String toString() {
            return "Hashes[index=" + index + ", length=" + length + ", " + hashes.length / 32 + " hashes]";
        }
    }

    /** An id this codec does not know. BEP 3 says to ignore it; the session decides. */
    record Unknown(int id, int payloadLength) implements PeerMessage {
    }

    private static void nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + Integer.toUnsignedString(value) + " (expected: < 2^31)");
        }
    }
}
