package dev.sightline.alerts.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Where a budget stands now. {@code forecastUsd} is the spend expected at the window's end at the
 * higher of two rates, named by {@code basis}: the whole elapsed window's, or the last 24 hours'.
 * For a rolling window {@code windowEnd} is now and the forecast is what the window holds after one
 * more full window at that rate.
 */
public record BudgetStatus(Budget budget, BigDecimal spentUsd, double spentPct, Instant windowStart,
    Instant windowEnd, BigDecimal forecastUsd, double forecastPct, ForecastBasis basis, State state,
    long refusals) {

  /** ok below the soft threshold, soft from it, exhausted at or over the limit. */
  public enum State {
    OK, SOFT, EXHAUSTED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Which spend rate the forecast extrapolates. */
  public enum ForecastBasis {
    WINDOW, LAST_24H;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
