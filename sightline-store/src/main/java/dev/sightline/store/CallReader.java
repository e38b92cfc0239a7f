package dev.sightline.store;

import static dev.sightline.store.Sql.equal;
import static dev.sightline.store.Sql.nanos;
import static dev.sightline.store.Sql.prepare;

import dev.sightline.model.LlmCall;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the LLM call list with its filters. */
public final class CallReader {
  private final StoreReads store;
  private final TraceIndex index;

  CallReader(DuckDbStore store, TraceIndex index) {
    this(StoreReads.of(store), index);
  }

  /** A reader for an engine without DuckDB's trace index. */
  public CallReader(StoreReads store) {
    this(store, new TraceIndex(false));
  }

  private CallReader(StoreReads store, TraceIndex index) {
    this.store = store;
    this.index = index;
  }

  public List<LlmCall> calls(CallQuery q) {
    List<Object> params = new ArrayList<>();
    StringBuilder where = new StringBuilder(" AND true");
    equal(where, params, "span_id", q.spanId());
    equal(where, params, "provider", q.provider());
    if (q.model() != null) {
      where.append(" AND (request_model = ? OR response_model = ?)");
      params.add(q.model());
      params.add(q.model());
    }
    equal(where, params, "service", q.service());
    equal(where, params, "route", q.route());
    equal(where, params, "session_id", q.sessionId());
    equal(where, params, "user_id", q.userId());
    if (q.status() != null) {
      where.append(" AND status = ?");
      params.add(q.status().toLowerCase(Locale.ROOT));
    }
    if (q.text() != null) {
      where.append(" AND (contains(lower(content_input), lower(?)) OR contains(lower(content_output), lower(?))"
          + " OR contains(lower(content_system), lower(?)))");
      params.addAll(List.of(q.text(), q.text(), q.text()));
    }
    if (q.since() != null) {
      where.append(" AND start_ns >= ?");
      params.add(nanos(q.since(), Long.MIN_VALUE));
    }
    if (q.until() != null) {
      where.append(" AND start_ns < ?");
      params.add(nanos(q.until(), Long.MAX_VALUE));
    }
    where.append(ScoreReader.callFilter(q.score(), params));
    String order = q.oldestFirst() ? " ORDER BY start_ns, seq, span_id LIMIT ?" : " ORDER BY start_ns DESC, seq DESC, span_id LIMIT ?";
    return store.read("LLM calls", c -> {
      List<Object> all = new ArrayList<>();
      String sql;
      if (q.traceId() != null) {
        List<long[]> ranges = index.ranges(c, q.traceId());
        if (ranges != null && ranges.isEmpty()) {
          return new ArrayList<LlmCall>();
        }
        // the trace's branches, each with the other filters
        String branches = TraceIndex.byTrace("SELECT " + CallRows.COLUMNS + ", start_ns, seq FROM llm_calls", ranges, all,
            q.traceId(), where.toString(), params);
        sql = "SELECT * FROM (" + branches + ") AS c" + order;
      } else {
        sql = "SELECT " + CallRows.COLUMNS + " FROM llm_calls WHERE true" + where + order;
        all.addAll(params);
      }
      all.add(q.limit());
      List<LlmCall> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, sql, all); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(CallRows.read(rs));
        }
      }
      return out;
    });
  }
}
