package dev.sightline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * The hourly LLM call rollups ({@code call_rollup}, {@code call_rollup_hist}): their dimensions and
 * the SQL that adds calls to them, folds new calls in and compacts them. The writer decides when;
 * the summary reader and the re-pricing ({@link Repricing}) read and rebuild them with the same SQL.
 */
public final class Rollups {
  private Rollups() {}

  /**
   * The grouping dimensions, in rollup {@code dim} order; {@code r} is the route to count under.
   * Users (dim 4) get scalar rows only: a latency histogram per user and hour would outgrow the rest.
   */
  private static final String DIMS = "unnest(ARRAY[0, 1, 2, 3, 4]) AS dim,"
      + " unnest(ARRAY[model, provider, service, r, user_id]) AS key";
  static final int USER_DIM = 4;
  /** The scalar rollup columns after hour_ns, dim, key, as sums over a grouped source. */
  static final String ROLLUP_SUMS = "sum(calls) AS calls, sum(errors) AS errors, sum(errors_4xx) AS errors_4xx,"
      + " sum(errors_5xx) AS errors_5xx, sum(unpriced) AS unpriced, sum(input_tokens) AS input_tokens,"
      + " sum(output_tokens) AS output_tokens, sum(cache_read_tokens) AS cache_read_tokens,"
      + " sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,"
      + " sum(cost_usd) AS cost_usd, sum(tps_sum) AS tps_sum, sum(tps_n) AS tps_n";

  /**
   * Adds the rollup rows of {@code source} (llm_calls rows plus {@code r}: the route, {@code sign}:
   * ±1) for the dimensions that {@code dims} (a condition on {@code dim}) selects.
   */
  public static String insert(String source, String dims) {
    return "INSERT INTO call_rollup SELECT hour_ns, dim, key, sum(sign),"
        + " coalesce(sum(sign) FILTER (WHERE is_error), 0),"
        + " coalesce(sum(sign) FILTER (WHERE is_error AND http_status BETWEEN 400 AND 499), 0),"
        + " coalesce(sum(sign) FILTER (WHERE is_error AND http_status BETWEEN 500 AND 599), 0),"
        + " coalesce(sum(sign) FILTER (WHERE cost_status = 'unpriced'), 0),"
        + " sum(sign * input_tokens), sum(sign * output_tokens), sum(sign * input_cache_read),"
        + " sum(sign * (input_cache_write_5m + input_cache_write_1h)), sum(sign * output_reasoning),"
        + " sum(sign * cost_total) FILTER (WHERE cost_status = 'priced'),"
        + " coalesce(sum(sign * output_tokens_per_s), 0), coalesce(sum(sign) FILTER (WHERE output_tokens_per_s IS NOT NULL), 0)"
        + " FROM (SELECT hour_ns, sign, is_error, http_status, cost_status, input_tokens, output_tokens, input_cache_read,"
        + " input_cache_write_5m, input_cache_write_1h, output_reasoning, cost_total, output_tokens_per_s, " + DIMS
        + " FROM (" + source + ") src0) src WHERE " + dims + " GROUP BY hour_ns, dim, key";
  }

  /** {@link #insert} for the latency, TTFT and TPOT histogram rollups. */
  public static String histInsert(String source, String dims) {
    return "INSERT INTO call_rollup_hist SELECT hour_ns, dim, key, metric, bin, sum(sign)"
        + " FROM (SELECT hour_ns, dim, key, sign, unnest(ARRAY[0, 1, 2]) AS metric,"
        + " unnest(ARRAY[latency_bin, ttft_bin, tpot_bin]) AS bin"
        + " FROM (SELECT hour_ns, sign, latency_bin, ttft_bin, tpot_bin, " + DIMS + " FROM (" + source + ") src0) src1"
        + " WHERE " + dims + " AND dim < " + USER_DIM + ") src"
        + " WHERE bin IS NOT NULL GROUP BY hour_ns, dim, key, metric, bin HAVING sum(sign) <> 0";
  }

  /** The rollup dim of route rows, whose calls move group when their root span arrives late. */
  public static final int ROUTE_DIM = 3;

  /** The llm_calls column a grouping reads. */
  static String column(GroupBy g) {
    return switch (g) {
      case MODEL -> "model";
      case PROVIDER -> "provider";
      case SERVICE -> "service";
      case ROUTE -> "route";
      case USER -> "user_id";
      case SESSION -> "session_id";
    };
  }

  /** The rollup dim of a grouping, -1 where it has no rollups. */
  static int dim(GroupBy g) {
    return switch (g) { // the rollup's dim numbers, see DIMS
      case MODEL -> 0;
      case PROVIDER -> 1;
      case SERVICE -> 2;
      case ROUTE -> ROUTE_DIM;
      case USER -> USER_DIM;
      case SESSION -> -1;
    };
  }

  /** Adds the calls with {@code from < seq <= upTo} to the rollups and moves the watermark to {@code upTo}. */
  static void fold(DuckDBConnection c, long from, long upTo) throws SQLException {
    String fresh = "SELECT *, route AS r, 1 AS sign FROM llm_calls WHERE seq > ? AND seq <= ?";
    for (String sql : List.of(insert(fresh, "true"), histInsert(fresh, "true"))) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, from);
        ps.setLong(2, upTo);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE rollup_state SET watermark_seq = ?")) {
      ps.setLong(1, upTo);
      ps.executeUpdate();
    }
  }

  static long histogramRows(DuckDBConnection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM call_rollup_hist")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Each roll adds partial rows per hour and group; this merges them back to one per key, in one
   * transaction, and returns the histogram rows left.
   */
  static long compact(DuckDBConnection c) throws SQLException {
    return compact(c, null);
  }

  /**
   * {@link #compact(DuckDBConnection)} on any engine; {@code lock}, when given, runs first in the
   * transaction (an engine whose writers insert rollup rows concurrently locks them out with it).
   */
  public static long compact(java.sql.Connection c, String lock) throws SQLException {
    Tx.begin(c);
    try (Statement s = c.createStatement()) {
      if (lock != null) {
        s.execute(lock);
      }
      s.execute("CREATE TEMP TABLE rollup_compact AS SELECT hour_ns, dim, key, " + ROLLUP_SUMS + " FROM call_rollup"
          + " GROUP BY hour_ns, dim, key HAVING sum(calls) <> 0 ORDER BY dim, hour_ns");
      s.execute("DELETE FROM call_rollup");
      s.execute("INSERT INTO call_rollup SELECT * FROM rollup_compact");
      s.execute("DROP TABLE rollup_compact");
      s.execute("CREATE TEMP TABLE rollup_hist_compact AS SELECT hour_ns, dim, key, metric, bin,"
          + " sum(n) AS n FROM call_rollup_hist GROUP BY hour_ns, dim, key, metric, bin"
          + " HAVING sum(n) <> 0 ORDER BY dim, hour_ns");
      s.execute("DELETE FROM call_rollup_hist");
      s.execute("INSERT INTO call_rollup_hist SELECT * FROM rollup_hist_compact");
      s.execute("DROP TABLE rollup_hist_compact");
      long rows;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM call_rollup_hist")) {
        rs.next();
        rows = rs.getLong(1);
      }
      Tx.commit(c);
      return rows;
    } catch (SQLException | RuntimeException e) {
      Tx.rollbackAfter(c, e);
      throw e;
    }
  }
}
