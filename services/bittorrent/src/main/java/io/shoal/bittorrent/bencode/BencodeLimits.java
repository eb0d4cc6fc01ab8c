package io.shoal.bittorrent.bencode;

/**
 * What a remote party may make the decoder do. The defaults fit the largest .torrent Shoal expects
 * (a 100 GiB image at 1 MiB pieces has a 2 MiB v1 {@code pieces} string and 3.2 MiB of v2 piece layers)
 * with room to spare, and stop a hostile input long before it costs memory or stack.
 *
 * @param maxDepth        nesting of lists and dictionaries
 * @param maxStringLength one byte string
 * @param maxItems        values in the whole input (libtorrent's "token limit")
 */
public record BencodeLimits(int maxDepth, int maxStringLength, int maxItems) {

    public static final BencodeLimits DEFAULT = new BencodeLimits(64, 32 * 1024 * 1024, 1_000_000);

    public BencodeLimits {
        if (maxDepth < 1 || maxStringLength < 0 || maxItems < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxStringLength + ", " + maxItems);
        }
    }
}
