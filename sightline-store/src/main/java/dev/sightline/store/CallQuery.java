package dev.sightline.store;

import java.time.Instant;

/**
 * Filters for the LLM call list; null means "no filter". {@code model} matches the request or the
 * response model; {@code status} is {@code ok} or {@code error}; {@code text} is a case-insensitive
 * substring of the prompt, the response or the system instructions; {@code score} keeps the calls
 * whose latest score of that name passes the filter. Newest first unless {@code oldestFirst} (a
 * session's calls in order).
 */
public record CallQuery(String traceId, String spanId, String provider, String model, String service, String route,
    String sessionId, String userId, String status, String text, Instant since, Instant until, boolean oldestFirst,
    int limit, ScoreFilter score) {
  public CallQuery {
    limit = limit <= 0 ? 100 : Math.min(limit, 10_000);
  }

  public CallQuery(String traceId, String spanId, String provider, String model, String service, String route,
      String sessionId, String userId, String status, String text, Instant since, Instant until, boolean oldestFirst,
      int limit) {
    this(traceId, spanId, provider, model, service, route, sessionId, userId, status, text, since, until, oldestFirst,
        limit, null);
  }

  public CallQuery(String traceId, String provider, String model, String service, String status, Instant since,
      Instant until, int limit) {
    this(traceId, null, provider, model, service, null, null, null, status, null, since, until, false, limit);
  }

  public static CallQuery forTrace(String traceId) {
    return new CallQuery(traceId, null, null, null, null, null, null, 10_000);
  }
}
