package dev.sightline.pricing;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import java.math.BigDecimal;

/**
 * The rule that compares a cost the source reported ({@code llm.cost.total}, {@code gen_ai.usage.cost},
 * …) with the one Sightline computed: they disagree when they differ by more than 1% of the computed
 * cost. Exact decimal arithmetic, no tolerance beyond that.
 */
public final class ReportedCost {

  private static final BigDecimal ONE_PERCENT = new BigDecimal("0.01");

  private ReportedCost() {}

  /**
   * Whether the reported and computed costs disagree: true or false when the call has both a
   * reported cost and a computed (priced) one; null when there is nothing to compare.
   */
  public static Boolean mismatch(Cost cost) {
    if (cost == null || cost.reportedUsd() == null || cost.status() != CostStatus.PRICED || cost.totalUsd() == null) {
      return null;
    }
    BigDecimal difference = cost.reportedUsd().subtract(cost.totalUsd()).abs();
    return difference.compareTo(cost.totalUsd().abs().multiply(ONE_PERCENT)) > 0;
  }
}
