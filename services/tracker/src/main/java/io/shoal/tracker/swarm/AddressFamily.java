package io.shoal.tracker.swarm;

/** Which peers an answer may carry: an HTTP answer has room for both, a BEP 15 answer only for its socket's. */
public enum AddressFamily {
    ANY, IPV4, IPV6;

    /** @param endpointKey a swarm's endpoint key: negative for IPv6 */
    boolean accepts(long endpointKey) {
        return switch (this) {
            case ANY -> true;
            case IPV4 -> endpointKey >= 0;
            case IPV6 -> endpointKey < 0;
        };
    }
}
