package dev.sightline.store;

import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DuckDB store's one writer: appends batches in one transaction per write, gives late calls
 * the route of their root span, and folds calls into the hourly rollups. Single-threaded: the
 * store calls it under its write lock (only {@link #prepare} runs on callers' threads).
 */
final class BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  private static final int ROUTE_CACHE_SIZE = 200_000;
  private static final String FILL_SOURCE = "(SELECT unnest(?::VARCHAR[]) AS trace_id, unnest(?::VARCHAR[]) AS route) f";

  private final DuckDBConnection writer;
  private final DuckDbStore.Tuning tuning;
  /** Batches encoded by {@link #prepare}, waiting for their write; identity keys (records hash by value). */
  private final Map<TelemetryBatch, SpanRows.SpanJson[]> prepared =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private long seq;
  private long watermark;
  private long unrolled;
  private long rollupRowsAfterCompaction;
  private boolean upkeepDeferred;
  /** Root span names of recent traces, to give a route to calls that arrive after their root. */
  private final Map<String, String> recentRoots = lru(ROUTE_CACHE_SIZE);
  /** Traces with stored calls that still lack a route, with their earliest call start. */
  private final Map<String, Long> routeless = lru(ROUTE_CACHE_SIZE);

  BatchWriter(DuckDBConnection writer, DuckDbStore.Tuning tuning) {
    this.writer = writer;
    this.tuning = tuning;
  }

  /** Reads where the last writer left off (sequence, rollup watermark, calls still without a route). */
  void loadState() throws SQLException {
    try (Statement s = writer.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT greatest((SELECT coalesce(max(seq), 0) FROM spans),"
          + " (SELECT coalesce(max(seq), 0) FROM llm_calls), (SELECT coalesce(max(seq), 0) FROM logs),"
          + " (SELECT coalesce(max(seq), 0) FROM metric_points)"
          + (tuning.schemaVersion() >= 5 ? ", (SELECT coalesce(max(seq), 0) FROM scores)" : "") + "),"
          + " (SELECT watermark_seq FROM rollup_state), (SELECT count(*) FROM call_rollup_hist)")) {
        rs.next();
        watermark = rs.getLong(2);
        // never below the watermark: when retention has deleted every row, a seq restarting at 1
        // would put new calls under the watermark, where the summary takes them as already rolled up
        seq = Math.max(rs.getLong(1), watermark);
        rollupRowsAfterCompaction = rs.getLong(3);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM llm_calls WHERE seq > " + watermark)) {
        rs.next();
        unrolled = rs.getLong(1);
      }
      // calls of the last day that still wait for their root span
      try (ResultSet rs = s.executeQuery("SELECT trace_id, min(start_ns) FROM llm_calls WHERE route IS NULL"
          + " AND start_ns >= (SELECT max(start_ns) FROM llm_calls) - 86400000000000 GROUP BY trace_id"
          + " ORDER BY min(start_ns) LIMIT " + ROUTE_CACHE_SIZE)) {
        while (rs.next()) {
          routeless.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    if (unrolled >= tuning.rollEvery()) {
      roll();
    }
  }

  /**
   * Encodes the batch's JSON columns now, on the caller's thread, so that {@link #write} (which
   * runs on the single writer thread) only appends. Optional: write encodes what was not prepared.
   */
  void prepare(TelemetryBatch batch) {
    if (!batch.spans().isEmpty()) {
      prepared.put(batch, SpanRows.encode(batch.spans()));
    }
  }

  /** The batches' encoded span columns: prepared ones taken back, the rest encoded now. */
  List<SpanRows.SpanJson[]> encode(List<TelemetryBatch> batches) {
    List<SpanRows.SpanJson[]> encoded = new ArrayList<>(batches.size());
    for (TelemetryBatch b : batches) {
      SpanRows.SpanJson[] e = prepared.remove(b);
      encoded.add(e != null && e.length == b.spans().size() ? e : SpanRows.encode(b.spans()));
    }
    return encoded;
  }

  /** Writes the batches (with their {@link #encode}d span columns) in one transaction. */
  void write(List<TelemetryBatch> batches, List<SpanRows.SpanJson[]> encoded) {
    long s = seq + 1;
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
    try {
      // explicit: DuckDB begins a JDBC manual-commit transaction lazily, and an Appender flush
      // outside a transaction commits on its own
      Tx.begin(writer);
      try (DuckDBAppender spans = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spans");
          DuckDBAppender llm = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "llm_calls")) {
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
              CallRows.append(llm, s, span, call, route, tuning.schemaVersion() >= 4);
              calls++;
            }
          }
        }
      }
      if (tuning.schemaVersion() >= 3) {
        Set<String> traces = new LinkedHashSet<>();
        for (TelemetryBatch b : batches) {
          for (Span span : b.spans()) {
            traces.add(span.traceId());
          }
        }
        if (!traces.isEmpty()) {
          try (DuckDBAppender index = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "trace_seq")) {
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
        try (DuckDBAppender logs = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "logs")) {
          for (TelemetryBatch b : batches) {
            for (LogRecord r : b.logs()) {
              SpanRows.appendLog(logs, s, r);
            }
          }
        }
      }
      if (tuning.schemaVersion() >= 5 && batches.stream().anyMatch(b -> !b.scores().isEmpty())) {
        appendScores(batches, s);
      }
      if (batches.stream().anyMatch(b -> !b.metrics().isEmpty())) {
        try (DuckDBAppender metrics = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "metric_points")) {
          for (TelemetryBatch b : batches) {
            for (MetricPoint m : b.metrics()) {
              SpanRows.appendMetric(metrics, s, m, tuning.schemaVersion() >= 6);
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
        fillRoutes(fills, fillFrom);
      }
      Tx.commit(writer);
    } catch (SQLException | RuntimeException e) {
      Tx.rollbackAfter(writer, e);
      throw new StoreException("Write of " + batches.size() + " batch(es) failed and was rolled back: "
          + e.getMessage(), e);
    }
    seq = s;
    unrolled += calls;
    routeless.keySet().removeAll(rootsNow.keySet());
    stillRouteless.forEach((trace, start) -> routeless.merge(trace, start, Math::min));
    recentRoots.putAll(rootsNow);
    if (!upkeepDeferred) {
      rollIfDue();
    }
  }

  /**
   * From now on {@link #write} leaves the rollups to {@link #rollIfDue}, which the store's
   * maintainer calls after acknowledging the writes.
   */
  void deferUpkeep() {
    upkeepDeferred = true;
  }

  long watermark() {
    return watermark;
  }

  /** Folds the calls written since the last roll into the rollups once enough are waiting. */
  void rollIfDue() {
    if (unrolled < tuning.rollEvery()) {
      return;
    }
    try {
      roll();
    } catch (SQLException | RuntimeException e) {
      // the writes are committed; the summary keeps reading these calls raw until a roll succeeds
      LOG.warn("Could not fold LLM calls into the summary rollups (will retry): {}", e.getMessage());
    }
  }

  /**
   * Appends the batches' scores. A score without a trace or span id judges no call: it is left out
   * (and logged) rather than failing the write, which carries other senders' spans too.
   */
  private void appendScores(List<TelemetryBatch> batches, long s) throws SQLException {
    int pos = 0;
    int skipped = 0;
    try (DuckDBAppender scores = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "scores")) {
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
  private void fillRoutes(Map<String, String> fills, long fromStartNs) throws SQLException {
    Array ids = writer.createArrayOf("VARCHAR", fills.keySet().toArray());
    Array routes = writer.createArrayOf("VARCHAR", fills.values().toArray());
    String moved = "SELECT c.*, CASE WHEN sg.sign > 0 THEN f.route END AS r, sg.sign AS sign"
        + " FROM llm_calls c JOIN " + FILL_SOURCE + " ON c.trace_id = f.trace_id"
        + " CROSS JOIN (VALUES (-1), (1)) sg(sign)"
        + " WHERE c.route IS NULL AND c.seq <= ? AND c.start_ns >= ?";
    String routeRows = "dim = " + Rollups.ROUTE_DIM;
    for (String sql : List.of(Rollups.insert(moved, routeRows), Rollups.histInsert(moved, routeRows))) {
      try (PreparedStatement ps = writer.prepareStatement(sql)) {
        ps.setArray(1, ids);
        ps.setArray(2, routes);
        ps.setLong(3, watermark);
        ps.setLong(4, fromStartNs);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = writer.prepareStatement("UPDATE llm_calls SET route = f.route FROM " + FILL_SOURCE
        + " WHERE llm_calls.trace_id = f.trace_id AND llm_calls.route IS NULL AND llm_calls.start_ns >= ?")) {
      ps.setArray(1, ids);
      ps.setArray(2, routes);
      ps.setLong(3, fromStartNs);
      ps.executeUpdate();
    }
  }

  /** Folds the calls written since the last roll into the hourly rollups, in one transaction. */
  private void roll() throws SQLException {
    long upTo = seq;
    Tx.begin(writer);
    try {
      Rollups.fold(writer, watermark, upTo);
      Tx.commit(writer);
    } catch (SQLException | RuntimeException e) {
      Tx.rollbackAfter(writer, e);
      throw e;
    }
    watermark = upTo;
    unrolled = 0;
    if (Rollups.histogramRows(writer) > 2 * rollupRowsAfterCompaction + tuning.compactionSlack()) {
      rollupRowsAfterCompaction = Rollups.compact(writer);
    }
  }

  /** Re-prices stored calls (see {@link Repricing}); calls above the rollup watermark are left to the next roll. */
  RepriceResult reprice(RepriceRequest request, UnaryOperator<LlmCall> pricer) {
    try {
      return Repricing.run(writer, watermark, request, pricer);
    } catch (SQLException e) {
      throw new StoreException("Re-pricing failed; the chunks committed before stay re-priced, run it again to"
          + " finish: " + e.getMessage(), e);
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
