package io.shoal.platform;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a secret left at a value from the repository's example files: every example secret (.env, the
 * overlays' *.env, the base's generated Secrets) contains {@value #MARKER}, and a test keeps it so. A service
 * started with one would be open to anyone who read the repository. The check sits in the configuration
 * itself, so the first read of such a secret fails, before anything connects anywhere with it, and the
 * message names the variable to set.
 */
@Priority(100)
public class PlaceholderSecrets implements ConfigSourceInterceptor {

    /** What every example secret in the repository contains. */
    public static final String MARKER = "change-me";

    /** The secrets a Shoal service may read; each service has some of them. */
    static final Set<String> SECRETS = Set.of(
            "shoal.gateway.api-token",
            "shoal.object-store.secret-key",
            "quarkus.datasource.password",
            "shoal.tracker.udp.connection-secret",
            "shoal.metadata.internal-api-token",
            "shoal.gateway.metadata-token");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null && value.getValue() != null && SECRETS.contains(name) && isPlaceholder(value.getValue())) {
            throw new IllegalStateException(environmentName(name) + " (" + name + ") is still the placeholder from the "
                    + "repository's example files; set a secret of your own (./shoal secrets FILE, or openssl rand -hex 24)");
        }
        return value;
    }

    /** A value copied from an example file: it contains the marker, whatever the case or separator. */
    public static boolean isPlaceholder(String value) {
        String letters = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return letters.contains(MARKER.replace("-", ""));
    }

    /** Quarkus's environment form of a property name: {@code a.b-c} is {@code A_B_C}. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
