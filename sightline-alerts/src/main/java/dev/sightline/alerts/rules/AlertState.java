package dev.sightline.alerts.rules;

import java.util.Locale;

/** Where one (rule, group) stands: breached not long enough yet is pending, then firing, then resolved. */
public enum AlertState {
  INACTIVE, PENDING, FIRING, RESOLVED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
