package dev.sightline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit DuckDB transactions. Connections stay in auto-commit mode and every unit of work is
 * bracketed by BEGIN / COMMIT: JDBC's manual-commit mode starts DuckDB's transaction only at the
 * next statement, so Appender rows flushed before it would commit on their own.
 */
final class Tx {
  private Tx() {}

  static void begin(Connection c) throws SQLException {
    exec(c, "BEGIN TRANSACTION");
  }

  static void commit(Connection c) throws SQLException {
    exec(c, "COMMIT");
  }

  /** Rolls back after {@code failure}, attaching any rollback error to it. */
  static void rollbackAfter(Connection c, Throwable failure) {
    try {
      exec(c, "ROLLBACK");
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
