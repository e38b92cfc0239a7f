package dev.sightline.model;

import java.util.List;
import java.util.Map;

/**
 * One span as received, plus what normalization derived from it: its category, the LLM call it
 * represents (if any) and the attribute keys that no mapping claimed (kept, never dropped).
 *
 * <p>Ids are lower-case hex (32 chars for trace ids, 16 for span ids); {@code parentSpanId} is
 * null for a root span. Times are Unix epoch nanoseconds.
 */
public record Span(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    SpanStatus status,
    String statusMessage,
    String service,
    String scopeName,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes,
    List<SpanEvent> events,
    SpanCategory category,
    LlmCall llm,
    List<String> unmappedAttributes) {

  public Span {
    attributes = attributes == null ? Map.of() : attributes;
    resourceAttributes = resourceAttributes == null ? Map.of() : resourceAttributes;
    events = events == null ? List.of() : events;
    unmappedAttributes = unmappedAttributes == null ? List.of() : unmappedAttributes;
    if (parentSpanId != null && parentSpanId.isEmpty()) {
      parentSpanId = null;
    }
  }

  /** A span as a receiver decoded it, before normalization. */
  public static Span received(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      SpanKind kind,
      long startEpochNanos,
      long endEpochNanos,
      SpanStatus status,
      String statusMessage,
      String service,
      String scopeName,
      Map<String, Object> attributes,
      Map<String, Object> resourceAttributes,
      List<SpanEvent> events) {
    return new Span(traceId, spanId, parentSpanId, name, kind, startEpochNanos, endEpochNanos, status,
        statusMessage, service, scopeName, attributes, resourceAttributes, events, null, null, null);
  }

  public boolean isRoot() {
    return parentSpanId == null;
  }

  public double durationMs() {
    return (endEpochNanos - startEpochNanos) / 1_000_000.0;
  }

  public Span withNormalized(SpanCategory category, LlmCall llm, List<String> unmappedAttributes) {
    return new Span(traceId, spanId, parentSpanId, name, kind, startEpochNanos, endEpochNanos, status,
        statusMessage, service, scopeName, attributes, resourceAttributes, events, category, llm,
        unmappedAttributes);
  }

  public Span withLlm(LlmCall llm) {
    return new Span(traceId, spanId, parentSpanId, name, kind, startEpochNanos, endEpochNanos, status,
        statusMessage, service, scopeName, attributes, resourceAttributes, events, category, llm,
        unmappedAttributes);
  }

  public Span withEvents(List<SpanEvent> events) {
    return new Span(traceId, spanId, parentSpanId, name, kind, startEpochNanos, endEpochNanos, status,
        statusMessage, service, scopeName, attributes, resourceAttributes, events, category, llm,
        unmappedAttributes);
  }
}
