package dev.sightline.store;

import java.time.Instant;

/**
 * The LLM summary's grouping, window (null bounds mean open), order and size: the first
 * {@code limit} groups by {@code sort}, descending. {@code percentiles} false leaves the latency,
 * TTFT and TPOT percentiles empty: much cheaper for groupings without hourly histograms (users,
 * sessions) over long windows.
 */
public record SummaryQuery(GroupBy groupBy, Instant since, Instant until, Sort sort, int limit, boolean percentiles) {
  public enum Sort {
    CALLS, COST, ERRORS;

    public static Sort parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("sort must be one of calls, cost, errors; got '" + s + "'");
      }
    }
  }

  public SummaryQuery {
    limit = limit <= 0 ? 1000 : Math.min(limit, 10_000);
  }

  public SummaryQuery(GroupBy groupBy, Instant since, Instant until, Sort sort, int limit) {
    this(groupBy, since, until, sort, limit, true);
  }

  public SummaryQuery(GroupBy groupBy, Instant since, Instant until) {
    this(groupBy, since, until, Sort.CALLS, 1000, true);
  }
}
