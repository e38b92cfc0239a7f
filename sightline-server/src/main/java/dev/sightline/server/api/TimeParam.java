package dev.sightline.server.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code since} / {@code until}: ISO-8601 instants, or relative to now like -1h, -7d, -30m. */
final class TimeParam {
  private static final Pattern RELATIVE = Pattern.compile("^-(\\d{1,9})(ms|s|m|h|d|w)$");

  private TimeParam() {}

  static Instant parse(String name, String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.equals("now")) {
      return now;
    }
    Matcher m = RELATIVE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw new ApiException(400, "invalid_parameter", "'" + name + "' must be an ISO-8601 time such as "
            + "2026-11-27T10:00:00Z, or relative to now such as -15m, -1h, -7d; got '" + value + "'");
      }
    }
  }
}
