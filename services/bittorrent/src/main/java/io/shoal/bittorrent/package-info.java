/**
 * The BitTorrent protocol as Shoal speaks it, in plain Java.
 *
 * <h2>Terminology</h2>
 * <dl>
 *   <dt>torrent</dt><dd>a set of files described by a metainfo (.torrent) file; identified by its
 *     info-hash, the SHA-1 (v1, BEP 3) or SHA-256 (v2, BEP 52) of the bencoded {@code info} dictionary
 *     exactly as it was received.</dd>
 *   <dt>piece</dt><dd>the unit of verification: the torrent's bytes cut into equal pieces of
 *     {@code piece length} (the last one shorter), each with its hash in the metainfo.</dd>
 *   <dt>block</dt><dd>the unit of transfer: a peer requests at most 16 KiB of a piece at a time.</dd>
 *   <dt>peer</dt><dd>a client taking part in a swarm; a <em>seed</em> has every piece, a
 *     <em>leecher</em> does not yet.</dd>
 *   <dt>swarm</dt><dd>all peers of one torrent.</dd>
 *   <dt>peer connection</dt><dd>one TCP connection speaking the peer wire protocol: a 68-byte handshake,
 *     then length-prefixed messages.</dd>
 *   <dt>choke</dt><dd>a peer's refusal to upload to another; unchoking grants an upload slot.</dd>
 *   <dt>tracker</dt><dd>the HTTP or UDP service that tells a peer which other peers are in its swarm;
 *     the DHT (BEP 5) does the same without one.</dd>
 * </dl>
 */
package io.shoal.bittorrent;
