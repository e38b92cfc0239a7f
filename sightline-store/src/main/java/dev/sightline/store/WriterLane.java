package dev.sightline.store;

import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the writer's connections and the traces that hash to it: it appends its share of a
 * write in its own transaction, which the {@link BatchWriter} commits once every lane has
 * appended. All spans of a trace go to one lane, so its route bookkeeping (roots seen, calls still
 * without a route) is complete on its own and no two lanes ever update the same rows.
 */
final class WriterLane {
  private static final Logger LOG = LoggerFactory.getLogger(WriterLane.class);
  static final int ROUTE_CACHE_SIZE = 200_000;
  private static final String FILL_SOURCE = "(SELECT unnest(?::VARCHAR[]) AS trace_id, unnest(?::VARCHAR[]) AS route) f";

  /** What a lane appended, kept until its commit settles the route bookkeeping. */
  record Appended(Map<String, String> rootsNow, Map<String, Long> stillRouteless, long calls) {}

  private final DuckDBConnection connection;
  private final int schemaVersion;
  /** Root span names of recent traces, to give a route to calls that arrive after their root. */
  private final Map<String, String> recentRoots = lru(ROUTE_CACHE_SIZE);
  /** Traces with stored calls that still lack a route, with their earliest call start. */
  private final Map<String, Long> routeless = lru(ROUTE_CACHE_SIZE);

  WriterLane(DuckDBConnection connection, int schemaVersion) {
    this.connection = connection;
    this.schemaVersion = schemaVersion;
  }

  DuckDBConnection connection() {
    return connection;
  }

  /** A stored call of this lane's traces that still waits for its root span (from the last writer's state). */
  void stillRouteless(String traceId, long startNs) {
    routeless.merge(traceId, startNs, Math::min);
  }

  /**
   * Begins a transaction and appends the batches' records with sequence {@code s}; commit with
   * {@link #commit} or undo with {@link #rollback}. {@code watermark} is the rollups' (calls at or
   * below it are folded in already, so a late route moves them there too).
   */
  Appended append(List<TelemetryBatch> batches, List<SpanRows.SpanJson[]> encoded, long s, long watermark)
      throws SQLException {
    Map<String, String> rootsNow = new HashMap<>();
    for (TelemetryBatch b : batches) {
      for (Span span : b.spans()) {
        if (span.isRoot() && span.name() != null && span.traceId() != null) {
          rootsNow.put(span.traceId(), Text.clean(span.name()));
        }
      }
    }
    Map<String, Long> stillRouteless = new HashMap<>();
    long calls = 0;
    // explicit: DuckDB begins a JDBC manual-commit transaction lazily, and an Appender flush
    // outside a transaction commits on its own
    Tx.begin(connection);
    if (batches.stream().anyMatch(b -> !b.spans().isEmpty())) {
      try (DuckDBAppender spans = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spans");
          DuckDBAppender llm = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "llm_calls")) {
        for (int bi = 0; bi < batches.size(); bi++) {
          TelemetryBatch b = batches.get(bi);
          SpanRows.SpanJson[] json = encoded.get(bi);
          for (int si = 0; si < b.spans().size(); si++) {
            Span span = b.spans().get(si);
            if (span.traceId() == null || span.traceId().isEmpty() || span.spanId() == null
                || span.spanId().isEmpty()) {
              throw new IllegalArgumentException("a span has no trace id or span id (name: " + span.name() + ")");
            }
            SpanRows.appendSpan(spans, s, span, json[si]);
            LlmCall call = span.llm();
            if (call != null) {
              String route = call.context() != null ? call.context().route() : null;
              if (route == null) {
                route = rootsNow.get(span.traceId());
              }
              if (route == null) {
                route = recentRoots.get(span.traceId());
              }
              if (route == null) {
                stillRouteless.merge(span.traceId(), CallRows.startOf(span, call), Math::min);
              }
              CallRows.append(llm, s, span, call, route, schemaVersion >= 4);
              calls++;
            }
          }
        }
      }
    }
    if (schemaVersion >= 3) {
      Set<String> traces = new LinkedHashSet<>();
      for (TelemetryBatch b : batches) {
        for (Span span : b.spans()) {
          traces.add(span.traceId());
        }
      }
      if (!traces.isEmpty()) {
        try (DuckDBAppender index = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "trace_seq")) {
          for (String t : traces) {
            index.beginRow();
            index.append(t);
            index.append(s);
            index.endRow();
          }
        }
      }
    }
    if (batches.stream().anyMatch(b -> !b.logs().isEmpty())) {
      try (DuckDBAppender logs = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "logs")) {
        for (TelemetryBatch b : batches) {
          for (LogRecord r : b.logs()) {
            SpanRows.appendLog(logs, s, r);
          }
        }
      }
    }
    if (schemaVersion >= 5 && batches.stream().anyMatch(b -> !b.scores().isEmpty())) {
      appendScores(batches, s);
    }
    if (batches.stream().anyMatch(b -> !b.metrics().isEmpty())) {
      try (DuckDBAppender metrics = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "metric_points")) {
        for (TelemetryBatch b : batches) {
          for (MetricPoint m : b.metrics()) {
            SpanRows.appendMetric(metrics, s, m, schemaVersion >= 6);
          }
        }
      }
    }
    Map<String, String> fills = new LinkedHashMap<>();
    long fillFrom = Long.MAX_VALUE;
    for (Map.Entry<String, String> root : rootsNow.entrySet()) {
      Long since = routeless.get(root.getKey());
      if (since != null) {
        fills.put(root.getKey(), root.getValue());
        fillFrom = Math.min(fillFrom, since);
      }
    }
    if (!fills.isEmpty()) {
      fillRoutes(fills, fillFrom, watermark);
    }
    return new Appended(rootsNow, stillRouteless, calls);
  }

  /** Commits what {@link #append} wrote and settles the route bookkeeping. */
  void commit(Appended a) throws SQLException {
    Tx.commit(connection);
    routeless.keySet().removeAll(a.rootsNow().keySet());
    a.stillRouteless().forEach((trace, start) -> routeless.merge(trace, start, Math::min));
    recentRoots.putAll(a.rootsNow());
  }

  /** Undoes an appended (or failed) transaction, attaching any rollback error to {@code failure}. */
  void rollback(Throwable failure) {
    Tx.rollbackAfter(connection, failure);
  }

  /**
   * Appends the batches' scores. A score without a trace or span id judges no call: it is left out
   * (and logged) rather than failing the write, which carries other senders' spans too.
   */
  private void appendScores(List<TelemetryBatch> batches, long s) throws SQLException {
    int pos = 0;
    int skipped = 0;
    try (DuckDBAppender scores = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "scores")) {
      for (TelemetryBatch b : batches) {
        for (Score score : b.scores()) {
          if (ScoreRows.attachable(score)) {
            ScoreRows.append(scores, s, pos++, score);
          } else {
            skipped++;
          }
        }
      }
    }
    if (skipped > 0) {
      LOG.warn("Left out {} score(s) without a trace id or span id: a score must name the LLM call it judges",
          skipped);
    }
  }

  /**
   * Gives calls stored in earlier writes the route of their root span, which arrived now. Calls
   * already folded into the rollups move from the no-route group to the route's group there too.
   */
  private void fillRoutes(Map<String, String> fills, long fromStartNs, long watermark) throws SQLException {
    Array ids = connection.createArrayOf("VARCHAR", fills.keySet().toArray());
    Array routes = connection.createArrayOf("VARCHAR", fills.values().toArray());
    String moved = "SELECT c.*, CASE WHEN sg.sign > 0 THEN f.route END AS r, sg.sign AS sign"
        + " FROM llm_calls c JOIN " + FILL_SOURCE + " ON c.trace_id = f.trace_id"
        + " CROSS JOIN (VALUES (-1), (1)) sg(sign)"
        + " WHERE c.route IS NULL AND c.seq <= ? AND c.start_ns >= ?";
    String routeRows = "dim = " + Rollups.ROUTE_DIM;
    for (String sql : List.of(Rollups.insert(moved, routeRows), Rollups.histInsert(moved, routeRows))) {
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        ps.setArray(1, ids);
        ps.setArray(2, routes);
        ps.setLong(3, watermark);
        ps.setLong(4, fromStartNs);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = connection.prepareStatement("UPDATE llm_calls SET route = f.route FROM " + FILL_SOURCE
        + " WHERE llm_calls.trace_id = f.trace_id AND llm_calls.route IS NULL AND llm_calls.start_ns >= ?")) {
      ps.setArray(1, ids);
      ps.setArray(2, routes);
      ps.setLong(3, fromStartNs);
      ps.executeUpdate();
    }
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
