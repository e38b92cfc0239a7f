package dev.sightline.model;

import java.util.Map;

/**
 * A timestamped event on a span: an OTLP span event, or a log record (e.g. a GenAI event) that
 * carried the span's trace and span id and was joined to it.
 */
public record SpanEvent(String name, long timeEpochNanos, Map<String, Object> attributes, Object body) {
  public SpanEvent {
    attributes = attributes == null ? Map.of() : attributes;
  }

  public SpanEvent(String name, long timeEpochNanos, Map<String, Object> attributes) {
    this(name, timeEpochNanos, attributes, null);
  }
}
