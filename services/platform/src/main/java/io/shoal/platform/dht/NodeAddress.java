package io.shoal.platform.dht;

import java.net.InetSocketAddress;
import java.util.List;

/** A DHT node as configured and as BEP 5's {@code nodes} key lists it: a host name or address, and a UDP port. */
public record NodeAddress(String host, int port) {

    public NodeAddress {
        if (host == null || host.isBlank() || host.length() > 253) {
            throw new IllegalArgumentException("DHT node host: '" + host + "' (expected: a host name or address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("DHT node port: " + port + " (expected: 1-65535)");
        }
    }

    /** {@code host:port}, {@code [v6]:port}. */
    public static NodeAddress parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("DHT node '" + text + "' (expected: host:port)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new NodeAddress(host, Integer.parseInt(t.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DHT node '" + text + "' (expected: host:port)", e);
        }
    }

    public static List<NodeAddress> parseAll(List<String> texts) {
        return texts.stream().filter(s -> !s.isBlank()).map(NodeAddress::parse).toList();
    }

    /** Resolved now (the name may not resolve: {@link InetSocketAddress#isUnresolved()}). */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
