package dev.sightline.alerts.notify;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert state change to tell people about, independent of how the alert was computed.
 *
 * @param alertKey identity of the alert instance (rule id plus group); de-duplication is by this key and status
 * @param ruleName human name of the rule
 * @param group the group the alert is about (for example {@code route=/chat}), empty when the rule is not grouped
 * @param severity free text such as {@code warning} or {@code critical}
 * @param status firing or resolved
 * @param at when the alert reached this status
 * @param summary one line for people
 * @param details further labels and figures, in the order given
 */
public record Notice(String alertKey, String ruleName, String group, String severity, Status status,
                     Instant at, String summary, Map<String, String> details) {

  /** Whether the alert is firing or has resolved. */
  public enum Status {
    FIRING, RESOLVED;

    /** The lower-case word used in payloads. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Notice {
    ruleName = ruleName == null ? "" : ruleName;
    group = group == null ? "" : group;
    severity = severity == null ? "" : severity;
    summary = summary == null ? "" : summary;
    // Keep the caller's order for display, drop null entries rather than fail on them.
    Map<String, String> copy = new LinkedHashMap<>();
    if (details != null) {
      details.forEach((k, v) -> {
        if (k != null && v != null) {
          copy.put(k, v);
        }
      });
    }
    details = Collections.unmodifiableMap(copy);
  }

  /** Why this notice cannot be sent, or null when it can. */
  String problem() {
    if (alertKey == null || alertKey.isBlank()) {
      return "notice has no alertKey";
    }
    if (status == null) {
      return "notice " + alertKey + " has no status";
    }
    if (at == null) {
      return "notice " + alertKey + " has no time";
    }
    return null;
  }
}
