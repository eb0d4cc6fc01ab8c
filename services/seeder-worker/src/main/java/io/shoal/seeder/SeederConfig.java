package io.shoal.seeder;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "shoal.seeder")
public interface SeederConfig {

    /** The TCP port the peer wire server listens on (DESIGN.md: 6881, a second local worker 6882). */
    int peerPort();

    /** The address clients can reach this worker at, announced to the tracker (a node's IP in Kubernetes). */
    String advertisedHost();

    /** The port announced to the tracker when it differs from {@link #peerPort()} (NAT, hostPort mapping). */
    Optional<Integer> advertisedPort();
}
