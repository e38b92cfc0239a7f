package dev.sightline.store;

import static dev.sightline.store.Sql.instant;
import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the LLM summary and time series: whole hours from the hourly rollups, the rest (partial
 * hours at the window's edges, calls written since the last roll) from the raw calls. Windows of
 * at most {@code exactLimit} calls get exact percentiles from the raw rows instead of histograms.
 */
public final class SummaryReader {
  private final StoreReads store;
  private final long exactLimit;

  SummaryReader(DuckDbStore store, long exactLimit) {
    this(StoreReads.of(store), exactLimit);
  }

  /**
   * A reader for any engine whose schema has DuckDB's {@code llm_calls}, {@code call_rollup},
   * {@code call_rollup_hist} and {@code rollup_state} (calls above its watermark are read raw).
   */
  public SummaryReader(StoreReads store, long exactLimit) {
    this.store = store;
    this.exactLimit = exactLimit;
  }

  /** Raw llm_calls sums in {@link CallGroup#addScalars} order. */
  private static final String RAW_SUMS = "count(*), count(*) FILTER (WHERE is_error),"
      + " count(*) FILTER (WHERE is_error AND http_status BETWEEN 400 AND 499),"
      + " count(*) FILTER (WHERE is_error AND http_status BETWEEN 500 AND 599),"
      + " count(*) FILTER (WHERE cost_status = 'unpriced'), sum(input_tokens), sum(output_tokens),"
      + " sum(input_cache_read), sum(input_cache_write_5m + input_cache_write_1h), sum(output_reasoning),"
      + " sum(cost_total) FILTER (WHERE cost_status = 'priced'), coalesce(sum(output_tokens_per_s), 0),"
      + " count(output_tokens_per_s)";

  /**
   * Aggregates the calls starting in [lo, hi) per (group, time bucket): whole hours come from the
   * rollups where the grouping has them, the rest (partial hours at the edges, calls not folded yet,
   * groupings without rollups, buckets shorter than an hour) from the raw rows. {@code step} 0 means
   * one bucket (key 0) for the whole window; otherwise buckets are start times floored to a
   * multiple of {@code step} (UTC-aligned). A null {@code g} puts every call in one group (key null).
   */
  private Map<String, Map<Long, CallGroup>> aggregate(Connection c, GroupBy g, long lo, long hi, long step,
      boolean histograms) throws SQLException {
    Plan p = plan(c, g, lo, hi, step);
    Map<String, Map<Long, CallGroup>> out = new HashMap<>();
    if (p.fullTo > p.fullFrom) {
      try (PreparedStatement ps = prepare(c, "SELECT " + p.rollKey + " AS k, " + p.rollBucket + " AS b, "
          + Rollups.ROLLUP_SUMS
          + " FROM call_rollup WHERE dim = ? AND hour_ns >= ? AND hour_ns < ? GROUP BY k, b",
          List.of(p.dim, p.fullFrom, p.fullTo)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          group(out, rs).addScalars(rs, 3);
        }
      }
    }
    try (PreparedStatement ps = prepare(c, "SELECT " + p.col + " AS k, " + p.rawBucket + " AS b, " + RAW_SUMS
        + " FROM llm_calls" + RAW_WHERE + " GROUP BY k, b", List.of(lo, hi, p.fullFrom, p.fullTo, p.watermark));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        group(out, rs).addScalars(rs, 3);
      }
    }
    for (Map<Long, CallGroup> buckets : out.values()) {
      buckets.values().removeIf(x -> x.calls == 0);
    }
    out.values().removeIf(Map::isEmpty);
    if (histograms) {
      addHistograms(c, p, lo, hi, out);
    }
    return out;
  }

  /** The calls in [lo, hi) outside whole rolled-up hours, or not folded yet, are read raw. */
  private static final String RAW_WHERE = " WHERE start_ns >= ? AND start_ns < ? AND (hour_ns < ? OR hour_ns >= ? OR seq > ?)";

  /**
   * How one aggregation reads: the grouping column and rollup dim, the whole hours taken from the
   * scalar rollups ([fullFrom, fullTo)) and from the histogram rollups ([histFrom, histTo); empty
   * for groupings without histograms), the bucket expressions and the rollup watermark.
   */
  private record Plan(String col, int dim, long fullFrom, long fullTo, long histFrom, long histTo, String rollKey,
      String rollBucket, String rawBucket, long watermark) {}

  private static Plan plan(Connection c, GroupBy g, long lo, long hi, long step) throws SQLException {
    String col = g == null ? "NULL::VARCHAR" : Rollups.column(g);
    // everything counted once: with no grouping, the provider rows hold every call
    int dim = g == null ? 1 : Rollups.dim(g);
    boolean useRollups = dim >= 0 && (step == 0 || step % CallRows.HOUR_NS == 0);
    long fullFrom = lo == Long.MIN_VALUE ? Long.MIN_VALUE : Sql.ceilHour(lo);
    long fullTo = hi == Long.MAX_VALUE ? Long.MAX_VALUE : CallRows.hourOf(hi);
    if (!useRollups || fullTo <= fullFrom) {
      fullFrom = 0;
      fullTo = 0;
    }
    boolean histRollups = dim >= 0 && dim < Rollups.USER_DIM && fullTo > fullFrom;
    long w;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT watermark_seq FROM rollup_state")) {
      rs.next();
      w = rs.getLong(1);
    }
    return new Plan(col, dim, fullFrom, fullTo, histRollups ? fullFrom : 0, histRollups ? fullTo : 0,
        g == null ? "NULL::VARCHAR" : "key",
        step == 0 ? "0::BIGINT" : "hour_ns - ((hour_ns % " + step + ") + " + step + ") % " + step,
        step == 0 ? "0::BIGINT" : "start_ns - ((start_ns % " + step + ") + " + step + ") % " + step, w);
  }

  /** Adds the latency, TTFT and TPOT histograms to the groups and buckets {@code out} already has. */
  private static void addHistograms(Connection c, Plan p, long lo, long hi, Map<String, Map<Long, CallGroup>> out)
      throws SQLException {
    if (p.histTo > p.histFrom) {
      try (PreparedStatement ps = prepare(c, "SELECT " + p.rollKey + " AS k, " + p.rollBucket + " AS b, metric, bin,"
          + " sum(n) FROM call_rollup_hist WHERE dim = ? AND hour_ns >= ? AND hour_ns < ? GROUP BY k, b, metric, bin",
          List.of(p.dim, p.histFrom, p.histTo)); ResultSet rs = ps.executeQuery()) {
        addBins(rs, out);
      }
    }
    try (PreparedStatement ps = prepare(c, "SELECT k, b, metric, bin, count(*) FROM (SELECT " + p.col + " AS k, "
        + p.rawBucket + " AS b, unnest(ARRAY[0, 1, 2]) AS metric, unnest(ARRAY[latency_bin, ttft_bin, tpot_bin]) AS bin"
        + " FROM llm_calls" + RAW_WHERE + ") AS h WHERE bin IS NOT NULL GROUP BY k, b, metric, bin",
        List.of(lo, hi, p.histFrom, p.histTo, p.watermark)); ResultSet rs = ps.executeQuery()) {
      addBins(rs, out);
    }
  }

  private static CallGroup group(Map<String, Map<Long, CallGroup>> out, ResultSet rs) throws SQLException {
    return out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
        .computeIfAbsent(rs.getLong(2), k -> new CallGroup());
  }

  private static void addBins(ResultSet rs, Map<String, Map<Long, CallGroup>> out) throws SQLException {
    while (rs.next()) {
      long n = rs.getLong(5);
      Map<Long, CallGroup> buckets = out.get(rs.getString(1));
      CallGroup g = buckets == null ? null : buckets.get(rs.getLong(2));
      if (n > 0 && g != null) {
        g.hist[rs.getInt(3)].add(rs.getShort(4), n);
      }
    }
  }

  public List<SummaryRow> summary(SummaryQuery q) {
    GroupBy groupBy = q.groupBy() == null ? GroupBy.MODEL : q.groupBy();
    String dim = Rollups.column(groupBy);
    long lo = nanos(q.since(), Long.MIN_VALUE);
    long hi = nanos(q.until(), Long.MAX_VALUE);
    return store.read("the LLM summary", c -> {
      // scalars first; the exact percentiles are cheaper than histograms for small windows
      Map<String, Map<Long, CallGroup>> scalars = aggregate(c, groupBy, lo, hi, 0, false);
      long total = scalars.values().stream().mapToLong(m -> m.get(0L).calls).sum();
      Map<String, CallGroup> groups = new HashMap<>();
      // groupings without hourly histograms (users, sessions) over large windows: exact percentiles
      // of the groups returned only, not a histogram of every call in the window
      boolean perSelected = q.percentiles() && total > exactLimit
          && (Rollups.dim(groupBy) < 0 || Rollups.dim(groupBy) >= Rollups.USER_DIM);
      if (!q.percentiles() || perSelected) {
        scalars.forEach((k, m) -> groups.put(k, m.get(0L)));
      } else if (total <= exactLimit) {
        scalars.forEach((k, m) -> groups.put(k, m.get(0L)));
        exactPercentiles(c, dim, lo, hi, null, groups);
      } else {
        // the scalars are in already: only the histograms are read
        addHistograms(c, plan(c, groupBy, lo, hi, 0), lo, hi, scalars);
        scalars.forEach((k, m) -> groups.put(k, m.get(0L)));
      }
      Comparator<SummaryRow> order = switch (q.sort() == null ? SummaryQuery.Sort.CALLS : q.sort()) {
        case CALLS -> Comparator.comparingLong(SummaryRow::calls).reversed();
        case COST -> Comparator.comparing((SummaryRow r) -> r.costUsd() == null ? BigDecimal.valueOf(-1) : r.costUsd())
            .reversed().thenComparing(Comparator.comparingLong(SummaryRow::calls).reversed());
        case ERRORS -> Comparator.comparingLong(SummaryRow::errors).reversed()
            .thenComparing(Comparator.comparingLong(SummaryRow::calls).reversed());
      };
      order = order.thenComparing(SummaryRow::key, Comparator.nullsLast(Comparator.naturalOrder()));
      List<SummaryRow> out = new ArrayList<>();
      for (Map.Entry<String, CallGroup> e : groups.entrySet()) {
        out.add(e.getValue().row(e.getKey()));
      }
      out.sort(order);
      List<SummaryRow> top = out.size() > q.limit() ? new ArrayList<>(out.subList(0, q.limit())) : out;
      if (perSelected && !top.isEmpty()) {
        Map<String, CallGroup> selected = new HashMap<>();
        for (SummaryRow r : top) {
          selected.put(r.key(), groups.get(r.key()));
        }
        exactPercentiles(c, dim, lo, hi, selected.keySet(), selected);
        top.clear();
        for (Map.Entry<String, CallGroup> e : selected.entrySet()) {
          top.add(e.getValue().row(e.getKey()));
        }
        top.sort(order);
      }
      return top;
    });
  }

  /**
   * Exact (percentile_cont) latency, TTFT and TPOT percentiles of the calls in [lo, hi), per value
   * of {@code dim}, for the given keys only (null: every group), set on {@code groups}.
   */
  private static void exactPercentiles(Connection c, String dim, long lo, long hi, Set<String> keys,
      Map<String, CallGroup> groups) throws SQLException {
    List<Object> params = new ArrayList<>(List.of(lo, hi));
    String only = "";
    if (keys != null) {
      List<String> named = keys.stream().filter(java.util.Objects::nonNull).toList();
      only = " AND (" + dim + " IN (SELECT unnest(?::VARCHAR[]))" + (keys.contains(null) ? " OR " + dim + " IS NULL" : "")
          + ")";
      params.add(c.createArrayOf("VARCHAR", named.toArray()));
    }
    try (PreparedStatement ps = prepare(c, "SELECT " + dim + ", quantile_cont(latency_ms, ARRAY[0.5, 0.95, 0.99]),"
        + " quantile_cont(ttft_ms, ARRAY[0.5, 0.95, 0.99]), quantile_cont(tpot_ms, ARRAY[0.5, 0.95, 0.99]) FROM llm_calls"
        + " WHERE start_ns >= ? AND start_ns < ?" + only + " GROUP BY " + dim, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        CallGroup g = groups.get(rs.getString(1));
        if (g != null) {
          g.exact = new Percentiles[] {percentiles(rs.getArray(2)), percentiles(rs.getArray(3)),
              percentiles(rs.getArray(4))};
        }
      }
    }
  }

  public List<SeriesGroup> series(SeriesQuery q) {
    long lo = nanos(q.since(), Long.MIN_VALUE);
    long hi = nanos(q.until(), Long.MAX_VALUE);
    return store.read("the LLM time series", c -> {
      Map<String, Map<Long, CallGroup>> all = aggregate(c, q.groupBy(), lo, hi, q.stepNanos(), q.percentiles());
      List<SeriesGroup> out = new ArrayList<>();
      for (Map.Entry<String, Map<Long, CallGroup>> e : all.entrySet()) {
        List<SeriesPoint> points = new ArrayList<>();
        CallGroup sum = new CallGroup();
        for (Map.Entry<Long, CallGroup> b : new TreeMap<>(e.getValue()).entrySet()) {
          points.add(new SeriesPoint(instant(b.getKey()), b.getValue().row(e.getKey())));
          sum.merge(b.getValue());
        }
        out.add(new SeriesGroup(e.getKey(), sum.row(e.getKey()), List.copyOf(points)));
      }
      // the costliest groups first, then the busiest
      out.sort(Comparator.comparing((SeriesGroup sg) -> sg.total().costUsd() == null ? BigDecimal.valueOf(-1)
              : sg.total().costUsd()).reversed()
          .thenComparing(Comparator.comparingLong((SeriesGroup sg) -> sg.total().calls()).reversed())
          .thenComparing(SeriesGroup::key, Comparator.nullsLast(Comparator.naturalOrder())));
      return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : out;
    });
  }

  private static Percentiles percentiles(Array array) throws SQLException {
    if (array == null) {
      return Percentiles.EMPTY;
    }
    Object[] v = (Object[]) array.getArray();
    return new Percentiles(toDouble(v[0]), toDouble(v[1]), toDouble(v[2]));
  }

  private static Double toDouble(Object o) {
    return o == null ? null : ((Number) o).doubleValue();
  }
}
