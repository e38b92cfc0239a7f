package dev.sightline.alerts.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A spend limit for one scope over one period. {@code scopeValue} is null for {@link Scope#PROJECT}.
 * Without {@code hard} the budget only alerts (soft at {@code softPct} %, exhausted at 100 %).
 */
public record Budget(String name, Scope scope, String scopeValue, Period period, BigDecimal limitUsd, int softPct,
    boolean hard) {

  /** What the budget's calls have in common. */
  public enum Scope {
    PROJECT, SERVICE, ROUTE, USER;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A calendar month (UTC) when {@code rolling} is null, else the last {@code rolling} up to now. */
  public record Period(Duration rolling) {
    public static final Period MONTH = new Period(null);

    public boolean monthly() {
      return rolling == null;
    }

    /** The window holding {@code now}: a month's bounds, or {@code [now - rolling, now]}. */
    public Window window(Instant now) {
      if (rolling != null) {
        return new Window(now.minus(rolling), now);
      }
      YearMonth m = YearMonth.from(now.atOffset(ZoneOffset.UTC));
      return new Window(m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
          m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** As a spec writes it: {@code month}, hours up to 48 ({@code 24h}), else days ({@code 7d}). */
    public String wire() {
      if (rolling == null) {
        return "month";
      }
      long h = rolling.toHours();
      return h % 24 == 0 && h > 48 ? h / 24 + "d" : h + "h";
    }
  }

  /** A budget window {@code [start, end)}. */
  public record Window(Instant start, Instant end) {}

  public Budget {
    limitUsd = limitUsd.scale() < 2 ? limitUsd.setScale(2, RoundingMode.UNNECESSARY) : limitUsd;
  }

  /** Whether a call with these attributes counts against this budget. */
  public boolean covers(String service, String route, String user) {
    return switch (scope) {
      case PROJECT -> true;
      case SERVICE -> scopeValue.equals(service);
      case ROUTE -> scopeValue.equals(route);
      case USER -> scopeValue.equals(user);
    };
  }

  /** The soft threshold in USD. */
  public BigDecimal softUsd() {
    return limitUsd.multiply(BigDecimal.valueOf(softPct)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_EVEN);
  }

  /** "route /chat", "project". */
  public String scopeLabel() {
    return scopeValue == null ? scope.wire() : scope.wire() + " " + scopeValue;
  }
}
