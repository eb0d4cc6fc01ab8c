package io.shoal.metadata.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    private static PersistenceException failed(String state) {
        return new PersistenceException("wrapped", new RuntimeException(new SQLException("reason", state)));
    }

    @Test
    void an_outage_passes_and_is_tried_again() {
        for (String state : new String[] {"08001", "08006", "57P01", "53300", "40001", "40P01", "23505"}) {
            assertTrue(DatabaseFailures.passes(failed(state)), state);
        }
        assertTrue(DatabaseFailures.passes(new PersistenceException("no connection available")), "no SQLSTATE: the pool");
    }

    @Test
    void a_value_postgresql_refuses_does_not_pass() {
        for (String state : new String[] {"22021", "22001", "23514", "23502", "42601"}) {
            assertFalse(DatabaseFailures.passes(failed(state)), state);
        }
    }
}
