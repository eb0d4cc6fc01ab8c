package io.shoal.gateway.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    private static Optional<ByteRange> parse(String header, long size) throws ByteRange.Unsatisfiable {
        return ByteRange.parse(header, size);
    }

    @Test
    void theThreeFormsOfASingleRange() throws Exception {
        assertEquals(Optional.of(new ByteRange(0, 99)), parse("bytes=0-99", 1000));
        assertEquals(Optional.of(new ByteRange(900, 999)), parse("bytes=900-", 1000));
        assertEquals(Optional.of(new ByteRange(990, 999)), parse("bytes=-10", 1000));
        assertEquals(Optional.of(new ByteRange(5, 5)), parse("Bytes=5-5", 1000));
        assertEquals("bytes 0-99/1000", new ByteRange(0, 99).contentRange(1000));
        assertEquals(100, new ByteRange(0, 99).length());
    }

    @Test
    void rangesPastTheEndAreCutAtTheEnd() throws Exception {
        assertEquals(Optional.of(new ByteRange(500, 999)), parse("bytes=500-5000", 1000));
        assertEquals(Optional.of(new ByteRange(0, 999)), parse("bytes=-5000", 1000));
        assertEquals(Optional.of(new ByteRange(1, 999)), parse("bytes=1-99999999999999999999999", 1000), "beyond a long");
    }

    @Test
    void aRangeThatStartsPastTheEndIsUnsatisfiable() {
        assertThrows(ByteRange.Unsatisfiable.class, () -> parse("bytes=1000-", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> parse("bytes=99999999999999999999999-", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> parse("bytes=-0", 1000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> parse("bytes=0-", 0), "an empty file has no byte 0");
    }

    @Test
    void whatIsNotOneWellFormedByteRangeIsIgnored() throws Exception {
        for (String header : new String[] {null, "", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "bytes=0-1,5-6",
                "items=0-5", "bytes=+1-5", "bytes=0x10-", "bytes=1-2-3", "bytes=" + "1".repeat(200) + "-"}) {
            assertEquals(Optional.empty(), parse(header, 1000), header);
        }
    }
}
