package dev.sightline.alerts.watch;

import dev.sightline.alerts.anomaly.CostAnomaly;
import dev.sightline.alerts.anomaly.CostAnomalyDetector;
import dev.sightline.alerts.rules.Severity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the anomaly detector's verdicts into signals of rule {@code cost-anomaly}, one group per
 * kind: the last complete hour is checked once, when the loop first runs in the next hour, and the
 * drift once a day; a kind fires for the hour it was found in and resolves at the next normal check.
 */
final class AnomalyWatch implements AlertSource {
  static final String RULE_ID = "cost-anomaly";
  static final String RULE_NAME = "Cost anomaly";

  private final CostAnomalyDetector detector;
  private Instant checkedHour;
  private Instant checkedDay;
  private AlertSignal drift;
  private List<AlertSignal> current = List.of();

  AnomalyWatch(CostAnomalyDetector detector) {
    this.detector = detector;
  }

  /**
   * The signals after the checks due at {@code now}; the same as last time when no hour has ended
   * since, so a firing anomaly stays firing for its hour.
   */
  @Override
  public List<AlertSignal> signals(Instant now) {
    Instant lastHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    if (lastHour.equals(checkedHour)) {
      return current;
    }
    checkedHour = lastHour;
    Instant day = now.truncatedTo(ChronoUnit.DAYS);
    if (!day.equals(checkedDay)) {
      checkedDay = day;
      drift = detector.checkDrift(now.truncatedTo(ChronoUnit.HOURS)).map(AnomalyWatch::signal).orElse(null);
    }
    List<AlertSignal> out = new ArrayList<>();
    detector.check(lastHour).map(AnomalyWatch::signal).ifPresent(out::add);
    if (drift != null) {
      out.add(drift);
    }
    current = List.copyOf(out);
    return current;
  }

  static String group(CostAnomaly.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static AlertSignal signal(CostAnomaly a) {
    BigDecimal ratio = Double.isFinite(a.ratio()) ? new BigDecimal(a.ratio(), MathContext.DECIMAL64) : null;
    return new AlertSignal(RULE_ID, RULE_NAME, group(a.kind()), Severity.WARNING, true, ratio,
        a.summary() + " (" + a.start() + " to " + a.end() + ")");
  }
}
