package io.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholderSecretsTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100))
                .withInterceptors(new PlaceholderSecrets()).build();
    }

    @Test
    void example_values_are_refused_whatever_their_case_or_separators() {
        for (String value : new String[] {"change-me", "local-only-api-token-change-me", "CHANGE_ME_TOO", "changeme",
                "Change Me Please", "change-me-to-a-long-random-secret"}) {
            assertTrue(PlaceholderSecrets.isPlaceholder(value), value);
        }
    }

    @Test
    void generated_secrets_pass() {
        // hex and base64 secrets as openssl rand makes them; "changeme" cannot occur in hex
        for (String value : new String[] {"3f9a0c41d2e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0", "q2V8pL0mZ4rT1xW9yB6nK3sD",
                "test-token-for-the-gateway-tests"}) {
            assertFalse(PlaceholderSecrets.isPlaceholder(value), value);
        }
    }

    @Test
    void reading_a_placeholder_secret_fails_naming_the_variable_to_set() {
        SmallRyeConfig config = config(Map.of("shoal.gateway.api-token", "change-me-gateway-api-token",
                "quarkus.datasource.password", "change-me-postgres-password"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> config.getValue("shoal.gateway.api-token", String.class));
        assertTrue(e.getMessage().startsWith("SHOAL_GATEWAY_API_TOKEN (shoal.gateway.api-token) is still the placeholder"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> config.getValue("quarkus.datasource.password", String.class));
    }

    @Test
    void real_secrets_and_other_properties_are_untouched() {
        SmallRyeConfig config = config(Map.of("shoal.gateway.api-token", "3f9a0c41d2e8b7a6c5d4e3f2a1b0c9d8",
                "shoal.gateway.public-url", "http://change-me.example:8080"));
        assertEquals("3f9a0c41d2e8b7a6c5d4e3f2a1b0c9d8", config.getValue("shoal.gateway.api-token", String.class));
        assertEquals("http://change-me.example:8080", config.getValue("shoal.gateway.public-url", String.class));
    }
}
