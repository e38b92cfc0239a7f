package dev.sightline.model;

import java.util.Locale;

/** Which signal gave a call's time to first token (ARCHITECTURE.md §5), in order of preference. */
public enum TtftSource {
  /** {@code gen_ai.response.time_to_first_chunk} (seconds). */
  TIME_TO_FIRST_CHUNK,
  /** Langfuse's {@code completion_start_time} attribute. */
  COMPLETION_START_TIME,
  /** A span event marking the first token. */
  FIRST_TOKEN_EVENT,
  /** Measured by Sightline's gateway on the wire. */
  GATEWAY;

  // Computed once: wire() runs for every stored row.
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static TtftSource fromWire(String s) {
    return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
