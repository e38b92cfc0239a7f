package dev.sightline.model;

/**
 * Token usage as disjoint buckets that add up to the truth (ARCHITECTURE.md §4).
 *
 * <p>Input tokens = inputUncached + inputCacheRead + inputCacheWrite5m + inputCacheWrite1h;
 * output tokens = outputText + outputReasoning. Totals are always derived, never stored apart.
 * A cache write whose TTL the source does not say is counted as 5-minute (the providers' default).
 *
 * @param inferredExclusive the source should have reported inclusive input tokens but its cache
 *     tokens exceeded its input tokens, so they were read as exclusive
 * @param rejectedReason non-null when the reported numbers could not be made into buckets (e.g.
 *     they would have made a bucket negative); all buckets are then zero
 */
public record Usage(
    long inputUncached,
    long inputCacheRead,
    long inputCacheWrite5m,
    long inputCacheWrite1h,
    long outputText,
    long outputReasoning,
    UsageSource source,
    boolean inferredExclusive,
    String rejectedReason) {

  public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, UsageSource.NONE, false, null);

  public Usage {
    if (inputUncached < 0 || inputCacheRead < 0 || inputCacheWrite5m < 0 || inputCacheWrite1h < 0
        || outputText < 0 || outputReasoning < 0) {
      throw new IllegalArgumentException("token buckets must not be negative");
    }
    source = source == null ? UsageSource.NONE : source;
  }

  public static Usage rejected(String reason) {
    return new Usage(0, 0, 0, 0, 0, 0, UsageSource.NONE, false, reason);
  }

  public static Usage reported(long inputUncached, long cacheRead, long cacheWrite5m, long cacheWrite1h,
      long outputText, long outputReasoning) {
    return new Usage(inputUncached, cacheRead, cacheWrite5m, cacheWrite1h, outputText, outputReasoning,
        UsageSource.REPORTED, false, null);
  }

  public long inputTokens() {
    return inputUncached + inputCacheRead + inputCacheWrite5m + inputCacheWrite1h;
  }

  public long outputTokens() {
    return outputText + outputReasoning;
  }

  public long totalTokens() {
    return inputTokens() + outputTokens();
  }

  public long cacheWriteTokens() {
    return inputCacheWrite5m + inputCacheWrite1h;
  }

  public boolean hasTokens() {
    return source != UsageSource.NONE;
  }
}
