package dev.sightline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace index ({@code trace_seq}): which writes hold a trace's rows, so that a trace's spans and
 * calls are read from those row groups only instead of scanning every row.
 */
final class TraceIndex {
  private final boolean indexed;

  /** {@code indexed}: whether this store's schema has the index (version 3 on). */
  TraceIndex(boolean indexed) {
    this.indexed = indexed;
  }

  /**
   * The seq ranges (writes) that hold a trace's rows, from the trace index: a trace is then read
   * from those row groups only. Null when this store has no index (old schema in tests); empty when
   * the trace is unknown.
   */
  List<long[]> ranges(java.sql.Connection c, String traceId) throws SQLException {
    if (!indexed) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT seq FROM trace_seq WHERE trace_id = ? ORDER BY seq")) {
      ps.setString(1, traceId);
      return ranges(ps);
    }
  }

  /**
   * The seq ranges that hold the rows of any of {@code traceIds} (a VARCHAR array): what
   * {@link #ranges(java.sql.Connection, String)} is for one trace, for a batch read in one query.
   */
  List<long[]> ranges(java.sql.Connection c, java.sql.Array traceIds) throws SQLException {
    if (!indexed) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT DISTINCT seq FROM trace_seq WHERE trace_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq")) {
      ps.setArray(1, traceIds);
      return ranges(ps);
    }
  }

  private static List<long[]> ranges(PreparedStatement ps) throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
      }
    }
    List<long[]> ranges = new ArrayList<>();
    for (long v : seqs) {
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && v - last[1] <= 64) {
        last[1] = v;
      } else {
        ranges.add(new long[] {v, v});
      }
    }
    if (ranges.size() > 32) { // a trace written over many far-apart writes: one span of them
      ranges = List.of(new long[] {seqs.get(0), seqs.get(seqs.size() - 1)});
    }
    return ranges;
  }

  /**
   * {@code select}'s rows of one trace that also match {@code and} (empty, or " AND …" whose
   * parameters are {@code andParams}): one pruned branch per seq range, or a full scan without an
   * index. The parameters go to {@code params} in order.
   */
  static String byTrace(String select, List<long[]> ranges, List<Object> params, String traceId, String and,
      List<Object> andParams) {
    if (ranges == null) {
      params.add(traceId);
      params.addAll(andParams);
      return select + " WHERE trace_id = ?" + and;
    }
    StringBuilder sql = new StringBuilder();
    for (long[] r : ranges) {
      if (!sql.isEmpty()) {
        sql.append(" UNION ALL ");
      }
      sql.append(select).append(" WHERE seq BETWEEN ? AND ? AND trace_id = ?").append(and);
      params.add(r[0]);
      params.add(r[1]);
      params.add(traceId);
      params.addAll(andParams);
    }
    return sql.toString();
  }

  /**
   * {@code select}'s rows of any of {@code traceIds} (a VARCHAR array): {@link #byTrace} for a batch,
   * one pruned branch per seq range, or a full scan without an index.
   */
  static String byTraces(String select, List<long[]> ranges, List<Object> params, java.sql.Array traceIds) {
    String ofThem = " trace_id IN (SELECT unnest(?::VARCHAR[]))";
    if (ranges == null) {
      params.add(traceIds);
      return select + " WHERE" + ofThem;
    }
    StringBuilder sql = new StringBuilder();
    for (long[] r : ranges) {
      if (!sql.isEmpty()) {
        sql.append(" UNION ALL ");
      }
      sql.append(select).append(" WHERE seq BETWEEN ? AND ? AND").append(ofThem);
      params.add(r[0]);
      params.add(r[1]);
      params.add(traceIds);
    }
    return sql.toString();
  }
}
