package dev.sightline.alerts.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A budget's cumulative spend over its window (one point per day, per hour for windows up to 48 h,
 * the last one at now) and the forecast line from now to the window's end.
 */
public record BurnDown(Budget budget, Instant windowStart, Instant windowEnd, List<Point> spent,
    List<Point> forecast) {

  /** Cumulative spend at {@code t}. */
  public record Point(Instant t, BigDecimal usd) {}
}
