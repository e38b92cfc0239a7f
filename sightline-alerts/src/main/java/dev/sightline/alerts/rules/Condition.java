package dev.sightline.alerts.rules;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * When a rule's figure is breached: compared with a threshold ({@code baseline} null), or, with a
 * baseline, its increase in percent over the same window one day or one week earlier is compared.
 */
public record Condition(Comparison comparison, BigDecimal value, Baseline baseline) {

  /** The comparison operator, written {@code >}, {@code >=}, {@code <}, {@code <=}. */
  public enum Comparison {
    GT(">"), GE(">="), LT("<"), LE("<=");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean test(BigDecimal left, BigDecimal right) {
      int c = left.compareTo(right);
      return switch (this) {
        case GT -> c > 0;
        case GE -> c >= 0;
        case LT -> c < 0;
        case LE -> c <= 0;
      };
    }
  }

  /** How far back the baseline window lies, written {@code 1d} or {@code 1w}. */
  public enum Baseline {
    DAY("1d", Duration.ofDays(1)), WEEK("1w", Duration.ofDays(7));

    private final String wire;
    private final Duration offset;

    Baseline(String wire, Duration offset) {
      this.wire = wire;
      this.offset = offset;
    }

    public String wire() {
      return wire;
    }

    public Duration offset() {
      return offset;
    }
  }

  /** As written in a rule: {@code > 0.05} or {@code increase_pct > 50 vs 1d}. */
  @Override
  public String toString() {
    String t = comparison.symbol() + " " + value.toPlainString();
    return baseline == null ? t : "increase_pct " + t + " vs " + baseline.wire();
  }
}
