package dev.sightline.model;

import java.util.Locale;

/** Outcome of an LLM call. */
public enum CallStatus {
  OK, ERROR;

  // Computed once: wire() runs for every stored row.
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static CallStatus fromWire(String s) {
    return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
