package io.shoal.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/** Loopback ports: finding a free one for tests, and telling whether a fixed one is taken. */
public final class Ports {

    private Ports() {
    }

    /** Ports this process handed out lately: the kernel may offer a port again as soon as its probe closed. */
    private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();
    private static final int REMEMBERED = 4096;

    /**
     * A loopback port free now and not handed out by this process lately (a stack takes a dozen ports one after the
     * other before it binds any: a port offered twice made two services collide).
     */
    public static synchronized int free() {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
            if (HANDED_OUT.add(port) || attempt >= 100) {
                if (HANDED_OUT.size() > REMEMBERED) {
                    HANDED_OUT.remove(HANDED_OUT.iterator().next());
                }
                return port;
            }
        }
    }

    /** Whether a UDP socket is bound to {@code port} on loopback or every interface. */
    public static boolean udpInUse(int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
