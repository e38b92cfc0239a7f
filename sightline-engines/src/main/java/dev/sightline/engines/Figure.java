package dev.sightline.engines;

import java.util.Optional;

/**
 * The canonical engine figures, whatever an engine calls them: gauges as they are, counters as a
 * rate per second, histograms as quantiles in milliseconds, the prefix-cache hit rate as a ratio.
 */
public enum Figure {
  /** Share of the KV cache in use, 0..1. */
  KV_CACHE_USAGE("kvCacheUsage", "ratio"),
  REQUESTS_RUNNING("requestsRunning", "requests"),
  REQUESTS_WAITING("requestsWaiting", "requests"),
  PREEMPTIONS("preemptionsPerSec", "1/s"),
  /** Hits ÷ queries of the prefix cache (counters) in the window, or the engine's own hit-rate gauge. */
  PREFIX_CACHE_HIT_RATE("prefixCacheHitRate", "ratio"),
  TTFT("ttft", "ms"),
  /** Time per output token (inter-token latency). */
  ITL("itl", "ms"),
  E2E("e2e", "ms"),
  PROMPT_TOKENS("promptTokensPerSec", "tokens/s"),
  GENERATION_TOKENS("generationTokensPerSec", "tokens/s");

  private final String key;
  private final String unit;

  Figure(String key, String unit) {
    this.key = key;
    this.unit = unit;
  }

  /** The JSON name; a latency's is a stem ({@code ttft}) that takes {@code P50Ms} / {@code P95Ms}. */
  public String key() {
    return key;
  }

  public String unit() {
    return unit;
  }

  /** Whether the figure is a latency distribution (read as quantiles). */
  public boolean latency() {
    return this == TTFT || this == ITL || this == E2E;
  }

  /**
   * A figure as the series API names it: {@code kvCacheUsage}, {@code preemptionsPerSec}…, and a
   * latency with its quantile ({@code ttftP95Ms}, {@code itlP50Ms}). Empty for anything else.
   */
  public static Optional<Named> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (Figure f : values()) {
      if (!f.latency() && f.key.equals(name)) {
        return Optional.of(new Named(f, null));
      }
      if (f.latency() && name.startsWith(f.key + "P") && name.endsWith("Ms")) {
        String q = name.substring(f.key.length() + 1, name.length() - 2);
        if (q.equals("50") || q.equals("90") || q.equals("95") || q.equals("99")) {
          return Optional.of(new Named(f, Integer.parseInt(q) / 100.0));
        }
      }
    }
    return Optional.empty();
  }

  /** A figure with the quantile a latency is read at (null for the others). */
  public record Named(Figure figure, Double quantile) {}
}
