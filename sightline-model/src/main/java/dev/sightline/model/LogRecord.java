package dev.sightline.model;

import java.util.Map;

/**
 * One OTLP log record. GenAI events travel as log records with an {@code eventName}; when they
 * carry a trace and span id they are joined to that span as a {@link SpanEvent}.
 */
public record LogRecord(
    long timeEpochNanos,
    long observedEpochNanos,
    String traceId,
    String spanId,
    int severityNumber,
    String severityText,
    String eventName,
    Object body,
    String service,
    String scopeName,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes) {

  public LogRecord {
    attributes = attributes == null ? Map.of() : attributes;
    resourceAttributes = resourceAttributes == null ? Map.of() : resourceAttributes;
    if (traceId != null && traceId.isEmpty()) {
      traceId = null;
    }
    if (spanId != null && spanId.isEmpty()) {
      spanId = null;
    }
  }

  /** The event name: OTLP's top-level field, else the older {@code event.name} attribute. */
  public String effectiveEventName() {
    if (eventName != null && !eventName.isEmpty()) {
      return eventName;
    }
    Object n = attributes.get("event.name");
    return n == null ? null : n.toString();
  }

  /** The time to show: the event time, or when the collector observed it if unset. */
  public long effectiveTimeNanos() {
    return timeEpochNanos != 0 ? timeEpochNanos : observedEpochNanos;
  }

  public SpanEvent toSpanEvent() {
    return new SpanEvent(effectiveEventName() == null ? "log" : effectiveEventName(), effectiveTimeNanos(),
        attributes, body);
  }
}
