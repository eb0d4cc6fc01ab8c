package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shoal.bittorrent.tracker.HttpAnnounceParser;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import java.nio.charset.StandardCharsets;

/** The HTTP announce and scrape query parsers, and a client's reading of responses. */
public class AnnounceQueryFuzzTest {

    public static void fuzzerTestOneInput(byte[] input) {
        String query = new String(input, StandardCharsets.ISO_8859_1);
        try {
            HttpAnnounceParser.parseAnnounce(query);
        } catch (TrackerRequestException expected) {
            // answered with a failure reason
        }
        try {
            HttpAnnounceParser.parseScrape(query);
        } catch (TrackerRequestException expected) {
            // answered with a failure reason
        }
        try {
            HttpTrackerResponses.parseAnnounce(input);
        } catch (TrackerRequestException expected) {
            // a broken tracker
        }
    }

    @FuzzTest(maxDuration = "10s")
    void announceQueryParser(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
