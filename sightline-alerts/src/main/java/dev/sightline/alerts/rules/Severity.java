package dev.sightline.alerts.rules;

import java.util.Locale;

/** How urgent a firing rule is; notifications may route on it. */
public enum Severity {
  INFO, WARNING, CRITICAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
