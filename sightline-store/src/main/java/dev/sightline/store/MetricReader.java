package dev.sightline.store;

import static dev.sightline.store.Sql.instant;
import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metric points: series over time per group, the latest point of each series, and the names
 * stored. SQL reduces the points to one row per (series, bucket) (per reset, for counters), so a
 * long window never brings its raw points into Java; the increases and quantiles are computed here.
 */
public final class MetricReader {
  static final int MAX_GROUPS = 1_000;
  static final int MAX_ROWS = 10_000;
  /** The kind of a stored point, as {@link MetricSeries#kind} names it. */
  private static final String KIND = "CASE WHEN type = 'sum' THEN CASE WHEN monotonic THEN 'counter' ELSE 'gauge' END"
      + " ELSE coalesce(type, 'gauge') END";
  private static final String SERIES = "name, service, attributes";

  private final StoreReads store;

  MetricReader(DuckDbStore store) {
    this(StoreReads.of(store));
  }

  /** A reader for any engine whose schema has DuckDB's {@code metric_points}. */
  public MetricReader(StoreReads store) {
    this.store = store;
  }

  /**
   * The points of {@code w}'s names (of the given kind when not null) from {@code from} to the
   * window's end, its service and where-labels applied, as a SQL condition with its parameters.
   */
  private static String filter(MetricWindow w, String kind, long from, List<Object> params) {
    StringBuilder sql = new StringBuilder("name IN (");
    for (int i = 0; i < w.names().size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      params.add(w.names().get(i));
    }
    sql.append(") AND time_ns >= ? AND time_ns < ?");
    params.add(from);
    params.add(w.hi());
    Sql.equal(sql, params, "service", w.service());
    for (Map.Entry<String, String> e : w.where().entrySet()) {
      switch (e.getKey()) {
        case "service" -> Sql.equal(sql, params, "service", e.getValue());
        case "name" -> Sql.equal(sql, params, "name", e.getValue());
        default -> {
          // the key is a checked label name (no quote, no backslash), so this quoted path reads it verbatim
          sql.append(" AND json_extract_string(attributes, ?) = ?");
          params.add("$.\"" + e.getKey() + "\"");
          params.add(e.getValue());
        }
      }
    }
    if (kind != null) {
      sql.append(" AND ").append(KIND).append(" = ?");
      params.add(kind);
    }
    return sql.toString();
  }

  /** Per name in the window: its latest kind and unit, and its first and last point times. */
  private record NameStats(String kind, String unit, long first, long last) {}

  public List<MetricSeries> series(MetricQuery query) {
    MetricWindow w = MetricWindow.of(query, true);
    if (w.hi() <= w.lo()) {
      return List.of();
    }
    return store.read("metric series of " + w.names(), c -> {
      Map<String, NameStats> stats = nameStats(c, w);
      // several names read as one series: the kind is that of the first name with points
      NameStats first = w.names().stream().map(stats::get).filter(s -> s != null).findFirst().orElse(null);
      if (first == null) {
        return List.of(); // an agg of no kind at all was refused already
      }
      String agg = w.aggFor(first.kind());
      long from = Long.MAX_VALUE;
      long to = Long.MIN_VALUE;
      for (NameStats s : stats.values()) {
        if (s.kind().equals(first.kind())) {
          from = Math.min(from, s.first());
          to = Math.max(to, s.last());
        }
      }
      w.checkBuckets(from, to);
      Map<List<String>, MetricBuckets> groups = new HashMap<>();
      if (first.kind().equals("gauge")) {
        gauges(c, w, groups);
      } else {
        increases(c, w, first.kind(), groups);
      }
      return assemble(w, groups, first.kind(), agg, first.unit());
    });
  }

  private static Map<String, NameStats> nameStats(Connection c, MetricWindow w) throws SQLException {
    List<Object> params = new ArrayList<>();
    MetricWindow unfiltered = new MetricWindow(w.names(), w.service(), Map.of(), w.groupBy(), w.lo(), w.hi(),
        w.origin(), w.step(), w.agg());
    String sql = "SELECT name, arg_max(" + KIND + ", time_ns), arg_max(unit, time_ns), min(time_ns), max(time_ns)"
        + " FROM metric_points WHERE " + filter(unfiltered, null, w.lo(), params) + " GROUP BY name";
    Map<String, NameStats> out = new HashMap<>();
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), new NameStats(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
      }
    }
    return out;
  }

  /** Gauges: per (series, bucket) the sample count, sum, extremes and last sample, summed into groups. */
  private static void gauges(Connection c, MetricWindow w, Map<List<String>, MetricBuckets> groups)
      throws SQLException {
    List<Object> params = new ArrayList<>();
    String sql = "SELECT " + SERIES + ", " + w.bucketSql("time_ns") + " AS b, count(*), sum(value), max(value),"
        + " min(value), arg_max(value, time_ns) FROM metric_points WHERE " + filter(w, "gauge", w.lo(), params)
        + " AND isfinite(value) GROUP BY " + SERIES + ", b";
    Map<String, Map<String, Object>> labels = new HashMap<>();
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        MetricBuckets g = groupOf(w, groups, labels, rs);
        long n = rs.getLong(5);
        g.points += n;
        g.addGauge(rs.getLong(4), n, rs.getDouble(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9));
      }
    }
  }

  /**
   * Counters, histograms and summaries: each series' points from one step before the window, with a
   * reset marked where the value (or count) drops, the start time or the histogram bounds change,
   * and on every delta point (each counts on its own). SQL keeps the series' first point (its base
   * when nothing came before in the window) and the last point of each run between resets in each
   * bucket; the increase of a run is its last point minus the previous kept point of the same run,
   * or the whole value after a reset. Points before the window only serve as bases. The first point
   * of a series counts from zero when its start time lies inside the window (or the step before).
   */
  private static void increases(Connection c, MetricWindow w, String kind,
      Map<List<String>, MetricBuckets> groups) throws SQLException {
    boolean histogram = kind.equals("histogram");
    String m = kind.equals("counter") ? "value" : "count::FLOAT8";
    long from = w.lookbackFrom();
    List<Object> params = new ArrayList<>();
    // series are partitioned by a 63-bit hash of their identity: sorting on it halves the time of
    // sorting on the label JSON (measured on 500k points), and a collision is vanishingly unlikely
    String points = "SELECT " + SERIES + ", (hash(" + SERIES + ") >> 1)::BIGINT AS sid, seq, time_ns, start_ns,"
        + " delta, " + m + " AS m, sum AS s, bucket_bounds AS bb, bucket_counts AS bc,"
        + " CASE WHEN time_ns >= " + w.lo() + " THEN " + w.bucketSql("time_ns") + " END AS b"
        + " FROM metric_points WHERE " + filter(w, kind, from, params) + " AND " + m + " IS NOT NULL"
        + " AND isfinite(" + m + ")";
    String window = " OVER (PARTITION BY sid ORDER BY time_ns, seq)";
    String marked = "SELECT *, CASE WHEN lag(m)" + window + " IS NULL THEN delta OR (start_ns > 0 AND start_ns >= "
        + from + " AND start_ns <= time_ns) ELSE delta OR m < lag(m)" + window + " OR start_ns <> lag(start_ns)"
        + window + (histogram ? " OR bb IS DISTINCT FROM lag(bb)" + window : "") + " END AS reset,"
        + " row_number()" + window + " AS rn,"
        + " sum(CASE WHEN b IS NULL THEN 0 ELSE 1 END) OVER (PARTITION BY sid) AS n FROM (" + points + ") AS p";
    String runs = "SELECT *, sum(CASE WHEN reset THEN 1 ELSE 0 END) OVER (PARTITION BY sid"
        + " ORDER BY time_ns, seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run,"
        + " lead(b)" + window + " AS next_b, lead(reset)" + window + " AS next_reset,"
        + " lead(rn)" + window + " AS next_rn FROM (" + marked + ") AS mk";
    String sql = "SELECT " + SERIES + ", b, run, m, s, bb, bc, n, sid FROM (" + runs + ") AS r"
        + " WHERE rn = 1 OR next_rn IS NULL OR next_b IS DISTINCT FROM b OR next_reset"
        + " ORDER BY sid, time_ns, seq";
    Map<String, Map<String, Object>> labels = new HashMap<>();
    try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      Long seriesKey = null;
      double[] base = null;
      long run = 0;
      MetricBuckets g = null;
      while (rs.next()) {
        long key = rs.getLong(11);
        if (seriesKey == null || key != seriesKey) {
          seriesKey = key;
          base = null;
          run = 0;
          g = groupOf(w, groups, labels, rs);
          g.points += rs.getLong(10);
        }
        String bounds = histogram ? rs.getString(8) : null;
        double[] v = histogram ? histogramVector(rs) : kind.equals("counter") ? new double[] {rs.getDouble(6)}
            : new double[] {rs.getDouble(6), rs.getDouble(7)};
        long thisRun = rs.getLong(5);
        double[] inc;
        if (thisRun != run) {
          inc = v; // after a reset (or a delta point) the value is what happened since it
        } else if (base == null || base.length != v.length) {
          inc = new double[v.length]; // the series' first point: the base of what follows
        } else {
          inc = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            inc[i] = v[i] - base[i];
          }
        }
        base = v;
        run = thisRun;
        long b = rs.getLong(4);
        if (!rs.wasNull()) {
          g.addIncrease(b, inc, bounds);
        }
      }
    }
  }

  /** Count, sum, then the per-bucket counts of the histogram point at the current row. */
  private static double[] histogramVector(ResultSet rs) throws SQLException {
    Object counts = ValueJson.read(rs.getString(9));
    List<?> list = counts instanceof List<?> l ? l : List.of();
    double[] v = new double[2 + list.size()];
    v[0] = rs.getDouble(6);
    v[1] = rs.getDouble(7);
    for (int i = 0; i < list.size(); i++) {
      v[2 + i] = list.get(i) instanceof Number n ? n.doubleValue() : 0;
    }
    return v;
  }

  /** The group of the series at the current row (columns name, service, attributes). */
  private static MetricBuckets groupOf(MetricWindow w, Map<List<String>, MetricBuckets> groups,
      Map<String, Map<String, Object>> labels, ResultSet rs) throws SQLException {
    if (w.groupBy().isEmpty()) {
      return groups.computeIfAbsent(List.of(), k -> new MetricBuckets());
    }
    String attributes = rs.getString(3);
    Map<String, Object> attrs = labels.computeIfAbsent(attributes == null ? "" : attributes, ValueJson::readMap);
    List<String> key = new ArrayList<>(w.groupBy().size());
    for (String label : w.groupBy()) {
      key.add(switch (label) {
        case "service" -> rs.getString(2);
        case "name" -> rs.getString(1);
        default -> {
          Object v = attrs.get(label);
          yield v == null ? null : String.valueOf(v);
        }
      });
    }
    return groups.computeIfAbsent(Collections.unmodifiableList(key), k -> new MetricBuckets());
  }

  private static final Comparator<String> NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());

  /** The largest groups (by points), most points first, then by their label values. */
  private static List<MetricSeries> assemble(MetricWindow w, Map<List<String>, MetricBuckets> groups, String kind,
      String agg, String unit) {
    List<Map.Entry<List<String>, MetricBuckets>> ranked = new ArrayList<>(groups.entrySet());
    ranked.sort((a, b) -> {
      int byPoints = Long.compare(b.getValue().points, a.getValue().points);
      if (byPoints != 0) {
        return byPoints;
      }
      for (int i = 0; i < a.getKey().size(); i++) {
        int byLabel = NULLS_LAST.compare(a.getKey().get(i), b.getKey().get(i));
        if (byLabel != 0) {
          return byLabel;
        }
      }
      return 0;
    });
    List<MetricSeries> out = new ArrayList<>();
    for (Map.Entry<List<String>, MetricBuckets> e : ranked.subList(0, Math.min(MAX_GROUPS, ranked.size()))) {
      Map<String, String> group = new LinkedHashMap<>();
      for (int i = 0; i < w.groupBy().size(); i++) {
        group.put(w.groupBy().get(i), e.getKey().get(i));
      }
      List<MetricValue> values = e.getValue().values(agg, w);
      out.add(new MetricSeries(Collections.unmodifiableMap(group), kind, agg, unit, List.copyOf(values)));
    }
    return List.copyOf(out);
  }

  public List<MetricSample> latest(MetricQuery query, int limit) {
    MetricWindow w = MetricWindow.of(query, false);
    if (w.hi() <= w.lo() || limit <= 0) {
      return List.of();
    }
    List<Object> params = new ArrayList<>();
    String sql = "SELECT " + SERIES + ", kind, time_ns, v FROM (SELECT " + SERIES + ", " + KIND + " AS kind, time_ns,"
        + " CASE WHEN type IN ('histogram', 'summary', 'exponential_histogram') THEN count::FLOAT8 ELSE value END AS v,"
        + " row_number() OVER (PARTITION BY " + SERIES + " ORDER BY time_ns DESC, seq DESC) AS rn FROM metric_points"
        + " WHERE " + filter(w, null, w.lo(), params) + ") AS ranked WHERE rn = 1"
        + " ORDER BY time_ns DESC, " + SERIES + " LIMIT ?";
    params.add(Math.min(limit, MAX_ROWS));
    return store.read("latest samples of " + w.names(), c -> {
      List<MetricSample> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double value = rs.getDouble(6);
          out.add(new MetricSample(rs.getString(1), rs.getString(2), strings(ValueJson.readMap(rs.getString(3))),
              rs.getString(4), instant(rs.getLong(5)), rs.wasNull() ? Double.NaN : value));
        }
      }
      return List.copyOf(out);
    });
  }

  private static Map<String, String> strings(Map<String, Object> attrs) {
    Map<String, String> out = new LinkedHashMap<>();
    attrs.forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
    return Collections.unmodifiableMap(out);
  }

  public List<MetricName> names(String prefix, String service, Instant since, Instant until, int limit) {
    long lo = nanos(since, Long.MIN_VALUE);
    long hi = nanos(until, Long.MAX_VALUE);
    if (hi <= lo || limit <= 0) {
      return List.of();
    }
    List<Object> params = new ArrayList<>(List.of(lo, hi));
    StringBuilder where = new StringBuilder("time_ns >= ? AND time_ns < ?");
    Sql.equal(where, params, "service", service);
    if (prefix != null && !prefix.isEmpty()) {
      where.append(" AND starts_with(name, ?)");
      params.add(prefix);
    }
    params.add(Math.min(limit, MAX_ROWS));
    // one row per series first: the label keys are read once per label set, not once per point
    String sql = "WITH s AS (SELECT " + SERIES + ", count(*) AS n, max(time_ns) AS last, arg_max(" + KIND
        + ", time_ns) AS kind, arg_max(unit, time_ns) AS unit, arg_max(description, time_ns) AS description"
        + " FROM metric_points WHERE " + where + " GROUP BY " + SERIES + ")"
        + " SELECT name, arg_max(kind, last), arg_max(unit, last), arg_max(description, last), count(*), sum(n),"
        + " max(last), list_sort(list_distinct(list(service))),"
        + " list_sort(list_distinct(flatten(list(json_keys(attributes))))) FROM s GROUP BY name ORDER BY name LIMIT ?";
    return store.read("metric names", c -> {
      List<MetricName> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new MetricName(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              rs.getLong(6), instant(rs.getLong(7)), stringList(rs, 8), stringList(rs, 9)));
        }
      }
      return List.copyOf(out);
    });
  }

  private static List<String> stringList(ResultSet rs, int col) throws SQLException {
    java.sql.Array a = rs.getArray(col);
    if (a == null) {
      return List.of();
    }
    return Arrays.stream((Object[]) a.getArray()).filter(o -> o != null).map(Object::toString).toList();
  }
}
