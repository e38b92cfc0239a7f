package dev.sightline.store;

import static dev.sightline.store.ServiceMapReader.dbl;
import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the real-user summary from the browser spans (attribute names as the RUM receiver writes
 * them: {@code rum.type}, {@code rum.route}, {@code rum.lcp_ms}…) and, for the server's side of a
 * request, the LLM calls of the same trace.
 */
public final class RumReader {
  /** The window's browser spans with the attributes the summary reads, extracted once. */
  private static String browserSpans(StoreReads db) {
    return "WITH b AS (SELECT trace_id, span_id, name, status, start_ns, end_ns,"
        + " json_extract_string(attributes, '$.\"rum.type\"') AS t,"
        + " json_extract_string(attributes, '$.\"rum.route\"') AS route,"
        + " json_extract_string(attributes, '$.\"rum.page_view_id\"') AS page_view,"
        + " " + db.tryDouble("json_extract_string(attributes, '$.\"rum.first_token_ms\"')") + " AS user_ttft,"
        + " " + db.tryDouble("json_extract_string(attributes, '$.\"rum.lcp_ms\"')") + " AS lcp,"
        + " " + db.tryDouble("json_extract_string(attributes, '$.\"rum.inp_ms\"')") + " AS inp,"
        + " " + db.tryDouble("json_extract_string(attributes, '$.\"rum.cls\"')") + " AS cls"
        + " FROM spans WHERE start_ns >= ? AND start_ns < ? AND category = 'browser')";
  }

  // Vitals may be reported more than once per page view (at pagehide and on flush): each view counts
  // once, with its largest value (LCP and CLS only grow during a view; INP is the worst interaction).
  private static String pagesSql(StoreReads db) {
    return browserSpans(db)
        + ", r AS (SELECT route, t, (end_ns - start_ns) / 1e6 AS dur, NULL::FLOAT8 AS lcp, NULL::FLOAT8 AS inp,"
        + " NULL::FLOAT8 AS cls FROM b WHERE t IN ('page_load', 'error')"
        + " UNION ALL SELECT route, 'vitals', NULL, max(lcp), max(inp), max(cls) FROM b WHERE t = 'vitals'"
        + " GROUP BY route, coalesce(page_view, span_id))"
        + " SELECT route, grouping(route) AS whole, count(*) FILTER (WHERE t = 'page_load') AS views,"
        + " quantile_cont(lcp, 0.75) AS lcp, quantile_cont(inp, 0.75) AS inp, quantile_cont(cls, 0.75) AS cls,"
        + " quantile_cont(dur, 0.5) FILTER (WHERE t = 'page_load') AS load,"
        + " count(*) FILTER (WHERE t = 'error') AS errors"
        + " FROM r GROUP BY GROUPING SETS ((route), ()) ORDER BY whole DESC, views DESC, route NULLS LAST";
  }

  // The server's TTFT of a request: its trace's earliest LLM call that measured one (a call may
  // start after the window that holds the browser's span, hence the hour of slack).
  private static String requestsSql(StoreReads db) {
    return browserSpans(db)
        + ", f AS (SELECT trace_id, name, status, user_ttft FROM b WHERE t = 'fetch'),"
        + " srv AS (SELECT trace_id, arg_min(ttft_ms, start_ns) AS server_ttft FROM llm_calls"
        + " WHERE start_ns >= ? AND start_ns < ? AND ttft_ms IS NOT NULL AND trace_id IN (SELECT trace_id FROM f)"
        + " GROUP BY trace_id)"
        + " SELECT f.name AS route, grouping(f.name) AS whole, count(*) AS requests,"
        + " count(*) FILTER (WHERE f.status = 'ERROR') AS errors,"
        + " quantile_cont(user_ttft, 0.5) AS user50, quantile_cont(user_ttft, 0.95) AS user95,"
        + " quantile_cont(server_ttft, 0.5) AS server50, quantile_cont(server_ttft, 0.95) AS server95,"
        + " quantile_cont(user_ttft - server_ttft, 0.5) AS gap50"
        + " FROM f LEFT JOIN srv ON f.trace_id = srv.trace_id"
        + " GROUP BY GROUPING SETS ((f.name), ()) ORDER BY whole DESC, requests DESC, route NULLS LAST";
  }

  private final StoreReads store;
  private final String pagesSql;
  private final String requestsSql;

  RumReader(DuckDbStore store) {
    this(StoreReads.of(store));
  }

  /** A reader for any engine whose schema has DuckDB's {@code spans} and {@code llm_calls}. */
  public RumReader(StoreReads store) {
    this.store = store;
    this.pagesSql = pagesSql(store);
    this.requestsSql = requestsSql(store);
  }

  public RumSummary realUsers(RumQuery q) {
    long lo = nanos(q.since(), Long.MIN_VALUE);
    long hi = nanos(q.until(), Long.MAX_VALUE);
    long callHi = hi > Long.MAX_VALUE - CallRows.HOUR_NS ? Long.MAX_VALUE : hi + CallRows.HOUR_NS;
    return store.read("real-user summary", c -> {
      List<RumSummary.Page> pages = new ArrayList<>();
      long views = 0;
      long pageErrors = 0;
      Double lcp = null;
      Double inp = null;
      Double cls = null;
      try (PreparedStatement ps = prepare(c, pagesSql, List.of(lo, hi)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt("whole") == 1) {
            views = rs.getLong("views");
            pageErrors = rs.getLong("errors");
            lcp = dbl(rs, "lcp");
            inp = dbl(rs, "inp");
            cls = dbl(rs, "cls");
          } else {
            pages.add(new RumSummary.Page(rs.getString("route"), rs.getLong("views"), dbl(rs, "lcp"), dbl(rs, "inp"),
                dbl(rs, "cls"), dbl(rs, "load"), rs.getLong("errors")));
          }
        }
      }
      List<RumSummary.Request> requests = new ArrayList<>();
      RumSummary.Request all = new RumSummary.Request(null, 0, 0, null, null, null, null, null);
      try (PreparedStatement ps = prepare(c, requestsSql, List.of(lo, hi, lo, callHi));
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RumSummary.Request r = new RumSummary.Request(rs.getString("route"), rs.getLong("requests"),
              rs.getLong("errors"), dbl(rs, "user50"), dbl(rs, "user95"), dbl(rs, "server50"), dbl(rs, "server95"),
              dbl(rs, "gap50"));
          if (rs.getInt("whole") == 1) {
            all = r;
          } else {
            requests.add(r);
          }
        }
      }
      RumSummary.Totals totals = new RumSummary.Totals(views, lcp, inp, cls, all.requests(), all.userTtftP50Ms(),
          all.userTtftP95Ms(), all.serverTtftP50Ms(), all.serverTtftP95Ms(), all.gapP50Ms(),
          pageErrors + all.errors());
      return new RumSummary(totals, pages, requests);
    });
  }
}
