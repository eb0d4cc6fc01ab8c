package io.shoal.bittorrent.peerwire;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * BEP 9 metadata exchange, in 16 KiB pieces of the info dictionary: {@code {msg_type: 0 request, 1 data,
 * 2 reject; piece; total_size}}, a data message followed by the piece's raw bytes.
 */
public record UtMetadataMessage(int type, int piece, long totalSize, byte[] data) {

    public static final int REQUEST = 0, DATA = 1, REJECT = 2;
    public static final int PIECE_SIZE = 16 * 1024;
    static final BencodeLimits LIMITS = new BencodeLimits(2, 64, 16);

    public UtMetadataMessage {
        if (type < REQUEST || type > REJECT) {
            throw new IllegalArgumentException("msg_type " + type + " (expected: 0, 1 or 2)");
        }
        if (piece < 0) {
            throw new IllegalArgumentException("piece " + piece + " (expected: >= 0)");
        }
        data = data.clone();
    }

    public static UtMetadataMessage request(int piece) {
        return new UtMetadataMessage(REQUEST, piece, 0, new byte[0]);
    }

    public static UtMetadataMessage reject(int piece) {
        return new UtMetadataMessage(REJECT, piece, 0, new byte[0]);
    }

    /** The data message for {@code piece} of {@code metadata} (the raw info dictionary). */
    public static UtMetadataMessage data(int piece, byte[] metadata) {
        int from = piece * PIECE_SIZE;
        if (piece < 0 || from >= metadata.length) {
            throw new IllegalArgumentException("piece " + piece + " of " + metadata.length + " bytes of metadata");
        }
        return new UtMetadataMessage(DATA, piece, metadata.length,
                Arrays.copyOfRange(metadata, from, Math.min(metadata.length, from + PIECE_SIZE)));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static UtMetadataMessage decode(byte[] payload) {
        BencodeDecoder.Prefix prefix;
        try {
            prefix = BencodeDecoder.decodePrefix(payload, 0, payload.length, LIMITS);
        } catch (BencodeException e) {
            throw new PeerWireException("ut_metadata: " + e.getMessage());
        }
        if (!(prefix.value() instanceof BDict dict)
                || !(dict.get("msg_type").orElse(null) instanceof BInteger type)
                || !(dict.get("piece").orElse(null) instanceof BInteger piece)
                || type.value() < 0 || type.value() > 2 || piece.value() < 0 || piece.value() > Integer.MAX_VALUE) {
            throw new PeerWireException("ut_metadata: malformed message (expected: msg_type 0-2 and a piece)");
        }
        byte[] data = Arrays.copyOfRange(payload, prefix.length(), payload.length);
        long totalSize = 0;
        if (type.value() == DATA) {
            if (!(dict.get("total_size").orElse(null) instanceof BInteger size) || size.value() <= 0
                    || size.value() > ExtensionHandshake.MAX_METADATA_SIZE) {
                throw new PeerWireException("ut_metadata: data without a valid total_size");
            }
            if (data.length > PIECE_SIZE) {
                throw new PeerWireException("ut_metadata: data piece of " + data.length + " bytes (expected: <= " + PIECE_SIZE + ")");
            }
            totalSize = size.value();
        } else if (data.length > 0) {
            throw new PeerWireException("ut_metadata: " + data.length + " trailing bytes after a request or reject");
        }
        return new UtMetadataMessage((int) type.value(), (int) piece.value(), totalSize, data);
    }

    public byte[] encode() {
        BDict.Builder dict = BDict.builder().put("msg_type", type).put("piece", piece);
        if (type == DATA) {
            dict.put("total_size", totalSize);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BencodeEncoder.encode(dict.build()));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UtMetadataMessage m && type == m.type && piece == m.piece && totalSize == m.totalSize
                && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + piece) + Arrays.hashCode(data);
    }
}
