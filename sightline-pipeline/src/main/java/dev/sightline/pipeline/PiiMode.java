package dev.sightline.pipeline;

import java.util.Locale;

/**
 * What the pipeline does with prompt and response content before storage (ARCHITECTURE.md §2,
 * "redact"): {@link #MASK} (the default) replaces personal data and secrets with typed masks such
 * as {@code [email]}; {@link #DROP} stores no content at all; {@link #OFF} stores it as received.
 */
public enum PiiMode {
  OFF, MASK, DROP;

  /** The mode named {@code off}, {@code mask} or {@code drop} (any case). */
  public static PiiMode parse(String name) {
    if (name != null) {
      for (PiiMode m : values()) {
        if (m.name().equalsIgnoreCase(name.trim())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException("PII mode must be off, mask or drop (got " + name + "), e.g. --pii mask");
  }

  /** The name as written in configuration. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
