package io.shoal.bittorrent.bencode;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bencoded dictionary: byte-string keys in sorted order (BEP 3). A dictionary that was decoded keeps
 * the span of the input it came from, so that an info-hash is computed over the bytes received and never
 * over a re-encoding (anacrolix/torrent and libtorrent do the same).
 */
public final class BDict implements BValue {

    private final SortedMap<BString, BValue> entries;
    private final byte[] source;
    private final int rawStart;
    private final int rawEnd;

    private BDict(SortedMap<BString, BValue> entries, byte[] source, int rawStart, int rawEnd) {
        this.entries = Collections.unmodifiableSortedMap(entries);
        this.source = source;
        this.rawStart = rawStart;
        this.rawEnd = rawEnd;
    }

    public static BDict of(Map<BString, ? extends BValue> entries) {
        return new BDict(new TreeMap<>(entries), null, 0, 0);
    }

    static BDict decoded(TreeMap<BString, BValue> entries, byte[] source, int rawStart, int rawEnd) {
        return new BDict(entries, source, rawStart, rawEnd);
    }

    public static Builder builder() {
        return new Builder();
    }

    public SortedMap<BString, BValue> entries() {
        return entries;
    }

    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(BString.of(key)));
    }

    public boolean containsKey(String key) {
        return entries.containsKey(BString.of(key));
    }

    public int size() {
        return entries.size();
    }

    /** The bencoding of this dictionary: the exact input bytes if it was decoded, else its canonical encoding. */
    public byte[] rawBytes() {
        return source != null ? Arrays.copyOfRange(source, rawStart, rawEnd) : BencodeEncoder.encode(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDict other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Builds a dictionary; keys end up in sorted order whatever order they are put in. */
    public static final class Builder {
        private final TreeMap<BString, BValue> entries = new TreeMap<>();

        public Builder put(String key, BValue value) {
            entries.put(BString.of(key), value);
            return this;
        }

        public Builder put(BString key, BValue value) {
            entries.put(key, value);
            return this;
        }

        public Builder put(String key, String utf8) {
            return put(key, BString.of(utf8));
        }

        public Builder put(String key, byte[] bytes) {
            return put(key, BString.of(bytes));
        }

        public Builder put(String key, long value) {
            return put(key, BInteger.of(value));
        }

        public BDict build() {
            return new BDict(new TreeMap<>(entries), null, 0, 0);
        }
    }
}
