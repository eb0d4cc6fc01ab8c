package io.shoal.bittorrent.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tests are named after what a hostile or broken peer sends (libtorrent's habit). */
class BencodeDecoderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static BencodeException rejects(String input) {
        return assertThrows(BencodeException.class, () -> BencodeDecoder.decode(b(input)));
    }

    private static BencodeException rejects(String input, BencodeLimits limits) {
        return assertThrows(BencodeException.class, () -> BencodeDecoder.decode(b(input), limits));
    }

    @Test
    void decodesEveryKindOfValue() throws Exception {
        BValue value = BencodeDecoder.decode(b("d3:bar4:spam3:fooi42e4:listli-7e0:ee"));
        BDict dict = (BDict) value;
        assertEquals(BString.of("spam"), dict.get("bar").orElseThrow());
        assertEquals(BInteger.of(42), dict.get("foo").orElseThrow());
        assertEquals(BList.of(BInteger.of(-7), BString.of("")), dict.get("list").orElseThrow());
    }

    @Test
    void encodeOfDecodeIsTheInput() throws Exception {
        for (String canonical : new String[] {"i0e", "i-1e", "i9223372036854775807e", "i-9223372036854775808e", "0:", "le", "de",
                "d1:ai1e1:bl1:xee", "l4:spami42ed1:k1:vee"}) {
            assertArrayEquals(b(canonical), BencodeEncoder.encode(BencodeDecoder.decode(b(canonical))), canonical);
        }
    }

    @Test
    void rawBytesOfANestedDictAreTheBytesReceived() throws Exception {
        BDict outer = (BDict) BencodeDecoder.decode(b("d4:infod6:lengthi5e4:name1:xe1:zi1ee"));
        BDict info = (BDict) outer.get("info").orElseThrow();
        assertArrayEquals(b("d6:lengthi5e4:name1:xe"), info.rawBytes());
    }

    @Test
    void keysAreComparedAsUnsignedBytes() throws Exception {
        // 0x7f sorts before 0x80 only when bytes are unsigned.
        BencodeDecoder.decode(b("d1:\u007fi1e1:\u0080i2ee"));
        rejects("d1:\u0080i2e1:\u007fi1ee");
    }

    @Test
    void decodePrefixStopsAfterTheValue() throws Exception {
        byte[] input = b("d8:msg_typei1e5:piecei0eeRAW-PIECE-BYTES");
        BencodeDecoder.Prefix prefix = BencodeDecoder.decodePrefix(input, 0, input.length, BencodeLimits.DEFAULT);
        assertEquals(25, prefix.length());
        assertTrue(prefix.value() instanceof BDict);
    }

    @Test
    void trailing_data() {
        assertEquals(3, rejects("i1eX").offset());
    }

    @Test
    void dict_duplicate_key() {
        BencodeException e = rejects("d1:ai1e1:ai2ee");
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
        assertEquals(7, e.offset());
    }

    @Test
    void dict_unsorted_keys() {
        assertTrue(rejects("d1:bi1e1:ai2ee").getMessage().contains("unsorted key"));
    }

    @Test
    void dict_key_not_a_string() {
        rejects("di1ei2ee");
    }

    @Test
    void integer_leading_zero() {
        assertTrue(rejects("i03e").getMessage().contains("leading zero"));
    }

    @Test
    void integer_negative_zero() {
        assertTrue(rejects("i-0e").getMessage().contains("negative zero"));
    }

    @Test
    void integer_empty_and_bare_minus() {
        rejects("ie");
        rejects("i-e");
    }

    @Test
    void integer_overflow() {
        rejects("i9223372036854775808e");
        rejects("i-9223372036854775809e");
        rejects("i99999999999999999999999999e");
    }

    @Test
    void integer_with_garbage() {
        rejects("i1x2e");
        rejects("i+1e");
    }

    @Test
    void string_length_leading_zero() {
        rejects("01:a");
    }

    @Test
    void overflow_length_prefix() {
        BencodeException e = rejects("99999999999999999999:x");
        assertTrue(e.getMessage().contains("expected: <="), e.getMessage());
    }

    @Test
    void string_longer_than_the_input() {
        assertTrue(rejects("10:abc").getMessage().contains("only 3 left"));
    }

    @Test
    void string_over_limit() {
        rejects("5:hello", new BencodeLimits(64, 4, 100));
    }

    @Test
    void depth_limit() {
        String deep = "l".repeat(65) + "e".repeat(65);
        assertTrue(rejects(deep).getMessage().contains("nesting deeper than 64"));
        String deepDicts = "d1:a".repeat(10) + "i1e" + "e".repeat(10);
        rejects(deepDicts, new BencodeLimits(5, 100, 100));
    }

    @Test
    void item_limit() {
        rejects("l" + "i1e".repeat(11) + "e", new BencodeLimits(64, 100, 10));
    }

    @Test
    void truncated_input() {
        for (String truncated : new String[] {"", "i12", "l", "d", "d1:a", "4:spa", "l4:spam", "d3:key"}) {
            assertTrue(rejects(truncated).getMessage().contains("unexpected end of input")
                    || rejects(truncated).getMessage().contains("left"), truncated);
        }
    }

    @Test
    void unknown_type_byte() {
        assertTrue(rejects("x").getMessage().contains("expected: 'i', 'l', 'd' or a digit"));
    }
}
