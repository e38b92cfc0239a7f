package dev.sightline.store.postgres;

import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.CallRows;
import dev.sightline.store.Rollups;
import dev.sightline.store.ScoreRows;
import dev.sightline.store.SpanRows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes batches into the day-partitioned tables: the partitions a write needs are created first
 * (each in its own short transaction, so that a write never holds a lock on a parent table), then
 * every table's rows go in by binary COPY in the write's one transaction, and calls without a route
 * take their root span's name (whichever of the two arrived first).
 */
final class PgWriter {
  static final long DAY_NS = 86_400_000_000_000L;
  /** Bytes of a binary COPY stream without rows: its header and trailer. */
  private static final int EMPTY_COPY = 21;

  /** Partitions known to exist ("table:day"); creating one again is harmless, this only saves the DDL. */
  private final Set<String> partitions = ConcurrentHashMap.newKeySet();

  /** The rows of one write, encoded for COPY before any connection is used. */
  record Rows(byte[] spans, byte[] calls, byte[] logs, byte[] metrics, byte[] scores, Map<String, Set<Long>> days,
      Set<String> routeTraces) {}

  /** Encodes the batches as the write with sequence number {@code seq}; refuses a span without ids. */
  Rows encode(List<TelemetryBatch> batches, long seq) throws SQLException {
    Map<String, Set<Long>> days = new HashMap<>();
    Set<String> routeTraces = new LinkedHashSet<>();
    Map<String, String> rootsNow = new HashMap<>();
    for (TelemetryBatch b : batches) {
      for (Span span : b.spans()) {
        if (span.traceId() == null || span.traceId().isEmpty() || span.spanId() == null || span.spanId().isEmpty()) {
          throw new IllegalArgumentException("a span has no trace id or span id (name: " + span.name() + ")");
        }
        if (span.isRoot() && span.name() != null) {
          rootsNow.put(span.traceId(), span.name());
          routeTraces.add(span.traceId());
        }
      }
    }
    try {
      ByteArrayOutputStream spans = new ByteArrayOutputStream();
      ByteArrayOutputStream calls = new ByteArrayOutputStream();
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      ByteArrayOutputStream metrics = new ByteArrayOutputStream();
      ByteArrayOutputStream scores = new ByteArrayOutputStream();
      try (BinaryCopyWriter sw = new BinaryCopyWriter(spans); BinaryCopyWriter cw = new BinaryCopyWriter(calls);
          BinaryCopyWriter lw = new BinaryCopyWriter(logs); BinaryCopyWriter mw = new BinaryCopyWriter(metrics);
          BinaryCopyWriter scw = new BinaryCopyWriter(scores)) {
        CopyRows spanRows = new CopyRows(sw, PgSchema.SPAN_COLUMNS);
        CopyRows callRows = new CopyRows(cw, PgSchema.CALL_COLUMNS);
        CopyRows logRows = new CopyRows(lw, PgSchema.LOG_COLUMNS);
        CopyRows metricRows = new CopyRows(mw, PgSchema.METRIC_COLUMNS);
        CopyRows scoreRows = new CopyRows(scw, PgSchema.SCORE_COLUMNS);
        int pos = 0;
        for (TelemetryBatch b : batches) {
          SpanRows.SpanJson[] json = SpanRows.encode(b.spans());
          for (int i = 0; i < json.length; i++) {
            Span span = b.spans().get(i);
            SpanRows.appendSpan(spanRows, seq, span, json[i]);
            day(days, "spans", span.startEpochNanos());
            LlmCall call = span.llm();
            if (call != null) {
              String route = call.context() != null ? call.context().route() : null;
              if (route == null) {
                route = rootsNow.get(span.traceId());
                routeTraces.add(span.traceId()); // its root may be stored already
              }
              CallRows.append(callRows, seq, span, call, route, true);
              day(days, "llm_calls", CallRows.startOf(span, call));
            }
          }
          for (LogRecord r : b.logs()) {
            SpanRows.appendLog(logRows, seq, r);
            day(days, "logs", r.timeEpochNanos());
          }
          for (MetricPoint m : b.metrics()) {
            SpanRows.appendMetric(metricRows, seq, m, true);
            day(days, "metric_points", m.timeEpochNanos());
          }
          for (Score score : b.scores()) {
            if (ScoreRows.attachable(score)) { // a score without its call's ids judges nothing: left out
              ScoreRows.append(scoreRows, seq, pos++, score);
            }
          }
        }
      }
      return new Rows(spans.toByteArray(), calls.toByteArray(), logs.toByteArray(), metrics.toByteArray(), scores.toByteArray(), days,
          routeTraces);
    } catch (IOException e) {
      throw new SQLException("Could not encode the write: " + e.getMessage(), e);
    }
  }

  private static void day(Map<String, Set<Long>> days, String table, long ns) {
    days.computeIfAbsent(table, k -> new LinkedHashSet<>()).add(Math.floorDiv(ns, DAY_NS));
  }

  /** Creates the day partitions {@code rows} needs that are not known yet; {@code c} in autocommit. */
  void ensurePartitions(Connection c, Rows rows) throws SQLException {
    for (Map.Entry<String, Set<Long>> e : rows.days().entrySet()) {
      for (long day : e.getValue()) {
        String key = e.getKey() + ":" + day;
        if (partitions.contains(key)) {
          continue;
        }
        long lo = day * DAY_NS;
        String hi = lo > Long.MAX_VALUE - DAY_NS ? "MAXVALUE" : Long.toString(lo + DAY_NS);
        String sql = "CREATE TABLE IF NOT EXISTS " + partition(e.getKey(), day) + " PARTITION OF "
            + e.getKey() + " FOR VALUES FROM (" + lo + ") TO (" + hi + ")";
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        } catch (SQLException raced) {
          // another writer created it between our check and our DDL: the second try sees it
          try (Statement s = c.createStatement()) {
            s.execute(sql);
          }
        }
        partitions.add(key);
      }
    }
  }

  /** The name of {@code table}'s partition of epoch day {@code day}. */
  static String partition(String table, long day) {
    return table + "_d" + (day < 0 ? "m" + -day : day);
  }

  /** The epoch day of a partition named by {@link #partition}, or null for another name. */
  static Long dayOf(String table, String partition) {
    String prefix = table + "_d";
    if (!partition.startsWith(prefix)) {
      return null;
    }
    String day = partition.substring(prefix.length());
    boolean negative = day.startsWith("m");
    try {
      long d = Long.parseLong(negative ? day.substring(1) : day);
      return negative ? -d : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Forgets which partitions exist: another node's retention may have dropped some. */
  void forgetPartitions() {
    partitions.clear();
  }

  /** The root span name of each trace in the id array (the latest written root when several). */
  private static final String ROOTS = "(SELECT DISTINCT ON (trace_id) trace_id, name FROM spans"
      + " WHERE parent_span_id IS NULL AND name IS NOT NULL AND trace_id = ANY(?) ORDER BY trace_id, seq DESC, start_ns)";

  /**
   * COPYs the rows, fills routes and folds the write's calls into the hourly rollups, all in
   * {@code c}'s open transaction: the rollups always count exactly the committed calls, whichever
   * node wrote them (the rollup watermark stays at its maximum, see migration 6).
   */
  void write(Connection c, Rows rows, long seq) throws SQLException {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    copy(copy, "spans", rows.spans());
    copy(copy, "llm_calls", rows.calls());
    copy(copy, "logs", rows.logs());
    copy(copy, "metric_points", rows.metrics());
    copy(copy, "scores", rows.scores());
    List<String> routeless = routeless(c, rows.routeTraces());
    if (!routeless.isEmpty()) {
      java.sql.Array ids = c.createArrayOf("text", routeless.toArray());
      // calls of earlier writes that get their route now move from the no-route group to the route's
      String moved = "SELECT c.*, CASE WHEN sg.sign > 0 THEN f.name END AS r, sg.sign AS sign FROM llm_calls c"
          + " JOIN " + ROOTS + " AS f ON c.trace_id = f.trace_id CROSS JOIN (VALUES (-1), (1)) AS sg(sign)"
          + " WHERE c.route IS NULL AND c.trace_id = ANY(?) AND c.seq <> ?";
      String routeRows = "dim = " + Rollups.ROUTE_DIM;
      for (String sql : List.of(Rollups.insert(moved, routeRows), Rollups.histInsert(moved, routeRows))) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setArray(1, ids);
          ps.setArray(2, ids);
          ps.setLong(3, seq);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE llm_calls AS c SET route = r.name FROM " + ROOTS + " AS r"
          + " WHERE c.trace_id = r.trace_id AND c.route IS NULL AND c.trace_id = ANY(?)")) {
        ps.setArray(1, ids);
        ps.setArray(2, ids);
        ps.executeUpdate();
      }
    }
    if (rows.calls().length > EMPTY_COPY) {
      String fresh = "SELECT *, route AS r, 1 AS sign FROM llm_calls WHERE seq = ?";
      for (String sql : List.of(Rollups.insert(fresh, "true"), Rollups.histInsert(fresh, "true"))) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, seq);
          ps.executeUpdate();
        }
      }
    }
  }

  /**
   * Of {@code traces}, those with stored calls still without a route (their root may be known now):
   * usually none, found in the small partial index of such calls.
   */
  private static List<String> routeless(Connection c, Set<String> traces) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    if (traces.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT trace_id FROM llm_calls"
        + " WHERE route IS NULL AND trace_id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("text", traces.stream().map(PgText::encode).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Merges the rollups' partial rows (one set per write) back to one per hour and key; writers wait meanwhile. */
  static long compact(Connection c) throws SQLException {
    return Rollups.compact(c, "LOCK TABLE call_rollup, call_rollup_hist IN EXCLUSIVE MODE");
  }

  private static void copy(CopyManager copy, String table, byte[] rows) throws SQLException {
    if (rows.length <= EMPTY_COPY) {
      return;
    }
    try {
      copy.copyIn("COPY " + table + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(rows));
    } catch (IOException e) {
      throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
    }
  }

  /** The next write's sequence number. */
  static long nextSeq(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT nextval('write_seq')")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
