package dev.sightline.model;

import java.util.Locale;

/** What a span does, for the trace breakdown (where did the time go). */
public enum SpanCategory {
  LLM, EMBEDDING, RETRIEVAL, RERANK, TOOL, AGENT, WORKFLOW, GUARDRAIL, HTTP, DB, OTHER;

  /** Lower-case name used in the API and the store. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SpanCategory fromWire(String s) {
    return s == null ? OTHER : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
