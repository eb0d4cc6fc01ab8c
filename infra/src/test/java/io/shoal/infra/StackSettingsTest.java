package io.shoal.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTest {

    @TempDir
    Path home;

    private StackSettings settings(Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("SHOAL_HOME", home.toString());
        return StackSettings.fromEnvironment(all, new RepoLayout(Files.createTempDirectory(home, "repo")));
    }

    @Test
    void publicPortsListenOnLoopbackByDefault() throws IOException {
        StackSettings settings = settings(Map.of("SHOAL_PEER_GATEWAY_PORT", "18080", "SHOAL_TRACKER_PORT", "16969"));
        assertEquals("127.0.0.1", settings.publicAddress());
        assertEquals("http://127.0.0.1:18080", settings.gatewayUrl());
        assertEquals("http://127.0.0.1:16969/announce", settings.announceUrl());
        assertEquals("127.0.0.1", settings.httpHost(ShoalService.METADATA));
    }

    @Test
    void aPublicAddressMovesTheGatewayTheTrackerAndTheUrlsButNotTheInternalPorts() throws IOException {
        // ::1 is an address of every machine with IPv6 loopback; a non-loopback one needs an interface (the lab's).
        StackSettings settings = settings(Map.of("SHOAL_PUBLIC_ADDRESS", " 127.0.0.1 ", "SHOAL_TRACKER_PORT", "16969"));
        assertEquals("127.0.0.1", settings.httpHost(ShoalService.TRACKER));
        StackSettings v6 = settings(Map.of("SHOAL_PUBLIC_ADDRESS", "::1", "SHOAL_TRACKER_PORT", "16969",
                "SHOAL_PEER_GATEWAY_PORT", "18080"));
        assertEquals("0:0:0:0:0:0:0:1", v6.httpHost(ShoalService.PEER_GATEWAY));
        assertEquals("http://[0:0:0:0:0:0:0:1]:16969/announce", v6.announceUrl());
        assertEquals("http://[0:0:0:0:0:0:0:1]:18080", v6.gatewayUrl());
        assertEquals("127.0.0.1", v6.httpHost(ShoalService.SEEDER_WORKER));
        assertEquals("127.0.0.1", v6.httpHost(ShoalService.METADATA));
    }

    @Test
    void theTrackerTrustsTheSeederWorkersAddressOnly() throws IOException {
        Map<String, String> backing = Map.of("kafka.bootstrap.servers", "127.0.0.1:9092");
        assertEquals("127.0.0.1/32", LocalStack.serviceConfig(ShoalService.TRACKER, backing, settings(Map.of()))
                .get("shoal.tracker.trusted-cidrs"));
        assertEquals("0:0:0:0:0:0:0:1/128", LocalStack.serviceConfig(ShoalService.TRACKER, backing,
                settings(Map.of("SHOAL_PUBLIC_ADDRESS", "::1"))).get("shoal.tracker.trusted-cidrs"));
    }

    @Test
    void anAddressThisMachineDoesNotHaveIsRefusedBeforeAStartButNotForAStop() throws IOException {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface. A stop must still work when
        // the address went away first (a lab's bridge removed before ./shoal down).
        StackSettings settings = settings(Map.of("SHOAL_PUBLIC_ADDRESS", "192.0.2.7"));
        var e = assertThrows(IllegalArgumentException.class, settings::requireLocalPublicAddress);
        assertTrue(e.getMessage().contains("not an address of this machine"), e.getMessage());
        settings(Map.of("SHOAL_PUBLIC_ADDRESS", "127.0.0.1")).requireLocalPublicAddress();
    }

    @Test
    void namesWildcardsAndGarbageAreRefused() {
        for (String value : new String[] {"localhost", "0.0.0.0", "::", "224.0.0.1", "10.77.0.1; rm -rf /", "1.2.3.4.5"}) {
            assertThrows(IllegalArgumentException.class, () -> settings(Map.of("SHOAL_PUBLIC_ADDRESS", value)), value);
        }
    }
}
