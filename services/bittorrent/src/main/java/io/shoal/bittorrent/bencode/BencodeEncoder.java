package io.shoal.bittorrent.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Canonical bencode (BEP 3): dictionary keys in byte order, integers in shortest form. */
public final class BencodeEncoder {

    private BencodeEncoder() {
    }

    public static byte[] encode(BValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    public static void write(BValue value, ByteArrayOutputStream out) {
        switch (value) {
            case BString s -> writeString(s.unsafeBytes(), out);
            case BInteger i -> {
                out.write('i');
                out.writeBytes(Long.toString(i.value()).getBytes(StandardCharsets.US_ASCII));
                out.write('e');
            }
            case BList l -> {
                out.write('l');
                for (BValue element : l.values()) {
                    write(element, out);
                }
                out.write('e');
            }
            case BDict d -> {
                out.write('d');
                for (Map.Entry<BString, BValue> entry : d.entries().entrySet()) {
                    writeString(entry.getKey().unsafeBytes(), out);
                    write(entry.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    private static void writeString(byte[] bytes, ByteArrayOutputStream out) {
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
    }
}
