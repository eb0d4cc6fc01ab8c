package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.FileNames;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.MetainfoParser;

/** .torrent files: only MetainfoException escapes, and nothing accepted has a name that escapes its directory. */
public class MetainfoFuzzTest {

    public static void fuzzerTestOneInput(byte[] input) {
        Metainfo metainfo;
        try {
            metainfo = MetainfoParser.parse(input);
        } catch (MetainfoException expected) {
            return;
        }
        try {
            FileNames.checkComponent(metainfo.name());
            for (FileEntry file : metainfo.files()) {
                FileNames.checkPath(file.path());
            }
        } catch (MetainfoException e) {
            throw new AssertionError("accepted a torrent with a bad file name: " + e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void metainfoParser(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
