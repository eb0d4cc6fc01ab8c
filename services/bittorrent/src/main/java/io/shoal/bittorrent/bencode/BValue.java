package io.shoal.bittorrent.bencode;

/** A bencoded value (BEP 3): a byte string, an integer, a list or a dictionary. */
public sealed interface BValue permits BString, BInteger, BList, BDict {
}
