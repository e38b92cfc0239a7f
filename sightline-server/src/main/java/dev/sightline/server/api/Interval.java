package dev.sightline.server.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A time-series step: {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}…, or {@code auto} for the window. */
final class Interval {
  private static final Pattern STEP = Pattern.compile("^(\\d{1,4})(m|h|d)$");
  /** The steps auto chooses from, smallest first. */
  private static final long[] AUTO_STEPS_MINUTES = {1, 5, 15, 60, 180, 360, 720, 1440};

  private Interval() {}

  /** The step in nanoseconds. */
  static long parse(String value, Duration window) {
    if (value == null || value.isBlank() || value.trim().equals("auto")) {
      long minutes = Math.max(1, window.toMinutes());
      for (long step : AUTO_STEPS_MINUTES) {
        if (minutes / step <= 120) {
          return step * 60_000_000_000L;
        }
      }
      long days = Math.max(1, window.toDays() / 120 + 1);
      return days * 86_400_000_000_000L;
    }
    Matcher m = STEP.matcher(value.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new ApiException(400, "invalid_parameter", "'interval' must be auto or a step such as 1m, 5m, 15m, 1h,"
          + " 1d; got '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 86_400_000_000_000L;
    };
    return n * unit;
  }
}
