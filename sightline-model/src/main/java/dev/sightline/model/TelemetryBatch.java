package dev.sightline.model;

import java.util.List;

/**
 * What one receiver request carried, after decoding: the unit that flows through the pipeline and
 * is committed (and then acknowledged) as a whole.
 *
 * @param receiver which receiver produced it ({@code otlp-grpc}, {@code otlp-http}, {@code gateway},
 *     {@code evaluators}…)
 * @param scores judgements of LLM calls: sent by clients beside their spans (extracted by the
 *     pipeline) or produced by Sightline's evaluators after the call was stored
 * @param project the project whose data this is (the one its ingest key belongs to);
 *     {@link #DEFAULT_PROJECT} when null or when access control is open
 */
public record TelemetryBatch(String receiver, List<Span> spans, List<LogRecord> logs, List<MetricPoint> metrics,
    List<Score> scores, String project) {
  /** The project of data sent without a key (open mode) and of the server's own data (scrapes, demo). */
  public static final String DEFAULT_PROJECT = "default";

  public TelemetryBatch {
    spans = spans == null ? List.of() : spans;
    logs = logs == null ? List.of() : logs;
    metrics = metrics == null ? List.of() : metrics;
    scores = scores == null ? List.of() : scores;
    project = project == null ? DEFAULT_PROJECT : project;
  }

  public TelemetryBatch(String receiver, List<Span> spans, List<LogRecord> logs, List<MetricPoint> metrics,
      List<Score> scores) {
    this(receiver, spans, logs, metrics, scores, DEFAULT_PROJECT);
  }

  public TelemetryBatch(String receiver, List<Span> spans, List<LogRecord> logs, List<MetricPoint> metrics) {
    this(receiver, spans, logs, metrics, List.of());
  }

  public static TelemetryBatch ofScores(String receiver, List<Score> scores) {
    return new TelemetryBatch(receiver, List.of(), List.of(), List.of(), scores);
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
    return spans.size() + logs.size() + metrics.size() + scores.size();
  }

  public TelemetryBatch withSpans(List<Span> newSpans) {
    return new TelemetryBatch(receiver, newSpans, logs, metrics, scores, project);
  }

  public TelemetryBatch withScores(List<Score> newScores) {
    return new TelemetryBatch(receiver, spans, logs, metrics, newScores, project);
  }

  /** This batch as data of {@code newProject} (null: the default project). */
  public TelemetryBatch withProject(String newProject) {
    return new TelemetryBatch(receiver, spans, logs, metrics, scores, newProject);
  }
}
