package dev.sightline.alerts.anomaly;

import java.time.Instant;

/**
 * A cost anomaly: what kind, when ({@code start} inclusive to {@code end} exclusive: one hour, or the
 * last 24 hours for a drift), how far above the baseline, and why.
 */
public record CostAnomaly(Kind kind, Instant start, Instant end, double ratio, double observedUsd,
    double baselineUsd, Explanation explanation) {

  public enum Kind {
    /** Same traffic (calls within the tolerance of the baseline's), cost per call N× its baseline. */
    SAME_TRAFFIC_COST_PER_CALL,
    /** Cost per hour above median + k·MAD and at least the minimum ratio. */
    COST_SPIKE,
    /** The daily median of cost per hour has stayed above its baseline for days and reached the drift ratio. */
    SLOW_DRIFT
  }

  /** One line for people: the kind and the explanation's text. */
  public String summary() {
    String label = switch (kind) {
      case SAME_TRAFFIC_COST_PER_CALL -> "same traffic, higher cost per call";
      case COST_SPIKE -> "cost spike";
      case SLOW_DRIFT -> "slow drift";
    };
    return label + ": " + explanation.text();
  }
}
