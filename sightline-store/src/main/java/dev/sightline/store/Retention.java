package dev.sightline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Retention on DuckDB: deletes rows older than the data cutoff and clears captured content older
 * than the content cutoff, in small committed chunks so that ingest waits for one chunk at most.
 * Cutoffs are floored to the hour: the hourly rollups of a kept hour then count exactly the calls
 * that are kept, and a deleted hour's rollup rows go with its calls.
 */
public final class Retention {
  /** A unit of work in one transaction under the store's write lock. */
  @FunctionalInterface
  interface Locked {
    <T> T run(String what, Sql.Read<T> unit);
  }

  static final int DELETE_CHUNK = 50_000;
  static final int CONTENT_CHUNK = 2_000;

  /** Tables of timed rows and the column that dates them; llm_calls' rollups follow its hours. */
  private static final Map<String, String> DATED = datedTables();

  private static Map<String, String> datedTables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spans", "start_ns");
    m.put("llm_calls", "start_ns");
    m.put("logs", "time_ns");
    m.put("metric_points", "time_ns");
    m.put("scores", "time_ns");
    return m;
  }

  private static final String CALL_CONTENT = "content_input IS NOT NULL OR content_output IS NOT NULL"
      + " OR content_system IS NOT NULL OR content_tools IS NOT NULL";

  private final Locked locked;
  private final int schemaVersion;

  Retention(Locked locked, int schemaVersion) {
    this.locked = locked;
    this.schemaVersion = schemaVersion;
  }

  /** The hour at or before {@code t}: what a cutoff is applied as. */
  public static Instant floorHour(Instant t) {
    return t == null ? null : Sql.instant(CallRows.hourOf(Sql.nanos(t, 0)));
  }

  RetentionResult apply(Instant dataBefore, Instant contentBefore) {
    Instant data = floorHour(dataBefore);
    Instant content = floorHour(contentBefore);
    Map<String, Long> deleted = new LinkedHashMap<>();
    Map<String, Long> cleared = new LinkedHashMap<>();
    if (data != null) {
      deleteData(Sql.nanos(data, 0), deleted);
    }
    if (content != null) {
      clearContent(Sql.nanos(content, 0), cleared);
    }
    deleted.values().removeIf(n -> n == 0);
    cleared.values().removeIf(n -> n == 0);
    return new RetentionResult(data, content, deleted, cleared, false);
  }

  private void deleteData(long cut, Map<String, Long> deleted) {
    if (schemaVersion >= 2) {
      // the rollups first: a summary over those hours then reads the calls still there raw, never
      // counting a call twice; the calls go in the chunks below
      deleted.put("call_rollup", locked.run("retention of call rollups", c -> update(c,
          "DELETE FROM call_rollup WHERE hour_ns < ?", cut)));
      deleted.put("call_rollup_hist", locked.run("retention of call rollups", c -> update(c,
          "DELETE FROM call_rollup_hist WHERE hour_ns < ?", cut)));
    }
    for (Map.Entry<String, String> t : DATED.entrySet()) {
      if (t.getKey().equals("scores") && schemaVersion < 5) {
        continue;
      }
      String sql = "DELETE FROM " + t.getKey() + " WHERE rowid IN (SELECT rowid FROM " + t.getKey() + " WHERE "
          + t.getValue() + " < ? LIMIT " + DELETE_CHUNK + ")";
      long total = 0;
      long n;
      do {
        n = locked.run("retention of " + t.getKey(), c -> update(c, sql, cut));
        total += n;
      } while (n > 0);
      deleted.put(t.getKey(), total);
    }
    if (schemaVersion >= 3 && deleted.getOrDefault("spans", 0L) > 0) {
      // index entries of writes whose spans of that trace are all gone
      deleted.put("trace_seq", locked.run("retention of the trace index", c -> update(c,
          "DELETE FROM trace_seq t WHERE NOT EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id"
              + " AND s.seq = t.seq)")));
    }
  }

  private void clearContent(long cut, Map<String, Long> cleared) {
    String calls = "UPDATE llm_calls SET content_input = NULL, content_output = NULL, content_system = NULL,"
        + " content_tools = NULL WHERE rowid IN (SELECT rowid FROM llm_calls WHERE start_ns < ? AND (" + CALL_CONTENT
        + ") LIMIT " + CONTENT_CHUNK + ")";
    long total = 0;
    long n;
    do {
      n = locked.run("retention of LLM call content", c -> update(c, calls, cut));
      total += n;
    } while (n > 0);
    cleared.put("llm_calls", total);
    cleared.put("spans", clearRows("spans", "start_ns", "events", cut));
    cleared.put("logs", clearRows("logs", "time_ns", "event_name", cut));
  }

  /**
   * Clears content from a span's attributes and events, or a log's attributes and (for GenAI events)
   * body, and marks the row; marked rows are not read again, so a second pass finds nothing.
   */
  private long clearRows(String table, String timeColumn, String third, long cut) {
    boolean spans = table.equals("spans");
    String select = "SELECT rowid, attributes, " + third + (spans ? "" : ", body") + " FROM " + table
        + " WHERE " + timeColumn + " < ? AND NOT contains(coalesce(attributes, ''), '" + ContentAttributes.MARKER_JSON
        + "') AND (regexp_matches(attributes, ?) OR "
        + (spans ? "regexp_matches(events, ?) OR regexp_matches(events, ?)" : "starts_with(event_name, 'gen_ai.')")
        + ") LIMIT " + CONTENT_CHUNK;
    List<Object> params = spans
        ? List.of(cut, ContentAttributes.KEY_IN_JSON, ContentAttributes.KEY_IN_JSON, ContentAttributes.GENAI_EVENT_IN_JSON)
        : List.of(cut, ContentAttributes.KEY_IN_JSON);
    long total = 0;
    while (true) {
      long n = locked.run("retention of " + table + " content", c -> {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, select, params)) {
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Object[] cleared = cleared(spans, rs.getString(2), rs.getString(3));
              rows.add(new Object[] {rs.getLong(1), cleared[0], cleared[1], cleared[2]});
            }
          }
        }
        if (!rows.isEmpty()) {
          rewrite(c, table, spans, rows);
        }
        return (long) rows.size();
      });
      total += n;
      if (n < CONTENT_CHUNK) {
        return total;
      }
    }
  }

  /**
   * A span's or log record's columns with their content cleared and the content marker set, from its
   * stored attributes JSON and its events JSON (span) or event name (log): {attributes JSON, events
   * JSON (spans; null for logs), whether the log's body goes (a GenAI event's, as a span event's)}.
   */
  public static Object[] cleared(boolean span, String attributesJson, String eventsOrEventName) {
    Map<String, Object> attributes = ValueJson.readMap(attributesJson);
    String events = span ? ContentAttributes.clearedEvents(eventsOrEventName) : null;
    boolean genAiLog = !span && ContentAttributes.isGenAiEvent(eventsOrEventName);
    if (genAiLog) {
      attributes = ContentAttributes.clearedEvent(eventsOrEventName, attributes);
    }
    return new Object[] {ValueJson.write(ContentAttributes.cleared(attributes)), events, genAiLog};
  }

  /** Writes the cleared columns back, joined on rowid to the chunk passed as arrays (one statement per chunk). */
  private static void rewrite(DuckDBConnection c, String table, boolean spans, List<Object[]> rows)
      throws SQLException {
    Object[] ids = new Object[rows.size()];
    Object[] attributes = new Object[rows.size()];
    Object[] third = new Object[rows.size()];
    for (int i = 0; i < ids.length; i++) {
      Object[] r = rows.get(i);
      ids[i] = r[0];
      attributes[i] = r[1];
      third[i] = spans ? r[2] : r[3];
    }
    String source = "(SELECT unnest(?::BIGINT[]) AS rid, unnest(?::VARCHAR[]) AS attributes, unnest(?::"
        + (spans ? "VARCHAR" : "BOOLEAN") + "[]) AS third) r";
    String sql = spans
        ? "UPDATE spans SET attributes = r.attributes, events = r.third FROM " + source + " WHERE spans.rowid = r.rid"
        : "UPDATE logs SET attributes = r.attributes, body = CASE WHEN r.third THEN NULL ELSE logs.body END FROM "
            + source + " WHERE logs.rowid = r.rid";
    update(c, sql, c.createArrayOf("BIGINT", ids), c.createArrayOf("VARCHAR", attributes),
        c.createArrayOf(spans ? "VARCHAR" : "BOOLEAN", third));
  }

  private static long update(DuckDBConnection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = Sql.prepare(c, sql, List.of(params))) {
      return ps.executeUpdate();
    }
  }
}
