package io.shoal.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the local stack is started with. Ports default to DESIGN.md's and can each be moved by an
 * environment variable, so that a test's stack never collides with a developer's {@code ./shoal up}.
 */
public record StackSettings(Path home, RepoLayout layout, BackingServices.Endpoints backing,
                            Map<ShoalService, Integer> httpPorts, Map<ShoalService, Integer> managementPorts,
                            int peerPort, int trackerDhtPort, String publicAddress, String apiToken, String internalApiToken,
                            BackingServices.Credentials credentials) {

    /**
     * The port variables besides each service's HTTP ports ({@link #portVariable}): the backing services', the seeder's
     * peer port (TCP, and UDP for its DHT node) and the tracker's DHT node (UDP).
     */
    public static final List<String> OTHER_PORT_VARIABLES = List.of("SHOAL_KAFKA_PORT", "SHOAL_KAFKA_CONTROLLER_PORT",
            "SHOAL_POSTGRES_PORT", "SHOAL_S3_PORT", "SHOAL_PEER_PORT", "SHOAL_TRACKER_DHT_PORT");

    /** Where the public ports listen unless {@code SHOAL_PUBLIC_ADDRESS} names another of this machine's addresses. */
    public static final String LOOPBACK = "127.0.0.1";

    public static final String S3_ACCESS_KEY = "shoal";

    public static StackSettings fromEnvironment(Map<String, String> env, RepoLayout layout) throws IOException {
        Path home = Path.of(env.getOrDefault("SHOAL_HOME", layout.root().resolve(".shoal").toString()))
                .toAbsolutePath().normalize();
        Files.createDirectories(home);
        var defaults = BackingServices.Endpoints.defaults();
        var backing = new BackingServices.Endpoints(
                port(env, "SHOAL_KAFKA_PORT", defaults.kafka()),
                port(env, "SHOAL_KAFKA_CONTROLLER_PORT", defaults.kafkaController()),
                port(env, "SHOAL_POSTGRES_PORT", defaults.postgres()),
                port(env, "SHOAL_S3_PORT", defaults.s3()));
        Map<ShoalService, Integer> httpPorts = new EnumMap<>(ShoalService.class);
        Map<ShoalService, Integer> managementPorts = new EnumMap<>(ShoalService.class);
        for (ShoalService service : ShoalService.values()) {
            httpPorts.put(service, port(env, portVariable(service), service.defaultHttpPort()));
            managementPorts.put(service, service.separateManagementPort()
                    ? port(env, managementPortVariable(service), service.defaultManagementPort())
                    : httpPorts.get(service));
        }
        Properties secrets = loadOrCreateSecrets(home.resolve("secrets.properties"));
        String token = env.getOrDefault("SHOAL_API_TOKEN", secrets.getProperty("api-token"));
        var credentials = new BackingServices.Credentials(S3_ACCESS_KEY,
                secrets.getProperty("s3-secret-key"), secrets.getProperty("postgres-password"));
        return new StackSettings(home, layout, backing, httpPorts, managementPorts, port(env, "SHOAL_PEER_PORT", 6881),
                port(env, "SHOAL_TRACKER_DHT_PORT", 6970),
                publicAddress(env.get("SHOAL_PUBLIC_ADDRESS")), token, secrets.getProperty("internal-api-token"), credentials);
    }

    /** The DHT nodes every service joins through and new .torrent files name: the tracker's, then the worker's. */
    public String dhtBootstrap() {
        String host = publicAddress.contains(":") ? "[" + publicAddress + "]" : publicAddress;
        return host + ":" + trackerDhtPort + "," + host + ":" + peerPort;
    }

    /** {@code SHOAL_PEER_GATEWAY_PORT}, {@code SHOAL_METADATA_PORT}, {@code SHOAL_TRACKER_PORT}, … */
    public static String portVariable(ShoalService service) {
        return ShoalService.environmentName("shoal." + service.module() + ".port");
    }

    /** {@code SHOAL_METADATA_MANAGEMENT_PORT}: for a service whose health and metrics have a port of their own. */
    public static String managementPortVariable(ShoalService service) {
        return ShoalService.environmentName("shoal." + service.module() + ".management-port");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a port (expected: 1-65535)");
        }
    }

    /**
     * {@code SHOAL_PUBLIC_ADDRESS}: an IP address literal, never a name (announce URLs and the seeders' advertised
     * address must not depend on a resolver), nor a wildcard or multicast address.
     */
    static String publicAddress(String value) {
        if (value == null || value.isBlank()) {
            return LOOPBACK;
        }
        String literal = value.trim();
        if (!literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("SHOAL_PUBLIC_ADDRESS=" + value + " is not an IP address (a name is not"
                    + " accepted: announce URLs and the seeders' advertised address must not depend on a resolver)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("SHOAL_PUBLIC_ADDRESS=" + value + " is not an IP address");
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IllegalArgumentException("SHOAL_PUBLIC_ADDRESS=" + value + " must be one address hosts can reach"
                    + " (not a wildcard or multicast address)");
        }
        return address.getHostAddress();
    }

    /**
     * Before a start: the public address must be one of this machine's, so a typo fails here rather than as a bind
     * error in a service's log. Not checked for a stop: the address may be gone by then (a lab torn down first).
     */
    public void requireLocalPublicAddress() {
        try {
            InetAddress address = InetAddress.getByName(publicAddress);
            if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
                throw new IllegalArgumentException("SHOAL_PUBLIC_ADDRESS=" + publicAddress + " is not an address of this"
                        + " machine (ip -brief address lists them)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list this machine's addresses: " + e.getMessage());
        }
    }

    /** Where a service's HTTP port listens: the public address for the gateway and the tracker, loopback otherwise. */
    public String httpHost(ShoalService service) {
        return service.publicHttp() ? publicAddress : LOOPBACK;
    }

    /** An address literal as a URL's host: IPv6 in brackets ({@code [::1]}). */
    static String urlHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** Generated once per work directory and kept there, readable by its owner only. */
    private static Properties loadOrCreateSecrets(Path file) throws IOException {
        Properties secrets = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                secrets.load(in);
            }
        }
        boolean changed = false;
        for (String name : new String[] {"api-token", "internal-api-token", "s3-secret-key", "postgres-password"}) {
            if (secrets.getProperty(name, "").isBlank()) {
                secrets.setProperty(name, randomSecret());
                changed = true;
            }
        }
        if (changed) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(tmp)) {
                secrets.store(out, "Shoal's local secrets; delete this file to make new ones");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return secrets;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A JVM option on every process this stack starts, naming its work directory. */
    public String javaMarker() {
        return "-Dshoal.home=" + home;
    }

    public String gatewayUrl() {
        return "http://" + urlHost(publicAddress) + ":" + httpPorts.get(ShoalService.PEER_GATEWAY);
    }

    public String announceUrl() {
        return "http://" + urlHost(publicAddress) + ":" + httpPorts.get(ShoalService.TRACKER) + "/announce";
    }
}
