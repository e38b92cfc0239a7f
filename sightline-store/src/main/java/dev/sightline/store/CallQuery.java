package dev.sightline.store;

import java.time.Instant;

/**
 * Filters for the LLM call list; null means "no filter". {@code model} matches the request or the
 * response model; {@code status} is {@code ok} or {@code error}.
 */
public record CallQuery(String traceId, String provider, String model, String service, String status,
    Instant since, Instant until, int limit) {
  public CallQuery {
    limit = limit <= 0 ? 100 : Math.min(limit, 10_000);
  }

  public static CallQuery forTrace(String traceId) {
    return new CallQuery(traceId, null, null, null, null, null, null, 10_000);
  }
}
