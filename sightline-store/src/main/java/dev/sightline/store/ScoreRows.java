package dev.sightline.store;

import static dev.sightline.store.CallRows.bool;
import static dev.sightline.store.CallRows.dbl;
import static dev.sightline.store.CallRows.str;

import dev.sightline.model.Score;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/**
 * Rows of the {@code scores} table. Scores come from clients as well as from Sightline's own
 * evaluators, so what is stored is bounded: long text is cut with a marker, and details that are
 * not one JSON object (or are too large) are dropped while the rest of the score is kept.
 */
public final class ScoreRows {
  private ScoreRows() {}

  /** Longest explanation kept, in chars; an explanation is one line for people. */
  static final int MAX_EXPLANATION = 4096;
  /** Longest name, label, source, evaluator or version kept, in chars. */
  static final int MAX_SHORT = 256;
  /** Largest details JSON kept, in chars; larger details are dropped, as JSON cannot be cut. */
  static final int MAX_DETAILS = 1 << 20;
  static final String TRUNCATED = " …[truncated]";

  static final String COLUMNS = "trace_id, span_id, name, value, label, flagged, explanation, source, evaluator,"
      + " evaluator_version, details, time_ns";
  /** Newest first: by time, then later writes, then later in the write. */
  static final String NEWEST_FIRST = "time_ns DESC, seq DESC, pos DESC";

  /** Whether the score can be stored: it needs the call it judges. */
  public static boolean attachable(Score s) {
    return s.traceId() != null && !s.traceId().isEmpty() && s.spanId() != null && !s.spanId().isEmpty();
  }

  static void append(DuckDBAppender a, long seq, int pos, Score s) throws SQLException {
    append(new DuckDbRowSink(a), seq, pos, s);
  }

  /** The {@code scores} row of {@code s} into any engine's {@code sink}, in the table's column order. */
  public static void append(RowSink a, long seq, int pos, Score s) throws SQLException {
    a.beginRow();
    a.int8(seq);
    a.int4(pos);
    str(a, s.traceId());
    str(a, s.spanId());
    str(a, cut(s.name(), MAX_SHORT, ""));
    dbl(a, s.value());
    str(a, cut(s.label(), MAX_SHORT, ""));
    bool(a, s.flagged());
    str(a, cut(s.explanation(), MAX_EXPLANATION, TRUNCATED));
    str(a, cut(s.source(), MAX_SHORT, ""));
    str(a, cut(s.evaluator(), MAX_SHORT, ""));
    str(a, cut(s.evaluatorVersion(), MAX_SHORT, ""));
    str(a, details(s.detailsJson()));
    a.int8(s.timeEpochNanos());
    a.endRow();
  }

  /** The score at the current row, columns as {@link #COLUMNS}. */
  static Score read(ResultSet rs) throws SQLException {
    double v = rs.getDouble("value");
    Double value = rs.wasNull() ? null : v;
    boolean f = rs.getBoolean("flagged");
    Boolean flagged = rs.wasNull() ? null : f;
    return new Score(rs.getString("trace_id"), rs.getString("span_id"), rs.getString("name"), value,
        rs.getString("label"), flagged, rs.getString("explanation"), rs.getString("source"), rs.getString("evaluator"),
        rs.getString("evaluator_version"), rs.getString("details"), rs.getLong("time_ns"));
  }

  /** {@code s} cut to at most {@code max} chars, {@code marker} included, never splitting a surrogate pair. */
  static String cut(String s, int max, String marker) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = max - marker.length();
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + marker;
  }

  private static String details(String json) {
    if (json == null || json.length() > MAX_DETAILS || !ValueJson.isObject(json)) {
      return null;
    }
    return json;
  }
}
