package dev.sightline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * Writes alert rules and transitions on one connection in auto-commit mode (DuckDB: the store's
 * writer connection, under its write lock; PostgreSQL: a pooled connection per call). Each call is
 * one transaction, committed before it returns. Callers check their input with {@link AlertRows}.
 */
public final class AlertWriter {
  private final Connection c;
  /** Write order of transitions, the tie-break of equal times; loaded lazily from the table. */
  private long seq = -1;

  public AlertWriter(Connection c) {
    this.c = c;
  }

  public void saveRule(StoredRule rule) {
    inTx("save alert rule " + rule.id(), () -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_rules VALUES (?, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_ns = excluded.updated_ns")) {
        ps.setString(1, Text.clean(rule.id()));
        ps.setString(2, Text.clean(rule.json()));
        ps.setLong(3, Sql.nanos(rule.updatedAt(), 0));
        ps.executeUpdate();
      }
      return null;
    });
  }

  public boolean deleteRule(String id) {
    return inTx("delete alert rule " + id, () -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_rules WHERE id = ?")) {
        ps.setString(1, Text.clean(id));
        return ps.executeUpdate() > 0;
      }
    });
  }

  public void append(List<AlertRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long first = nextSeq();
    inTx("append " + records.size() + " alert records", () -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        long s = first;
        for (AlertRecord r : records) {
          ps.setLong(1, s++);
          ps.setString(2, Text.clean(r.ruleId()));
          string(ps, 3, r.group());
          string(ps, 4, r.from());
          ps.setString(5, Text.clean(r.to()));
          ps.setLong(6, Sql.nanos(r.at(), 0));
          if (r.value() == null) {
            ps.setNull(7, Types.DECIMAL);
          } else {
            ps.setBigDecimal(7, AlertRows.value(r.value()));
          }
          string(ps, 8, AlertRows.message(r.message()));
          ps.executeUpdate();
        }
      }
      return null;
    });
    seq = first + records.size();
  }

  private long nextSeq() {
    if (seq < 0) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) + 1 FROM alert_events")) {
        rs.next();
        seq = rs.getLong(1);
      } catch (SQLException e) {
        throw new StoreException("Could not read the alert history's last write: " + e.getMessage(), e);
      }
    }
    return seq;
  }

  private static void string(PreparedStatement ps, int i, String s) throws SQLException {
    if (s == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, Text.clean(s));
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T inTx(String what, Work<T> work) {
    try {
      Tx.begin(c);
      try {
        T result = work.run();
        Tx.commit(c);
        return result;
      } catch (SQLException | RuntimeException e) {
        Tx.rollbackAfter(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("Could not " + what + ": " + e.getMessage(), e);
    }
  }
}
