package dev.sightline.model;

import java.util.List;

/**
 * What one receiver request carried, after decoding: the unit that flows through the pipeline and
 * is committed (and then acknowledged) as a whole.
 *
 * @param receiver which receiver produced it ({@code otlp-grpc}, {@code otlp-http}, {@code gateway}…)
 */
public record TelemetryBatch(String receiver, List<Span> spans, List<LogRecord> logs, List<MetricPoint> metrics) {
  public TelemetryBatch {
    spans = spans == null ? List.of() : spans;
    logs = logs == null ? List.of() : logs;
    metrics = metrics == null ? List.of() : metrics;
  }

  public static TelemetryBatch ofSpans(String receiver, List<Span> spans) {
    return new TelemetryBatch(receiver, spans, List.of(), List.of());
  }

  public static TelemetryBatch ofLogs(String receiver, List<LogRecord> logs) {
    return new TelemetryBatch(receiver, List.of(), logs, List.of());
  }

  public static TelemetryBatch ofMetrics(String receiver, List<MetricPoint> metrics) {
    return new TelemetryBatch(receiver, List.of(), List.of(), metrics);
  }

  public int size() {
    return spans.size() + logs.size() + metrics.size();
  }

  public TelemetryBatch withSpans(List<Span> newSpans) {
    return new TelemetryBatch(receiver, newSpans, logs, metrics);
  }
}
