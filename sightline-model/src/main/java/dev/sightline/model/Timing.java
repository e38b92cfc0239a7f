package dev.sightline.model;

/**
 * When a call happened and how fast it generated (ARCHITECTURE.md §5). Times are Unix epoch
 * nanoseconds.
 *
 * @param ttftNanos time from request start to the first generated token, null when unknown
 * @param lastTokenEpochNanos when the last token arrived; null means "at the end of the call"
 * @param maxInterTokenGapNanos the longest pause between two tokens, null when not measured
 */
public record Timing(
    long startEpochNanos,
    long endEpochNanos,
    Long ttftNanos,
    TtftSource ttftSource,
    Long lastTokenEpochNanos,
    Long maxInterTokenGapNanos) {

  public Timing {
    if (ttftNanos == null) {
      ttftSource = null;
    }
  }

  public static Timing of(long startEpochNanos, long endEpochNanos) {
    return new Timing(startEpochNanos, endEpochNanos, null, null, null, null);
  }

  public double durationMs() {
    return (endEpochNanos - startEpochNanos) / 1_000_000.0;
  }

  public Double ttftMs() {
    return ttftNanos == null ? null : ttftNanos / 1_000_000.0;
  }

  /** Nanoseconds from the first token to the last one, null when TTFT is unknown. */
  Long decodeNanos() {
    if (ttftNanos == null) {
      return null;
    }
    long last = lastTokenEpochNanos != null ? lastTokenEpochNanos : endEpochNanos;
    long d = last - (startEpochNanos + ttftNanos);
    return d < 0 ? null : d;
  }

  /** Time per output token, (tn − t1) / (N − 1); null when N ≤ 1 or TTFT is unknown. */
  public Double tpotMs(long outputTokens) {
    Long d = decodeNanos();
    if (d == null || outputTokens <= 1) {
      return null;
    }
    return d / 1_000_000.0 / (outputTokens - 1);
  }

  /** Decode speed of this call, (N − 1) / (tn − t1); null when undefined. */
  public Double outputTokensPerSecond(long outputTokens) {
    Long d = decodeNanos();
    if (d == null || d == 0 || outputTokens <= 1) {
      return null;
    }
    return (outputTokens - 1) / (d / 1_000_000_000.0);
  }

  public Double maxInterTokenGapMs() {
    return maxInterTokenGapNanos == null ? null : maxInterTokenGapNanos / 1_000_000.0;
  }
}
