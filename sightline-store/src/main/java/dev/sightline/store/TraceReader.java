package dev.sightline.store;

import static dev.sightline.store.Sql.equal;
import static dev.sightline.store.Sql.instant;
import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads traces: the trace list, one trace or span with its calls, the span attributes no mapping read
 * and the values of a resource attribute.
 */
public final class TraceReader {
  private final StoreReads store;
  private final TraceIndex index;

  TraceReader(DuckDbStore store, TraceIndex index) {
    this(StoreReads.of(store), index);
  }

  /** A reader for an engine without DuckDB's trace index: a trace is read by its trace id alone. */
  public TraceReader(StoreReads store) {
    this(store, new TraceIndex(false));
  }

  private TraceReader(StoreReads store, TraceIndex index) {
    this.store = store;
    this.index = index;
  }

  public List<TraceSummary> traces(TraceQuery q) {
    long lo = nanos(q.since(), Long.MIN_VALUE);
    long hi = nanos(q.until(), Long.MAX_VALUE);
    // calls of a trace may start a little after the window that holds its root
    long callHi = hi == Long.MAX_VALUE ? hi : hi + Math.min(CallRows.HOUR_NS, Long.MAX_VALUE - hi);
    String rootService = "coalesce(arg_min(service, start_ns) FILTER (WHERE parent_span_id IS NULL),"
        + " arg_min(service, start_ns))";
    String rootName = "coalesce(arg_min(name, start_ns) FILTER (WHERE parent_span_id IS NULL), arg_min(name, start_ns))";
    // Phase 1 picks candidate traces from the spans in the window with cheap aggregates only (a
    // group-by with string aggregates over every span was what made this slow on large stores).
    // It over-selects: a trace whose root lies outside the window looks rootless here; phase 2
    // computes every trace exactly and drops those.
    StringBuilder candidates = new StringBuilder("SELECT trace_id FROM spans WHERE start_ns >= ? AND start_ns < ?");
    List<Object> candidateParams = new ArrayList<>(List.of(lo, hi));
    StringBuilder callWhere = new StringBuilder();
    List<Object> callParams = new ArrayList<>();
    if (q.model() != null) {
      callWhere.append(" AND (request_model = ? OR response_model = ? OR model = ?)");
      callParams.addAll(List.of(q.model(), q.model(), q.model()));
    }
    equal(callWhere, callParams, "session_id", q.sessionId());
    equal(callWhere, callParams, "user_id", q.userId());
    if (q.text() != null) {
      callWhere.append(" AND (contains(lower(content_input), lower(?)) OR contains(lower(content_output), lower(?))"
          + " OR contains(lower(content_system), lower(?)))");
      callParams.addAll(List.of(q.text(), q.text(), q.text()));
    }
    if (!callWhere.isEmpty() || q.minCostUsd() != null) {
      candidates.append(" AND trace_id IN (SELECT trace_id FROM llm_calls WHERE start_ns >= ? AND start_ns < ?")
          .append(callWhere);
      candidateParams.add(lo);
      candidateParams.add(callHi);
      candidateParams.addAll(callParams);
      if (q.minCostUsd() != null) {
        candidates.append(" GROUP BY trace_id HAVING sum(cost_total) FILTER (WHERE cost_status = 'priced') >= ?");
        candidateParams.add(q.minCostUsd());
      }
      candidates.append(")");
    }
    candidates.append(" GROUP BY trace_id HAVING true");
    if (q.service() != null) {
      candidates.append(" AND ").append(rootService).append(" = ?");
      candidateParams.add(q.service());
    }
    if (q.route() != null) {
      candidates.append(" AND ").append(rootName).append(" = ?");
      candidateParams.add(q.route());
    }
    if (q.resource() != null) {
      candidates.append(" AND bool_or(json_extract_string(resource_attributes, ?) = ?)");
      candidateParams.add(ResourceFilter.jsonPath(q.resource().key()));
      candidateParams.add(q.resource().value());
    }
    if (q.minDurationMs() != null) {
      candidates.append(" AND max(end_ns) - min(start_ns) >= ?");
      candidateParams.add((long) (q.minDurationMs() * 1_000_000));
    }
    String callErrors = "trace_id IN (SELECT trace_id FROM llm_calls WHERE is_error AND start_ns >= ? AND start_ns < ?)";
    if ("error".equals(q.status())) {
      candidates.append(" AND (bool_or(status = 'ERROR') OR ").append(callErrors).append(")");
      candidateParams.addAll(List.of(lo, callHi));
    } else if ("ok".equals(q.status())) {
      candidates.append(" AND NOT bool_or(status = 'ERROR') AND NOT ").append(callErrors);
      candidateParams.addAll(List.of(lo, callHi));
    }
    candidates.append(" ORDER BY coalesce(min(start_ns) FILTER (WHERE parent_span_id IS NULL), min(start_ns)) DESC,"
        + " trace_id LIMIT ?");
    candidateParams.add(q.limit() * 2 + 20);
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("WITH t AS (SELECT trace_id, " + rootName + " AS root_name, "
        + rootService + " AS root_service,"
        + " coalesce(min(start_ns) FILTER (WHERE parent_span_id IS NULL), min(start_ns)) AS trace_start,"
        + " min(start_ns) AS min_start, max(end_ns) AS max_end, count(*) AS span_count,"
        + " bool_or(status = 'ERROR') AS span_error FROM spans"
        + " WHERE trace_id IN (SELECT unnest(?::VARCHAR[]))");
    sql.append(" GROUP BY trace_id),"
        + " c AS (SELECT trace_id, count(*) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
        + " sum(cost_total) FILTER (WHERE cost_status = 'priced') AS cost, bool_or(is_error) AS call_error"
        + " FROM llm_calls WHERE trace_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY trace_id)"
        + " SELECT t.*, coalesce(c.calls, 0) AS calls, coalesce(c.input_tokens, 0) AS input_tokens,"
        + " coalesce(c.output_tokens, 0) AS output_tokens, c.cost, coalesce(c.call_error, false) AS call_error"
        + " FROM t LEFT JOIN c ON t.trace_id = c.trace_id WHERE trace_start >= ? AND trace_start < ?");
    params.add(lo);
    params.add(hi);
    if (q.service() != null) {
      sql.append(" AND root_service = ?");
      params.add(q.service());
    }
    if (q.route() != null) {
      sql.append(" AND root_name = ?");
      params.add(q.route());
    }
    if (q.minDurationMs() != null) {
      sql.append(" AND max_end - min_start >= ?");
      params.add((long) (q.minDurationMs() * 1_000_000));
    }
    if (q.minCostUsd() != null) {
      sql.append(" AND c.cost >= ?");
      params.add(q.minCostUsd());
    }
    if ("error".equals(q.status())) {
      sql.append(" AND (span_error OR coalesce(c.call_error, false))");
    } else if ("ok".equals(q.status())) {
      sql.append(" AND NOT (span_error OR coalesce(c.call_error, false))");
    }
    sql.append(" ORDER BY trace_start DESC, t.trace_id LIMIT ?");
    params.add(q.limit());
    return store.read("traces", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, candidates.toString(), candidateParams); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      List<TraceSummary> out = new ArrayList<>();
      if (ids.isEmpty()) {
        return out;
      }
      List<Object> all = new ArrayList<>(params.size() + 2);
      Array idArray = c.createArrayOf("VARCHAR", ids.toArray());
      all.add(idArray);
      all.add(idArray);
      all.addAll(params);
      try (PreparedStatement ps = prepare(c, sql.toString(), all); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new TraceSummary(rs.getString("trace_id"), rs.getString("root_name"), rs.getString("root_service"),
              instant(rs.getLong("trace_start")), (rs.getLong("max_end") - rs.getLong("min_start")) / 1_000_000.0,
              rs.getInt("span_count"), rs.getInt("calls"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
              CallRows.plain(rs.getBigDecimal("cost")), rs.getBoolean("span_error") || rs.getBoolean("call_error")));
        }
      }
      return out;
    });
  }

  public Optional<TraceDetail> trace(String traceId, boolean details) {
    if (traceId == null) {
      return Optional.empty();
    }
    return store.read("trace " + traceId, c -> {
      List<Span> spans = spans(c, traceId, null, details);
      return spans.isEmpty() ? Optional.<TraceDetail>empty() : Optional.of(new TraceDetail(traceId, List.copyOf(spans)));
    });
  }

  /**
   * Several traces at once, as {@link #trace} reads each (same spans, order and calls), with one
   * query per table for all of them; ids not stored (and nulls) are absent from the map.
   */
  public Map<String, TraceDetail> traces(Collection<String> traceIds, boolean details) {
    Set<String> ids = new LinkedHashSet<>();
    if (traceIds != null) {
      for (String id : traceIds) {
        if (id != null) {
          ids.add(id);
        }
      }
    }
    if (ids.isEmpty()) {
      return Map.of();
    }
    return store.read("traces " + ids.size(), c -> {
      Array idArray = c.createArrayOf("VARCHAR", ids.toArray());
      List<long[]> ranges = index.ranges(c, idArray);
      Map<String, TraceDetail> out = new LinkedHashMap<>();
      if (ranges != null && ranges.isEmpty()) {
        return out;
      }
      Map<String, Map<String, LlmCall>> calls = new HashMap<>();
      List<Object> callParams = new ArrayList<>();
      String callSql = TraceIndex.byTraces("SELECT " + (details ? CallRows.COLUMNS : CallRows.COLUMNS_WITHOUT_CONTENT)
          + " FROM llm_calls", ranges, callParams, idArray);
      try (PreparedStatement ps = prepare(c, callSql, callParams); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          calls.computeIfAbsent(rs.getString("trace_id"), k -> new HashMap<>())
              .put(rs.getString("span_id"), CallRows.read(rs));
        }
      }
      Map<String, List<Span>> spans = new HashMap<>();
      List<Object> spanParams = new ArrayList<>();
      String spanSql = "SELECT * FROM (" + TraceIndex.byTraces("SELECT " + (details ? SpanRows.SPAN_COLUMNS
          : SpanRows.SPAN_COLUMNS_WITHOUT_DETAILS) + ", has_llm, seq FROM spans", ranges, spanParams, idArray)
          + ") AS s ORDER BY trace_id, start_ns, seq, span_id";
      try (PreparedStatement ps = prepare(c, spanSql, spanParams); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Span s = SpanRows.readSpan(rs);
          Span whole = rs.getBoolean("has_llm") ? s.withLlm(calls.getOrDefault(s.traceId(), Map.of()).get(s.spanId())) : s;
          spans.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(whole);
        }
      }
      for (String id : ids) { // in the caller's order
        List<Span> of = spans.get(id);
        if (of != null) {
          out.put(id, new TraceDetail(id, List.copyOf(of)));
        }
      }
      return out;
    });
  }

  public Optional<Span> span(String traceId, String spanId) {
    if (traceId == null || spanId == null) {
      return Optional.empty();
    }
    return store.read("span " + spanId, c -> spans(c, traceId, spanId, true).stream().findFirst());
  }

  /** The spans of a trace (or its one span {@code spanId}) in start order, each with its call. */
  private List<Span> spans(Connection c, String traceId, String spanId, boolean details) throws SQLException {
    List<long[]> ranges = index.ranges(c, traceId);
    if (ranges != null && ranges.isEmpty()) {
      return List.of();
    }
    String only = spanId == null ? "" : " AND span_id = ?";
    List<Object> onlyParams = spanId == null ? List.of() : List.of(spanId);
    Map<String, LlmCall> calls = new HashMap<>();
    List<Object> callParams = new ArrayList<>();
    String callSql = TraceIndex.byTrace("SELECT " + (details ? CallRows.COLUMNS : CallRows.COLUMNS_WITHOUT_CONTENT)
        + " FROM llm_calls", ranges, callParams, traceId, only, onlyParams);
    try (PreparedStatement ps = prepare(c, callSql, callParams); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        calls.put(rs.getString("span_id"), CallRows.read(rs));
      }
    }
    List<Span> spans = new ArrayList<>();
    List<Object> spanParams = new ArrayList<>();
    String spanSql = "SELECT * FROM (" + TraceIndex.byTrace("SELECT " + (details ? SpanRows.SPAN_COLUMNS
        : SpanRows.SPAN_COLUMNS_WITHOUT_DETAILS) + ", has_llm, seq FROM spans", ranges, spanParams, traceId, only, onlyParams)
        + ") AS s ORDER BY start_ns, seq, span_id";
    try (PreparedStatement ps = prepare(c, spanSql, spanParams); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Span s = SpanRows.readSpan(rs);
        spans.add(rs.getBoolean("has_llm") ? s.withLlm(calls.get(s.spanId())) : s);
      }
    }
    return spans;
  }

  public List<ResourceValue> resourceValues(Instant since, Instant until, String key, int limit) {
    String path = ResourceFilter.jsonPath(key);
    long lo = nanos(since, Long.MIN_VALUE);
    long hi = nanos(until, Long.MAX_VALUE);
    return store.read("resource values of " + key, c -> {
      List<Object> params = List.of(path, lo, hi, Math.max(1, Math.min(limit, 10_000)));
      try (PreparedStatement ps = prepare(c, "SELECT v, count(*) AS spans, count(DISTINCT trace_id) AS traces FROM"
          + " (SELECT json_extract_string(resource_attributes, ?) AS v, trace_id FROM spans"
          + " WHERE start_ns >= ? AND start_ns < ?) AS r WHERE v IS NOT NULL GROUP BY v ORDER BY spans DESC, v LIMIT ?",
          params); ResultSet rs = ps.executeQuery()) {
        List<ResourceValue> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new ResourceValue(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
        return out;
      }
    });
  }

  public List<UnmappedKey> unmappedAttributes(Instant since, Instant until, int limit) {
    long lo = nanos(since, Long.MIN_VALUE);
    long hi = nanos(until, Long.MAX_VALUE);
    return store.read("unmapped attributes", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT k, count(*) AS spans, max(start_ns) AS last_ns FROM"
          + " (SELECT unnest(from_json(unmapped_attributes, '[\"VARCHAR\"]')) AS k, start_ns FROM spans"
          + " WHERE start_ns >= ? AND start_ns < ? AND unmapped_attributes <> '[]') AS u"
          + " GROUP BY k ORDER BY spans DESC, k LIMIT ?")) {
        ps.setLong(1, lo);
        ps.setLong(2, hi);
        ps.setInt(3, Math.max(1, Math.min(limit, 10_000)));
        List<UnmappedKey> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new UnmappedKey(rs.getString(1), rs.getLong(2), instant(rs.getLong(3))));
          }
        }
        return out;
      }
    });
  }
}
