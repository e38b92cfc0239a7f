package dev.sightline.store;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The cost of a set of LLM calls, exact, split by token bucket.
 *
 * <p>{@code pricedCalls} had a cost; {@code unpricedCalls} had no price for their model; the rest
 * ({@code calls − pricedCalls − unpricedCalls}) had a price but no usable token counts. The USD
 * amounts sum the priced calls only and are null when none was priced: a set of unpriced calls
 * never reads as $0.
 */
public record CostFigures(long calls, long pricedCalls, long unpricedCalls, BigDecimal costUsd, BigDecimal inputUsd,
    BigDecimal cacheReadUsd, BigDecimal cacheWriteUsd, BigDecimal outputUsd, BigDecimal reasoningUsd) {

  /** Scale of the per-call averages (1e-18 USD, the storage precision), rounded half-even. */
  public static final int AVERAGE_SCALE = 18;

  public static final CostFigures NONE = new CostFigures(0, 0, 0, null, null, null, null, null, null);

  /** Both sets together, exactly. */
  public CostFigures plus(CostFigures o) {
    return new CostFigures(calls + o.calls, pricedCalls + o.pricedCalls, unpricedCalls + o.unpricedCalls,
        add(costUsd, o.costUsd), add(inputUsd, o.inputUsd), add(cacheReadUsd, o.cacheReadUsd),
        add(cacheWriteUsd, o.cacheWriteUsd), add(outputUsd, o.outputUsd), add(reasoningUsd, o.reasoningUsd));
  }

  /** Average cost of a priced call (unpriced calls are not counted as $0); null when none was priced. */
  public BigDecimal costPerCallUsd() {
    return average(BigDecimal.ONE);
  }

  /** Cost of 1,000 priced calls at this set's average; null when none was priced. */
  public BigDecimal costPer1kCallsUsd() {
    return average(BigDecimal.valueOf(1000));
  }

  private BigDecimal average(BigDecimal times) {
    if (costUsd == null || pricedCalls == 0) {
      return null;
    }
    return CallRows.plain(costUsd.multiply(times).divide(BigDecimal.valueOf(pricedCalls), AVERAGE_SCALE,
        RoundingMode.HALF_EVEN));
  }

  private static BigDecimal add(BigDecimal a, BigDecimal b) {
    return a == null ? b : b == null ? a : CallRows.plain(a.add(b));
  }
}
