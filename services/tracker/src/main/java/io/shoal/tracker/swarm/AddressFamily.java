package io.shoal.tracker.swarm;

/** Which peers an answer may carry: an HTTP answer has room for both, a BEP 15 answer only for its socket's. */
public enum AddressFamily {
    ANY, IPV4, IPV6;

    boolean accepts(byte[] endpoint) {
        return switch (this) {
            case ANY -> true;
            case IPV4 -> endpoint.length == 6;
            case IPV6 -> endpoint.length == 18;
        };
    }
}
