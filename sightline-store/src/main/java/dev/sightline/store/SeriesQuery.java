package dev.sightline.store;

import java.time.Instant;

/**
 * An LLM time series: calls starting in [since, until) (null bounds mean open) in UTC-aligned
 * buckets of {@code stepNanos}, per group ({@code groupBy} null: one group of every call), the first
 * {@code limit} groups by cost, then calls. {@code percentiles} false skips the latency histograms.
 */
public record SeriesQuery(GroupBy groupBy, Instant since, Instant until, long stepNanos, int limit,
    boolean percentiles) {
  public SeriesQuery {
    if (stepNanos <= 0) {
      throw new IllegalArgumentException("a series step must be positive");
    }
    limit = limit <= 0 ? 10 : Math.min(limit, 1000);
  }
}
