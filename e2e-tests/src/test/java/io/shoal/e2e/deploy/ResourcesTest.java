package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.infra.ShoalService;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Memory sized per role, and a garbage collector chosen on purpose (the JVM's own choice below 2 CPUs or
 * 1792 MB is the serial collector): the tracker's heap holds its peer limit with room to spare, the seeder's
 * cache follows its memory limit.
 */
class ResourcesTest {

    /** Heap a tracker peer costs: e2e-tests/bench/tracker-memory.sh, 1,000,000 peers in 10,000 swarms (G1). */
    static final long BYTES_PER_PEER = 65;
    /** Live peers may take a third of the heap: the rest is for garbage between collections and the announce path. */
    static final int HEAP_TO_LIVE_PEERS = 3;

    static List<String> overlays() {
        return Manifests.OVERLAYS;
    }

    static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti)?").matcher(quantity);
        assertTrue(m.matches(), "memory quantity " + quantity);
        int shift = switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 10;
            case "Mi" -> 20;
            case "Gi" -> 30;
            case "Ti" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    static int percent(String javaOpts, String flag) {
        Matcher m = Pattern.compile("-XX:" + flag + "=(\\d+)").matcher(javaOpts);
        assertTrue(m.find(), javaOpts + " sets no " + flag);
        return Integer.parseInt(m.group(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyServiceChoosesItsCollectorAndSizesItsHeapFromItsLimit(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        for (ShoalService service : ShoalService.values()) {
            String javaOpts = Manifests.environment(objects, service.module()).getOrDefault("JAVA_OPTS", "");
            assertTrue(javaOpts.matches(".*-XX:\\+Use(G1|Z|Parallel|Shenandoah)GC.*"), overlay + ": " + service.module()
                    + " leaves the collector to the JVM's small-heap default: " + javaOpts);
            int heap = percent(javaOpts, "MaxRAMPercentage");
            assertTrue(heap >= 50 && heap <= 75, service.module() + ": heap " + heap + "% of the limit");
            assertTrue(javaOpts.contains("-XX:+ExitOnOutOfMemoryError"), service.module() + " restarts rather than limps on");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theTrackersHeapHoldsItsPeerLimitWithRoomToSpare(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode container = Manifests.container(objects, "tracker");
        Map<String, String> env = Manifests.environment(objects, container);
        long limit = bytes(container.path("resources").path("limits").path("memory").asText());
        long heap = limit / 100 * percent(env.get("JAVA_OPTS"), "MaxRAMPercentage");
        long peers = Long.parseLong(env.get("SHOAL_TRACKER_MAX_PEERS"));
        assertTrue(heap >= HEAP_TO_LIVE_PEERS * peers * BYTES_PER_PEER, overlay + ": a heap of " + (heap >> 20) + " MiB for "
                + peers + " peers of ~" + BYTES_PER_PEER + " bytes needs " + (HEAP_TO_LIVE_PEERS * peers * BYTES_PER_PEER >> 20) + " MiB");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theSeedersCacheFollowsItsMemoryLimit(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        Map<String, String> env = Manifests.environment(objects, "seeder-worker");
        String cache = env.getOrDefault("SHOAL_SEEDER_CACHE_SIZE", "");
        assertTrue(cache.matches("\\d+%"), overlay + ": the cache is a share of the heap, so it follows the limit: " + cache);
        int heap = percent(env.get("JAVA_OPTS"), "MaxRAMPercentage");
        int ofLimit = heap * Integer.parseInt(cache.replace("%", "")) / 100;
        // the cache is off the heap (direct memory): heap and cache both come out of the limit
        assertTrue(heap + ofLimit <= 70, overlay + ": the heap (" + heap + "%) and the off-heap cache (" + ofLimit
                + "%) take more than 70% of the memory limit; threads, metaspace and socket buffers need the rest");
        assertTrue(!env.get("JAVA_OPTS").contains("MaxDirectMemorySize"), overlay
                + ": direct memory defaults to the heap's size, which holds the cache (at most 90% of it)");
    }
}
