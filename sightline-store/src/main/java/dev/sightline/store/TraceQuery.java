package dev.sightline.store;

import java.time.Instant;

/** Filters for the trace list; null means "no filter". */
public record TraceQuery(Instant since, Instant until, String service, int limit) {
  public TraceQuery {
    limit = limit <= 0 ? 100 : Math.min(limit, 10_000);
  }
}
