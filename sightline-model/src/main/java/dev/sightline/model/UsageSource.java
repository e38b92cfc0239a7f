package dev.sightline.model;

import java.util.Locale;

/** Where token counts came from. */
public enum UsageSource {
  /** The provider or instrumentation reported them. */
  REPORTED,
  /** Sightline counted them with a tokenizer because the source reported none. */
  ESTIMATED,
  /** Nothing reported and nothing counted. */
  NONE;

  // Computed once: wire() runs for every stored row.
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static UsageSource fromWire(String s) {
    return s == null ? NONE : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
