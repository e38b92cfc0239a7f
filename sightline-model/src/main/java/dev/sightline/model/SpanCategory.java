package dev.sightline.model;

import java.util.Locale;

/**
 * What a span does, for the trace breakdown (where did the time go). {@code BROWSER} spans come from
 * the real-user agent (page loads, fetches as the user saw them, web vitals, JS errors).
 */
public enum SpanCategory {
  LLM, EMBEDDING, RETRIEVAL, RERANK, TOOL, AGENT, WORKFLOW, GUARDRAIL, HTTP, DB, BROWSER, OTHER;

  // Computed once: wire() runs for every stored row.
  private final String wire = name().toLowerCase(Locale.ROOT);

  /** Lower-case name used in the API and the store. */
  public String wire() {
    return wire;
  }

  public static SpanCategory fromWire(String s) {
    return s == null ? OTHER : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
