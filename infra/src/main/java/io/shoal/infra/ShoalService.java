package io.shoal.infra;

/** The four Shoal services, their modules and their default HTTP ports (DESIGN.md, a contract). */
public enum ShoalService {
    PEER_GATEWAY("peer-gateway", 8080, "512m"),
    METADATA("metadata", 8081, "384m"),
    TRACKER("tracker", 6969, "384m"),
    SEEDER_WORKER("seeder-worker", 8083, "512m");

    private final String module;
    private final int defaultHttpPort;
    private final String maxHeap;

    ShoalService(String module, int defaultHttpPort, String maxHeap) {
        this.module = module;
        this.defaultHttpPort = defaultHttpPort;
        this.maxHeap = maxHeap;
    }

    /** The directory under services/, also the name in logs and in the state file. */
    public String module() {
        return module;
    }

    public int defaultHttpPort() {
        return defaultHttpPort;
    }

    /** The gateway streams uploads through a bounded buffer; 512 MiB is the budget it is tested with. */
    String maxHeap() {
        return maxHeap;
    }
}
