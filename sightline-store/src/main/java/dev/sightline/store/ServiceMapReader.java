package dev.sightline.store;

import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the service map: services and their calls from a self-join of the window's spans (child
 * span → parent span of another service), and LLM providers from the window's calls.
 */
public final class ServiceMapReader {
  private static final String DURATION_MS = "(end_ns - start_ns) / 1e6";
  private static final String ENTRY = "parent_span_id IS NULL OR kind = 'SERVER'";

  private final StoreReads store;

  ServiceMapReader(DuckDbStore store) {
    this(StoreReads.of(store));
  }

  /** A reader for any engine whose schema has DuckDB's {@code spans} and {@code llm_calls}. */
  public ServiceMapReader(StoreReads store) {
    this.store = store;
  }

  public ServiceMap serviceMap(ServiceMapQuery q) {
    long lo = nanos(q.since(), Long.MIN_VALUE);
    long hi = nanos(q.until(), Long.MAX_VALUE);
    String nodesSql = "SELECT service, bool_or(category = 'browser') AS browser, count(*) AS spans,"
        + " count(*) FILTER (WHERE status = 'ERROR') AS errors,"
        + " coalesce(quantile_cont(" + DURATION_MS + ", 0.5) FILTER (WHERE " + ENTRY + "),"
        + " quantile_cont(" + DURATION_MS + ", 0.5)) AS p50,"
        + " coalesce(quantile_cont(" + DURATION_MS + ", 0.95) FILTER (WHERE " + ENTRY + "),"
        + " quantile_cont(" + DURATION_MS + ", 0.95)) AS p95"
        + " FROM spans WHERE start_ns >= ? AND start_ns < ? AND service IS NOT NULL"
        + " GROUP BY service ORDER BY spans DESC, service";
    // Both sides in the window: every edge then joins two nodes of the map. Parents start before
    // their children, so only calls whose caller began just before the window are left out.
    String edgesSql = "SELECT p.service AS source, ch.service AS target, count(*) AS calls,"
        + " count(*) FILTER (WHERE ch.status = 'ERROR') AS errors,"
        + " quantile_cont((ch.end_ns - ch.start_ns) / 1e6, 0.5) AS p50,"
        + " quantile_cont((ch.end_ns - ch.start_ns) / 1e6, 0.95) AS p95"
        + " FROM spans ch JOIN spans p ON p.trace_id = ch.trace_id AND p.span_id = ch.parent_span_id"
        + " WHERE ch.start_ns >= ? AND ch.start_ns < ? AND p.start_ns >= ? AND p.start_ns < ?"
        + " AND ch.parent_span_id IS NOT NULL AND p.service <> ch.service"
        + " GROUP BY p.service, ch.service ORDER BY calls DESC, source, target";
    // one pass for both the provider nodes (service rolled up) and the service → provider edges
    String llmSql = "SELECT service, coalesce(provider, 'unknown') AS provider, grouping(service) AS whole,"
        + " count(*) AS calls, count(*) FILTER (WHERE is_error) AS errors,"
        + " quantile_cont(latency_ms, 0.5) AS p50, quantile_cont(latency_ms, 0.95) AS p95"
        + " FROM llm_calls WHERE start_ns >= ? AND start_ns < ?"
        + " GROUP BY GROUPING SETS ((service, coalesce(provider, 'unknown')), (coalesce(provider, 'unknown')))"
        + " ORDER BY calls DESC, provider, service";
    return store.read("service map", c -> {
      List<ServiceNode> nodes = new ArrayList<>();
      List<ServiceEdge> edges = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, nodesSql, List.of(lo, hi)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          nodes.add(new ServiceNode(rs.getString("service"),
              rs.getBoolean("browser") ? ServiceNode.BROWSER : ServiceNode.SERVICE, rs.getLong("spans"),
              rs.getLong("errors"), dbl(rs, "p50"), dbl(rs, "p95")));
        }
      }
      try (PreparedStatement ps = prepare(c, edgesSql, List.of(lo, hi, lo, hi)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          edges.add(new ServiceEdge(rs.getString("source"), rs.getString("target"), rs.getLong("calls"),
              rs.getLong("errors"), dbl(rs, "p50"), dbl(rs, "p95")));
        }
      }
      Map<String, ServiceNode> providers = new LinkedHashMap<>();
      try (PreparedStatement ps = prepare(c, llmSql, List.of(lo, hi)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String provider = rs.getString("provider");
          if (rs.getInt("whole") == 1) {
            providers.put(provider, new ServiceNode(provider, ServiceNode.LLM, rs.getLong("calls"), rs.getLong("errors"),
                dbl(rs, "p50"), dbl(rs, "p95")));
          } else if (rs.getString("service") != null) {
            edges.add(new ServiceEdge(rs.getString("service"), provider, rs.getLong("calls"), rs.getLong("errors"),
                dbl(rs, "p50"), dbl(rs, "p95")));
          }
        }
      }
      nodes.addAll(providers.values());
      return new ServiceMap(nodes, edges);
    });
  }

  static Double dbl(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
