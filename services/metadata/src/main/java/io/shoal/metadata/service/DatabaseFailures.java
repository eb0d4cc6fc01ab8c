package io.shoal.metadata.service;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a database failure that will pass (the server away, a lost connection, a serialization failure or
 * deadlock, a unique index another transaction got to first) from one the statement itself caused (a value
 * PostgreSQL refuses), by SQLSTATE. Passing ones are tried again; the others refuse the upload.
 */
final class DatabaseFailures {

    private DatabaseFailures() {
    }

    static boolean passes(Throwable failure) {
        Optional<String> state = sqlState(failure);
        if (state.isEmpty()) {
            // No SQLSTATE: the pool could not get a connection, or the driver lost it mid-statement.
            return true;
        }
        String s = state.get();
        return s.startsWith("08")          // connection exception
                || s.startsWith("53")      // insufficient resources
                || s.startsWith("57")      // operator intervention: shutdown, cancelled, crash
                || s.startsWith("58")      // system error (I/O)
                || s.equals("40001")       // serialization failure
                || s.equals("40P01")       // deadlock
                || s.equals("23505");      // unique violation: another registration of the name won; decide again
    }

    private static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
