package dev.sightline.server.config;

import java.util.Locale;

/**
 * Server-wide retention defaults ({@code --retention}, {@code --content-retention}): days of raw data
 * and of captured content kept; null keeps forever. Projects may override them.
 */
public record RetentionConfig(Integer dataDays, Integer contentDays) {
  public static final RetentionConfig OFF = new RetentionConfig(null, null);
  static final int MAX_DAYS = 36_500;

  public RetentionConfig {
    check("--retention", dataDays);
    check("--content-retention", contentDays);
  }

  /** Parses {@code DAYS} (1 to 36500, an optional trailing {@code d}) or {@code off}. */
  public static Integer days(String option, String value) {
    String v = value == null ? "off" : value.trim().toLowerCase(Locale.ROOT);
    if (v.isEmpty() || v.equals("off")) {
      return null;
    }
    if (v.endsWith("d")) {
      v = v.substring(0, v.length() - 1).trim();
    }
    int days;
    try {
      days = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(option + " must be a number of days (e.g. 30) or off; got '" + value + "'");
    }
    check(option, days);
    return days;
  }

  private static void check(String option, Integer days) {
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw new ConfigException(option + " must be between 1 and " + MAX_DAYS + " days, or off; got " + days);
    }
  }
}
