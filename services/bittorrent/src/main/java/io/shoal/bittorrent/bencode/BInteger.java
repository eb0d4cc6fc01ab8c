package io.shoal.bittorrent.bencode;

/** A bencoded integer. Shoal's decoder limits integers to the range of a {@code long}. */
public record BInteger(long value) implements BValue {

    public static BInteger of(long value) {
        return new BInteger(value);
    }
}
