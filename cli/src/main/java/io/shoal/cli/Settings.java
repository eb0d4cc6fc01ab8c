package io.shoal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the gateway is and the API token, each from the first that has it: the command's flags, the environment
 * ({@code SHOAL_GATEWAY_URL}, {@code SHOAL_API_TOKEN}), a config file ({@code --config}, {@code SHOAL_CLI_CONFIG},
 * else {@code $SHOAL_HOME/stack.properties}, which {@code ./shoal up} writes, else
 * {@code ~/.config/shoal/cli.properties}; keys {@code gateway.url} and {@code api.token}); the gateway defaults
 * to {@code http://127.0.0.1:8080}.
 */
record Settings(String gatewayUrl, Optional<String> token, Optional<Path> configFile) {

    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8080";

    static Settings resolve(String gatewayFlag, String tokenFlag, Path configFlag, Map<String, String> env, Path home)
            throws CliException {
        Optional<Path> file = configFile(configFlag, env, home);
        Properties config = new Properties();
        if (file.isPresent()) {
            try (InputStream in = Files.newInputStream(file.get())) {
                config.load(in);
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "cannot read " + file.get() + ": " + e.getMessage(), e);
            }
        }
        String gateway = first(gatewayFlag, env.get("SHOAL_GATEWAY_URL"), config.getProperty("gateway.url"), DEFAULT_GATEWAY);
        String token = first(tokenFlag, env.get("SHOAL_API_TOKEN"), config.getProperty("api.token"), null);
        if (!gateway.startsWith("http://") && !gateway.startsWith("https://")) {
            throw new CliException(CliException.USAGE, "gateway URL '" + gateway + "' (expected: http:// or https://)");
        }
        return new Settings(gateway.replaceAll("/+$", ""), Optional.ofNullable(token).filter(t -> !t.isBlank()), file);
    }

    /** The token, or a usage error saying where one would come from. */
    String requireToken() throws CliException {
        return token.orElseThrow(() -> new CliException(CliException.USAGE, "no API token: give --token, set SHOAL_API_TOKEN, or "
                + "api.token in " + configFile.map(Path::toString).orElse("a config file (--config)")));
    }

    private static Optional<Path> configFile(Path flag, Map<String, String> env, Path home) throws CliException {
        if (flag != null || env.containsKey("SHOAL_CLI_CONFIG")) {
            Path named = flag != null ? flag : Path.of(env.get("SHOAL_CLI_CONFIG"));
            if (!Files.isReadable(named)) {
                throw new CliException(CliException.USAGE, "config file " + named + " does not exist or cannot be read");
            }
            return Optional.of(named);
        }
        List<Path> defaults = new ArrayList<>();
        if (env.containsKey("SHOAL_HOME")) {
            defaults.add(Path.of(env.get("SHOAL_HOME"), "stack.properties"));
        }
        defaults.add(home.resolve(".config/shoal/cli.properties"));
        return defaults.stream().filter(Files::isReadable).findFirst();
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
