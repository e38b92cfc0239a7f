package dev.sightline.store;

import static dev.sightline.store.Sql.instant;
import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import dev.sightline.model.Score;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads scores: those of one call or trace, quality figures per score name (and group) and over
 * time, and the score filter of the call list. Figures count each call's latest score of a name
 * only, so a re-evaluation replaces the verdict it supersedes.
 */
public final class ScoreReader {
  /** Most scores returned for one trace, and most quality rows. */
  static final int MAX_ROWS = 10_000;
  private static final long DEFAULT_STEP = Duration.ofHours(1).toNanos();
  /** A century: longer steps could overflow the bucket arithmetic, and give one bucket anyway. */
  private static final long MAX_STEP = Duration.ofDays(36_500).toNanos();

  private final StoreReads store;

  ScoreReader(DuckDbStore store) {
    this(StoreReads.of(store));
  }

  /** A reader for any engine whose schema has DuckDB's {@code scores} and {@code llm_calls}. */
  public ScoreReader(StoreReads store) {
    this.store = store;
  }

  /**
   * Each call's latest score per name (optionally of one name: {@code where} is a condition on
   * scores, with its parameters bound by the caller): by time, then later writes, then later in
   * the write.
   */
  private static String latest(String where) {
    return "SELECT trace_id, span_id, name, value, label, flagged, time_ns FROM (SELECT trace_id, span_id, name,"
        + " value, label, flagged, time_ns, row_number() OVER (PARTITION BY trace_id, span_id, name ORDER BY "
        + ScoreRows.NEWEST_FIRST + ") AS rn FROM scores WHERE " + where + ") AS ranked WHERE rn = 1";
  }

  public List<Score> scores(String traceId, String spanId) {
    if (traceId == null) {
      return List.of();
    }
    List<Object> params = new ArrayList<>(List.of(traceId));
    String only = "";
    if (spanId != null) {
      only = " AND span_id = ?";
      params.add(spanId);
    }
    params.add(MAX_ROWS);
    String sql = "SELECT " + ScoreRows.COLUMNS + " FROM scores WHERE trace_id = ?" + only + " ORDER BY "
        + ScoreRows.NEWEST_FIRST + " LIMIT ?";
    return store.read("scores of trace " + traceId, c -> {
      List<Score> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ScoreRows.read(rs));
        }
      }
      return out;
    });
  }

  /** Each listed call's latest score per name, in one query (a list page asks for up to thousands). */
  public Map<CallRef, List<Score>> latestScores(Collection<CallRef> calls) {
    if (calls.isEmpty()) {
      return Map.of();
    }
    List<String> traces = new ArrayList<>(calls.size());
    List<String> spans = new ArrayList<>(calls.size());
    for (CallRef r : calls) {
      if (r.traceId() != null && r.spanId() != null) {
        traces.add(r.traceId());
        spans.add(r.spanId());
      }
    }
    String sql = "SELECT " + ScoreRows.COLUMNS + " FROM (SELECT " + ScoreRows.COLUMNS + ", row_number() OVER"
        + " (PARTITION BY trace_id, span_id, name ORDER BY " + ScoreRows.NEWEST_FIRST + ") AS rn FROM scores s"
        + " WHERE EXISTS (SELECT 1 FROM (SELECT unnest(?::VARCHAR[]) AS t, unnest(?::VARCHAR[]) AS sp) k"
        + " WHERE s.trace_id = k.t AND s.span_id = k.sp)) AS ranked WHERE rn = 1 ORDER BY trace_id, span_id, name";
    return store.read("latest scores of " + traces.size() + " calls", c -> {
      List<Object> params = List.of(c.createArrayOf("VARCHAR", traces.toArray()),
          c.createArrayOf("VARCHAR", spans.toArray()));
      Map<CallRef, List<Score>> out = new LinkedHashMap<>();
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Score sc = ScoreRows.read(rs);
          out.computeIfAbsent(new CallRef(sc.traceId(), sc.spanId()), k -> new ArrayList<>()).add(sc);
        }
      }
      return out;
    });
  }

  /**
   * The latest scores in the window, each with whether it is evaluated ({@code ev}), its time
   * {@code t} (its call's start, or its own time when the call is not stored) and its call's group
   * {@code key}. A call stored twice (a resent span) counts once.
   */
  private static String judged(QualityQuery q, List<Object> params) {
    String key = q.groupBy() == null ? "NULL::VARCHAR" : "c." + Rollups.column(q.groupBy());
    String where = "true";
    if (q.name() != null) {
      where = "name = ?";
      params.add(q.name());
    }
    params.add(nanos(q.since(), Long.MIN_VALUE));
    params.add(nanos(q.until(), Long.MAX_VALUE));
    return "SELECT * FROM (SELECT l.name, l.value, l.flagged, l.label IS DISTINCT FROM '" + Score.NOT_EVALUATED
        + "' AS ev, coalesce(c.start_ns, l.time_ns) AS t, " + key + " AS key"
        + ", row_number() OVER (PARTITION BY l.trace_id, l.span_id, l.name ORDER BY c.start_ns) AS rn"
        + " FROM (" + latest(where) + ") l LEFT JOIN llm_calls c ON c.trace_id = l.trace_id AND c.span_id = l.span_id) j"
        + " WHERE rn = 1 AND t >= ? AND t < ?";
  }

  private static final String FIGURES = "count(*) FILTER (WHERE ev), count(*) FILTER (WHERE NOT ev),"
      + " count(*) FILTER (WHERE ev AND flagged), avg(value) FILTER (WHERE ev)";

  public List<QualityRow> quality(QualityQuery query) {
    QualityQuery q = query == null ? new QualityQuery(null, null, null, null, null) : query;
    List<Object> params = new ArrayList<>();
    String sql = "SELECT name, key, " + FIGURES + " FROM (" + judged(q, params) + ") AS judged GROUP BY name, key"
        + " ORDER BY name, count(*) DESC, key NULLS LAST LIMIT " + MAX_ROWS;
    return store.read("quality", c -> {
      List<QualityRow> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long evaluated = rs.getLong(3);
          long flagged = rs.getLong(5);
          out.add(new QualityRow(rs.getString(2), rs.getString(1), evaluated, rs.getLong(4), flagged,
              rate(flagged, evaluated), mean(rs, 6)));
        }
      }
      return out;
    });
  }

  public List<QualityPoint> qualitySeries(QualityQuery query) {
    QualityQuery q = query == null ? new QualityQuery(null, null, null, null, null) : query;
    long step = q.step() == null || q.step().isNegative() || q.step().isZero() ? DEFAULT_STEP : stepNanos(q.step());
    List<Object> params = new ArrayList<>();
    String sql = "SELECT " + Sql.floor("t", step) + " AS bucket, name, " + FIGURES + " FROM (" + judged(q, params)
        + ") AS judged GROUP BY bucket, name ORDER BY bucket, name";
    return store.read("quality series", c -> {
      List<QualityPoint> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long evaluated = rs.getLong(3);
          long flagged = rs.getLong(5);
          out.add(new QualityPoint(instant(rs.getLong(1)), rs.getString(2), evaluated, flagged,
              rate(flagged, evaluated), mean(rs, 6)));
        }
      }
      return out;
    });
  }

  /**
   * The call list's condition for a score filter, " AND EXISTS (…)" on {@code llm_calls}' row, with
   * its parameters added to {@code params}; empty without a filter.
   */
  static String callFilter(ScoreFilter f, List<Object> params) {
    if (f == null) {
      return "";
    }
    String op = f.op() == null ? "" : f.op();
    String test;
    if (!List.of("<", "<=", ">", ">=", "=").contains(op)) {
      throw new IllegalArgumentException("score filter " + f + ": the operator must be one of <, <=, >, >=, =");
    } else if (f.number() != null) {
      test = "ls.value " + op + " ?";
    } else if (!op.equals("=") || f.label() == null) {
      throw new IllegalArgumentException("score filter " + f + ": " + op + " needs a number, e.g. " + f.name()
          + op + "0.7");
    } else if (f.label().equalsIgnoreCase(ScoreFilter.FLAGGED)) {
      test = "ls.flagged";
    } else {
      test = "lower(ls.label) = lower(?)";
    }
    params.add(f.name());
    if (f.number() != null) {
      params.add(f.number());
    } else if (!test.equals("ls.flagged")) {
      params.add(f.label());
    }
    return " AND EXISTS (SELECT 1 FROM (" + latest("name = ?") + ") ls WHERE ls.trace_id = llm_calls.trace_id"
        + " AND ls.span_id = llm_calls.span_id AND " + test + ")";
  }

  private static Double rate(long flagged, long evaluated) {
    return evaluated == 0 ? null : (double) flagged / evaluated;
  }

  private static Double mean(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  private static long stepNanos(Duration step) {
    return step.compareTo(Duration.ofNanos(MAX_STEP)) > 0 ? MAX_STEP : step.toNanos();
  }
}
