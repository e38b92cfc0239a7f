package dev.sightline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads alert rules (by id) and alert history (newest first) on reader connections. */
public final class AlertReader {
  private final StoreReads store;

  AlertReader(DuckDbStore store) {
    this(StoreReads.of(store));
  }

  /** A reader for any engine whose schema has DuckDB's {@code alert_rules} and {@code alert_events}. */
  public AlertReader(StoreReads store) {
    this.store = store;
  }

  public List<StoredRule> rules() {
    return store.read("alert rules", c -> {
      List<StoredRule> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, json, updated_ns FROM alert_rules ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredRule(rs.getString(1), rs.getString(2), Sql.instant(rs.getLong(3))));
        }
      }
      return out;
    });
  }

  public List<AlertRecord> history(AlertHistoryQuery q) {
    if (q == null) {
      throw new IllegalArgumentException("The alert history query is missing");
    }
    if (q.limit() < 1) {
      throw new IllegalArgumentException("The alert history limit must be 1 to " + AlertRows.MAX_LIMIT + ", got "
          + q.limit());
    }
    StringBuilder where = new StringBuilder("at_ns >= ? AND at_ns < ?");
    List<Object> params = new ArrayList<>();
    params.add(Sql.nanos(q.since(), Long.MIN_VALUE));
    params.add(Sql.nanos(q.until(), Long.MAX_VALUE));
    Sql.equal(where, params, "rule_id", q.ruleId());
    Sql.equal(where, params, "to_state", q.state());
    params.add(Math.min(q.limit(), AlertRows.MAX_LIMIT));
    String sql = "SELECT rule_id, grp, from_state, to_state, at_ns, value, message FROM alert_events WHERE " + where
        + " ORDER BY at_ns DESC, seq DESC LIMIT ?";
    return store.read("alert history", c -> {
      List<AlertRecord> out = new ArrayList<>();
      try (PreparedStatement ps = Sql.prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    });
  }

  private static AlertRecord read(ResultSet rs) throws SQLException {
    return new AlertRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        Sql.instant(rs.getLong(5)), rs.getBigDecimal(6), rs.getString(7));
  }
}
