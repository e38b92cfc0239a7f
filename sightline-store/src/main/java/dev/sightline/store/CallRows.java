package dev.sightline.store;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/**
 * The {@code llm_calls} row of an {@link LlmCall}: flat columns for every field (so that reading
 * one back reproduces it exactly) plus what queries aggregate (start, hour, model, latency, TTFT,
 * TPOT and tokens/s computed once at write, and their histogram bins).
 */
public final class CallRows {
  private CallRows() {}

  static final long HOUR_NS = 3_600_000_000_000L;
  /** Costs are exact to 18 decimal places (1e-18 USD); finer digits are rounded half-even. */
  static final int COST_SCALE = 18;

  /** The columns {@link #read} expects, in order. */
  public static final String COLUMNS = String.join(", ",
      "trace_id", "span_id", "provider", "operation", "request_model", "response_model", "streaming",
      "input_uncached", "input_cache_read", "input_cache_write_5m", "input_cache_write_1h", "output_text",
      "output_reasoning", "usage_source", "inferred_exclusive", "usage_rejected_reason",
      "has_timing", "timing_start_ns", "timing_end_ns", "ttft_ns", "ttft_source", "last_token_ns", "max_gap_ns",
      "has_cost", "cost_status", "cost_total", "cost_input", "cost_cache_read", "cost_cache_write", "cost_output",
      "cost_reasoning", "price_key", "cost_reason", "cost_reported",
      "status", "http_status", "error_type", "finish_reasons",
      "has_context", "ctx_trace_id", "ctx_span_id", "ctx_service", "route", "session_id", "user_id",
      "prompt_name", "prompt_version", "tags",
      "content_input", "content_output", "content_system", "content_tools", "service_tier");
  /** {@link #COLUMNS} with the captured content left empty. */
  public static final String COLUMNS_WITHOUT_CONTENT = COLUMNS.replace("content_input", "NULL AS content_input")
      .replace("content_output", "NULL AS content_output").replace("content_system", "NULL AS content_system")
      .replace("content_tools", "NULL AS content_tools");

  static long hourOf(long epochNanos) {
    return Math.floorDiv(epochNanos, HOUR_NS) * HOUR_NS;
  }

  /** When a call starts: its own timing, else its span's start. */
  public static long startOf(Span span, LlmCall call) {
    return call.timing() != null ? call.timing().startEpochNanos() : span.startEpochNanos();
  }

  /** Appends one row in the table's column order; {@code route} may differ from the context's. */
  static void append(DuckDBAppender a, long seq, Span span, LlmCall call, String route) throws SQLException {
    append(new DuckDbRowSink(a), seq, span, call, route, true);
  }

  /**
   * {@link #append(DuckDBAppender, long, Span, LlmCall, String)} for a table that may predate schema
   * version 4 ({@code withServiceTier} false: no {@code service_tier} column; migration tests only).
   */
  static void append(DuckDBAppender a, long seq, Span span, LlmCall call, String route, boolean withServiceTier)
      throws SQLException {
    append(new DuckDbRowSink(a), seq, span, call, route, withServiceTier);
  }

  /** The {@code llm_calls} row of {@code call} into any engine's {@code sink}, in the table's column order. */
  public static void append(RowSink a, long seq, Span span, LlmCall call, String route, boolean withServiceTier)
      throws SQLException {
    Usage u = call.usage();
    Timing t = call.timing();
    Cost c = call.cost();
    Outcome o = call.outcome();
    CallContext ctx = call.context();
    Content content = call.content();
    long start = startOf(span, call);
    double latencyMs = t != null ? t.durationMs() : span.durationMs();
    Double ttftMs = t == null ? null : t.ttftMs();
    Double tpotMs = t == null ? null : t.tpotMs(u.outputTokens());
    Double tps = t == null ? null : t.outputTokensPerSecond(u.outputTokens());

    a.beginRow();
    a.int8(seq);
    str(a, span.traceId());
    str(a, span.spanId());
    a.int8(start);
    a.int8(hourOf(start));
    str(a, call.provider());
    str(a, call.operation());
    str(a, call.requestModel());
    str(a, call.responseModel());
    str(a, call.model());
    bool(a, call.streaming());
    a.int8(u.inputUncached());
    a.int8(u.inputCacheRead());
    a.int8(u.inputCacheWrite5m());
    a.int8(u.inputCacheWrite1h());
    a.int8(u.outputText());
    a.int8(u.outputReasoning());
    a.int8(u.inputTokens());
    a.int8(u.outputTokens());
    a.text(u.source().wire());
    a.bool(u.inferredExclusive());
    str(a, u.rejectedReason());
    a.bool(t != null);
    lng(a, t == null ? null : t.startEpochNanos());
    lng(a, t == null ? null : t.endEpochNanos());
    lng(a, t == null ? null : t.ttftNanos());
    str(a, t == null || t.ttftSource() == null ? null : t.ttftSource().wire());
    lng(a, t == null ? null : t.lastTokenEpochNanos());
    lng(a, t == null ? null : t.maxInterTokenGapNanos());
    a.float8(latencyMs);
    dbl(a, ttftMs);
    dbl(a, tpotMs);
    dbl(a, tps);
    a.int2(LatencyHistogram.binOf(latencyMs));
    shrt(a, ttftMs == null ? null : LatencyHistogram.binOf(ttftMs));
    shrt(a, tpotMs == null ? null : LatencyHistogram.binOf(tpotMs));
    a.bool(c != null);
    str(a, c == null || c.status() == null ? null : c.status().wire());
    dec(a, c == null ? null : c.totalUsd());
    dec(a, c == null ? null : c.inputUsd());
    dec(a, c == null ? null : c.cacheReadUsd());
    dec(a, c == null ? null : c.cacheWriteUsd());
    dec(a, c == null ? null : c.outputUsd());
    dec(a, c == null ? null : c.reasoningUsd());
    str(a, c == null ? null : c.priceKey());
    str(a, c == null ? null : c.reason());
    dec(a, c == null ? null : c.reportedUsd());
    a.text(o.status().wire());
    a.bool(o.status() == CallStatus.ERROR);
    if (o.httpStatus() == null) {
      a.nul();
    } else {
      a.int4(o.httpStatus().intValue());
    }
    str(a, o.errorType());
    a.text(ValueJson.writeStrings(o.finishReasons()));
    a.bool(ctx != null);
    str(a, ctx == null ? null : ctx.traceId());
    str(a, ctx == null ? null : ctx.spanId());
    str(a, ctx == null ? null : ctx.service());
    str(a, ctx != null && ctx.service() != null ? ctx.service() : span.service());
    str(a, route);
    str(a, ctx == null ? null : ctx.sessionId());
    str(a, ctx == null ? null : ctx.userId());
    str(a, ctx == null ? null : ctx.promptName());
    str(a, ctx == null ? null : ctx.promptVersion());
    str(a, ctx == null ? null : ValueJson.writeStrings(ctx.tags()));
    str(a, content.inputMessagesJson());
    str(a, content.outputMessagesJson());
    str(a, content.systemInstructionsJson());
    str(a, content.toolDefinitionsJson());
    if (withServiceTier) {
      str(a, call.serviceTier());
    }
    a.endRow();
  }

  /** Reads the call at the current row; columns as in {@link #COLUMNS}. */
  public static LlmCall read(ResultSet rs) throws SQLException {
    Usage usage = new Usage(rs.getLong("input_uncached"), rs.getLong("input_cache_read"),
        rs.getLong("input_cache_write_5m"), rs.getLong("input_cache_write_1h"), rs.getLong("output_text"),
        rs.getLong("output_reasoning"), UsageSource.fromWire(rs.getString("usage_source")),
        rs.getBoolean("inferred_exclusive"), rs.getString("usage_rejected_reason"));
    Timing timing = null;
    if (rs.getBoolean("has_timing")) {
      timing = new Timing(rs.getLong("timing_start_ns"), rs.getLong("timing_end_ns"), lng(rs, "ttft_ns"),
          TtftSource.fromWire(rs.getString("ttft_source")), lng(rs, "last_token_ns"), lng(rs, "max_gap_ns"));
    }
    Cost cost = null;
    if (rs.getBoolean("has_cost")) {
      cost = new Cost(CostStatus.fromWire(rs.getString("cost_status")), dec(rs, "cost_total"), dec(rs, "cost_input"),
          dec(rs, "cost_cache_read"), dec(rs, "cost_cache_write"), dec(rs, "cost_output"), dec(rs, "cost_reasoning"),
          rs.getString("price_key"), rs.getString("cost_reason"), dec(rs, "cost_reported"));
    }
    int http = rs.getInt("http_status");
    Integer httpStatus = rs.wasNull() ? null : http;
    Outcome outcome = new Outcome(CallStatus.fromWire(rs.getString("status")), httpStatus, rs.getString("error_type"),
        ValueJson.readStrings(rs.getString("finish_reasons")));
    CallContext context = null;
    if (rs.getBoolean("has_context")) {
      context = new CallContext(rs.getString("ctx_trace_id"), rs.getString("ctx_span_id"), rs.getString("ctx_service"),
          rs.getString("route"), rs.getString("session_id"), rs.getString("user_id"), rs.getString("prompt_name"),
          rs.getString("prompt_version"), ValueJson.readStrings(rs.getString("tags")));
    }
    Content content = new Content(rs.getString("content_input"), rs.getString("content_output"),
        rs.getString("content_system"), rs.getString("content_tools"));
    boolean streaming = rs.getBoolean("streaming");
    Boolean streamingOrNull = rs.wasNull() ? null : streaming;
    return new LlmCall(rs.getString("provider"), rs.getString("operation"), rs.getString("request_model"),
        rs.getString("response_model"), streamingOrNull, usage, timing, cost, outcome, context, content,
        rs.getString("service_tier"));
  }

  static void str(RowSink a, String s) throws SQLException {
    if (s == null) {
      a.nul();
    } else {
      a.text(Text.clean(s));
    }
  }

  static void lng(RowSink a, Long v) throws SQLException {
    if (v == null) {
      a.nul();
    } else {
      a.int8(v);
    }
  }

  static void dbl(RowSink a, Double v) throws SQLException {
    if (v == null) {
      a.nul();
    } else {
      a.float8(v);
    }
  }

  static void shrt(RowSink a, Short v) throws SQLException {
    if (v == null) {
      a.nul();
    } else {
      a.int2(v);
    }
  }

  static void bool(RowSink a, Boolean v) throws SQLException {
    if (v == null) {
      a.nul();
    } else {
      a.bool(v);
    }
  }

  /** A cost at the storage scale, rounded half-even below 1e-18 USD. */
  static void dec(RowSink a, BigDecimal v) throws SQLException {
    if (v == null) {
      a.nul();
    } else {
      a.decimal(v.setScale(COST_SCALE, RoundingMode.HALF_EVEN));
    }
  }

  static Long lng(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }

  /** A stored decimal without the storage scale's trailing zeros ({@code 0.5}, not {@code 0.500…}). */
  static BigDecimal dec(ResultSet rs, String col) throws SQLException {
    return plain(rs.getBigDecimal(col));
  }

  static BigDecimal plain(BigDecimal v) {
    if (v == null) {
      return null;
    }
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
