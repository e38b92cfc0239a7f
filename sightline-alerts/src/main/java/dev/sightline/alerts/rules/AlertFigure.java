package dev.sightline.alerts.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an alert rule watches: a figure of the LLM calls in the window, a quality score or an engine / GPU series. */
public enum AlertFigure {
  /** USD per hour: the window's exact cost scaled to one hour. */
  COST_PER_HOUR,
  /** Average USD of a priced call. */
  COST_PER_CALL,
  /** Input plus output tokens. */
  TOKENS,
  CALLS,
  /** Share (0..1) of calls that failed with an HTTP 4xx status. */
  ERROR_RATE_4XX,
  /** Share (0..1) of calls that failed with an HTTP 5xx status. */
  ERROR_RATE_5XX,
  LATENCY_P95_MS,
  TTFT_P95_MS,
  TPOT_P95_MS,
  /** Share (0..1) of the evaluated calls whose latest score of the rule's score name is flagged. */
  QUALITY_FLAGGED_RATE,
  /** A metric series (engine, GPU) by name and aggregation, over the whole window. */
  METRIC;

  /** The lower-case name used in JSON and config. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Which store query reads this figure. */
  Source source() {
    return switch (this) {
      case COST_PER_HOUR, COST_PER_CALL -> Source.COST;
      case QUALITY_FLAGGED_RATE -> Source.QUALITY;
      case METRIC -> Source.METRIC;
      default -> Source.SUMMARY;
    };
  }

  enum Source { SUMMARY, COST, QUALITY, METRIC }

  static Optional<AlertFigure> parse(String s) {
    String v = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return Arrays.stream(values()).filter(f -> f.name().equals(v)).findFirst();
  }

  static String valid() {
    return Arrays.stream(values()).map(AlertFigure::wire).collect(Collectors.joining(", "));
  }
}
