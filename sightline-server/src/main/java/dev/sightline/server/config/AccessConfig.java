package dev.sightline.server.config;

/**
 * Who may send and read data.
 *
 * @param keys true: every ingest request needs an ingest key and every API / UI request a read key,
 *     a session or the admin login; false ("open"): anyone who reaches the ports may do anything (the
 *     default for {@code ./sightline demo} only)
 * @param adminPassword the UI's admin password, or null (the first start in keys mode prints a token)
 */
public record AccessConfig(boolean keys, String adminPassword) {
  public static AccessConfig open() {
    return new AccessConfig(false, null);
  }

  public static AccessConfig keys(String adminPassword) {
    return new AccessConfig(true, adminPassword);
  }

  /** {@code open} or {@code keys}; {@code fallback} when null. */
  public static AccessConfig parse(String mode, String fallback, String adminPassword) {
    String m = mode == null || mode.isBlank() ? fallback : mode.trim();
    if (adminPassword != null && adminPassword.isBlank()) {
      adminPassword = null;
    }
    if (adminPassword != null && adminPassword.length() < 8) {
      throw new ConfigException("--admin-password must be at least 8 characters");
    }
    return switch (m) {
      case "open" -> new AccessConfig(false, adminPassword);
      case "keys" -> new AccessConfig(true, adminPassword);
      default -> throw new ConfigException("--auth must be 'keys' (ingest and read keys required) or 'open'"
          + " (no access control, for local use), got '" + m + "'");
    };
  }

  public String wire() {
    return keys ? "keys" : "open";
  }

  @Override
  public String toString() {
    return "AccessConfig[" + wire() + (adminPassword != null ? ", admin password set" : "") + "]";
  }
}
