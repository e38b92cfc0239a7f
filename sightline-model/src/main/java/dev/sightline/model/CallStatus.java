package dev.sightline.model;

import java.util.Locale;

/** Outcome of an LLM call. */
public enum CallStatus {
  OK, ERROR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CallStatus fromWire(String s) {
    return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
