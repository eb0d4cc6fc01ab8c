package io.shoal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void flagsBeforeTheEnvironmentBeforeTheStackShoalUpWrote() throws Exception {
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(stack.resolve("stack.properties"), "gateway.url=http\\://10.0.0.1\\:8080\napi.token=from-file-token-123\n");
        Map<String, String> env = Map.of("SHOAL_HOME", stack.toString());
        Settings fromFile = Settings.resolve(null, null, null, env, dir);
        assertEquals("http://10.0.0.1:8080", fromFile.gatewayUrl());
        assertEquals(Optional.of("from-file-token-123"), fromFile.token());
        Settings fromEnv = Settings.resolve(null, null, null, Map.of("SHOAL_HOME", stack.toString(),
                "SHOAL_GATEWAY_URL", "http://10.0.0.2:8080/", "SHOAL_API_TOKEN", "env-token-1234567"), dir);
        assertEquals("http://10.0.0.2:8080", fromEnv.gatewayUrl());
        assertEquals(Optional.of("env-token-1234567"), fromEnv.token());
        Settings fromFlags = Settings.resolve("https://shoal.example", "flag-token-12345678", null, env, dir);
        assertEquals("https://shoal.example", fromFlags.gatewayUrl());
        assertEquals("flag-token-12345678", fromFlags.requireToken());
    }

    @Test
    void theUserConfigFileThenTheDefaultGatewayAndNoToken() throws Exception {
        Settings bare = Settings.resolve(null, null, null, Map.of(), dir);
        assertEquals("http://127.0.0.1:8080", bare.gatewayUrl());
        CliException noToken = assertThrows(CliException.class, bare::requireToken);
        assertEquals(CliException.USAGE, noToken.exitCode());
        Files.createDirectories(dir.resolve(".config/shoal"));
        Files.writeString(dir.resolve(".config/shoal/cli.properties"), "gateway.url=http://gw:8080\n");
        assertEquals("http://gw:8080", Settings.resolve(null, null, null, Map.of(), dir).gatewayUrl());
    }

    @Test
    void aNamedConfigFileMustExistAndTheGatewayMustBeHttp() {
        CliException missing = assertThrows(CliException.class,
                () -> Settings.resolve(null, null, dir.resolve("none.properties"), Map.of(), dir));
        assertEquals(CliException.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().contains("none.properties"), missing.getMessage());
        assertThrows(CliException.class, () -> Settings.resolve("ftp://x", null, null, Map.of(), dir));
    }
}
