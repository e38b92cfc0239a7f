package dev.sightline.alerts.anomaly;

import dev.sightline.store.CostFigures;
import dev.sightline.store.CostQuery.Dimension;
import java.time.Instant;
import java.util.Map;

/**
 * One UTC hour of LLM cost as the store sums it: the totals (split by token bucket), the groups of
 * each watched dimension (null keys read {@value #NO_KEY}), and the input tokens with their cached part.
 */
public record HourlyCost(Instant hour, CostFigures total, Map<Dimension, Map<String, CostFigures>> groups,
    long inputTokens, long cacheReadTokens) {

  /** The key of the calls that did not carry the dimension's attribute. */
  public static final String NO_KEY = "(none)";

  public HourlyCost {
    total = total == null ? CostFigures.NONE : total;
    groups = groups == null ? Map.of() : Map.copyOf(groups);
  }

  /** An hour without calls. */
  public static HourlyCost empty(Instant hour) {
    return new HourlyCost(hour, CostFigures.NONE, Map.of(), 0, 0);
  }

  /** USD of the priced calls, 0 when none was priced (unpriced calls are left out, never $0). */
  public double costUsd() {
    return total.costUsd() == null ? 0 : total.costUsd().doubleValue();
  }

  /** Calls that had a cost: the traffic the cost figures describe. */
  public long pricedCalls() {
    return total.pricedCalls();
  }
}
