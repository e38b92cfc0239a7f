package dev.sightline.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Filters for the trace list; null means "no filter". {@code service} and {@code route} match the
 * root span's service and name; {@code model}, {@code sessionId}, {@code userId} and {@code text}
 * (a case-insensitive substring of a prompt or response) match any LLM call of the trace;
 * {@code status} is {@code ok} or {@code error}; {@code minCostUsd} bounds the trace's priced cost;
 * {@code resource} keeps traces with a span in the window whose resource attribute has that value.
 */
public record TraceQuery(Instant since, Instant until, String service, String route, String model, String status,
    Double minDurationMs, BigDecimal minCostUsd, String sessionId, String userId, String text, int limit,
    ResourceFilter resource) {
  public TraceQuery {
    limit = limit <= 0 ? 100 : Math.min(limit, 10_000);
  }

  public TraceQuery(Instant since, Instant until, String service, String route, String model, String status,
      Double minDurationMs, BigDecimal minCostUsd, String sessionId, String userId, String text, int limit) {
    this(since, until, service, route, model, status, minDurationMs, minCostUsd, sessionId, userId, text, limit, null);
  }

  public TraceQuery(Instant since, Instant until, String service, int limit) {
    this(since, until, service, null, null, null, null, null, null, null, null, limit);
  }
}
