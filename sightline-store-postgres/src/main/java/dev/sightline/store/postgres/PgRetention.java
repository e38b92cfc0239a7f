package dev.sightline.store.postgres;

import dev.sightline.store.ContentAttributes;
import dev.sightline.store.Retention;
import dev.sightline.store.RetentionResult;
import dev.sightline.store.StoreDiskUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention and disk usage on PostgreSQL, with the DuckDB engine's rules (cutoffs floored to the
 * hour; content cleared with {@link Retention#cleared}, rows marked so a second pass finds nothing).
 * Each step is its own transaction: PostgreSQL's row locks let ingest go on meanwhile, so the
 * steps are not cut into chunks, except the content rewrite of spans and logs (done in Java).
 */
final class PgRetention {
  private PgRetention() {}

  /** A step in one transaction on a pooled connection. */
  @FunctionalInterface
  interface Tx {
    <T> T run(String what, Step<T> step);
  }

  @FunctionalInterface
  interface Step<T> {
    T run(Connection c) throws SQLException;
  }

  private static final int CONTENT_CHUNK = 2_000;
  private static final Map<String, String> DATED = Map.of("spans", "start_ns", "llm_calls", "start_ns", "logs",
      "time_ns", "metric_points", "time_ns", "scores", "time_ns");
  private static final List<String> PARTITIONED = List.of("spans", "llm_calls", "logs", "metric_points");
  private static final List<String> DATED_ORDER = List.of("spans", "llm_calls", "logs", "metric_points", "scores");
  private static final List<String> TABLES = List.of("spans", "llm_calls", "logs", "metric_points", "scores",
      "call_rollup", "call_rollup_hist", "alert_rules", "alert_events");

  static RetentionResult apply(Tx tx, Instant dataBefore, Instant contentBefore) {
    Instant data = Retention.floorHour(dataBefore);
    Instant content = Retention.floorHour(contentBefore);
    Map<String, Long> deleted = new LinkedHashMap<>();
    Map<String, Long> cleared = new LinkedHashMap<>();
    if (data != null) {
      long cut = nanos(data);
      deleted.put("call_rollup", tx.run("retention of call rollups", c -> update(c,
          "DELETE FROM call_rollup WHERE hour_ns < ?", cut)));
      deleted.put("call_rollup_hist", tx.run("retention of call rollups", c -> update(c,
          "DELETE FROM call_rollup_hist WHERE hour_ns < ?", cut)));
      for (String table : DATED_ORDER) {
        long dropped = PARTITIONED.contains(table) ? tx.run("retention of " + table + " partitions",
            c -> dropPartitions(c, table, cut)) : 0;
        deleted.put(table, dropped + tx.run("retention of " + table, c -> update(c,
            "DELETE FROM " + table + " WHERE " + DATED.get(table) + " < ?", cut)));
      }
    }
    if (content != null) {
      long cut = nanos(content);
      cleared.put("llm_calls", tx.run("retention of LLM call content", c -> update(c, "UPDATE llm_calls SET"
          + " content_input = NULL, content_output = NULL, content_system = NULL, content_tools = NULL"
          + " WHERE start_ns < ? AND (content_input IS NOT NULL OR content_output IS NOT NULL"
          + " OR content_system IS NOT NULL OR content_tools IS NOT NULL)", cut)));
      cleared.put("spans", clearRows(tx, true, cut));
      cleared.put("logs", clearRows(tx, false, cut));
    }
    deleted.values().removeIf(n -> n == 0);
    cleared.values().removeIf(n -> n == 0);
    return new RetentionResult(data, content, deleted, cleared, false);
  }

  /**
   * Drops the day partitions of {@code table} that end at or before {@code cut} (cheaper than
   * deleting their rows, and their space goes back at once); returns the rows they held.
   */
  private static long dropPartitions(Connection c, String table, long cut) throws SQLException {
    List<String> expired = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT c.relname FROM pg_inherits i JOIN pg_class c"
        + " ON c.oid = i.inhrelid WHERE i.inhparent = ?::regclass")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long day = PgWriter.dayOf(table, rs.getString(1));
          if (day != null && day < Long.MAX_VALUE / PgWriter.DAY_NS && (day + 1) * PgWriter.DAY_NS <= cut) {
            expired.add(rs.getString(1));
          }
        }
      }
    }
    long rows = 0;
    try (Statement s = c.createStatement()) {
      for (String partition : expired) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + partition)) {
          rs.next();
          rows += rs.getLong(1);
        }
        s.execute("DROP TABLE " + partition);
      }
    }
    return rows;
  }

  /** Clears content from spans' attributes and events (or logs' attributes and GenAI bodies), chunk by chunk. */
  private static long clearRows(Tx tx, boolean spans, long cut) {
    String select = spans
        ? "SELECT tableoid::bigint, ctid::text, attributes, events FROM spans WHERE start_ns < ?"
            + " AND NOT contains(coalesce(attributes, ''), ?) AND (attributes ~ ? OR events ~ ? OR events ~ ?)"
        : "SELECT tableoid::bigint, ctid::text, attributes, event_name FROM logs WHERE time_ns < ?"
            + " AND NOT contains(coalesce(attributes, ''), ?) AND (attributes ~ ? OR starts_with(event_name, 'gen_ai.'))";
    String update = spans
        ? "UPDATE spans SET attributes = ?, events = ? WHERE tableoid = ?::bigint::oid AND ctid = ?::tid"
        : "UPDATE logs SET attributes = ?, body = CASE WHEN ? THEN NULL ELSE body END"
            + " WHERE tableoid = ?::bigint::oid AND ctid = ?::tid";
    long total = 0;
    while (true) {
      long n = tx.run("retention of " + (spans ? "span" : "log") + " content", c -> {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select + " LIMIT " + CONTENT_CHUNK + " FOR UPDATE")) {
          ps.setLong(1, cut);
          ps.setString(2, ContentAttributes.MARKER_JSON);
          ps.setString(3, ContentAttributes.KEY_IN_JSON);
          if (spans) {
            ps.setString(4, ContentAttributes.KEY_IN_JSON);
            ps.setString(5, ContentAttributes.GENAI_EVENT_IN_JSON);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Object[] cleared = Retention.cleared(spans, rs.getString(3), rs.getString(4));
              rows.add(new Object[] {rs.getLong(1), rs.getString(2), cleared[0], spans ? cleared[1] : cleared[2]});
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(update)) {
          for (Object[] r : rows) {
            ps.setString(1, (String) r[2]);
            if (spans) {
              ps.setString(2, (String) r[3]);
            } else {
              ps.setBoolean(2, (Boolean) r[3]);
            }
            ps.setLong(3, (Long) r[0]);
            ps.setString(4, (String) r[1]);
            ps.addBatch();
          }
          if (!rows.isEmpty()) {
            ps.executeBatch();
          }
        }
        return (long) rows.size();
      });
      total += n;
      if (n < CONTENT_CHUNK) {
        return total;
      }
    }
  }

  /** The database's size and, per table, its rows and bytes (all partitions, indexes and TOAST included). */
  static StoreDiskUsage diskUsage(Connection c) throws SQLException {
    long blockSize;
    long databaseBytes;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('block_size')::bigint, pg_database_size(current_database())")) {
      rs.next();
      blockSize = rs.getLong(1);
      databaseBytes = rs.getLong(2);
    }
    List<StoreDiskUsage.TableUsage> tables = new ArrayList<>();
    for (String table : TABLES) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + table
          + "), (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('" + table + "'))")) {
        rs.next();
        tables.add(new StoreDiskUsage.TableUsage(table, rs.getLong(1), rs.getLong(2)));
      }
    }
    return new StoreDiskUsage(databaseBytes, 0, blockSize, databaseBytes / blockSize, 0, tables);
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static long update(Connection c, String sql, long cut) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, cut);
      return ps.executeUpdate();
    }
  }
}
