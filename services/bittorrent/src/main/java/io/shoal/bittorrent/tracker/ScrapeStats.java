package io.shoal.bittorrent.tracker;

/** One swarm in a scrape (BEP 48): seeders, completed downloads, leechers. */
public record ScrapeStats(int complete, long downloaded, int incomplete) {
}
