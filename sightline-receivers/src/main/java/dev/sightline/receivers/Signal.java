package dev.sightline.receivers;

import com.google.protobuf.Descriptors.Descriptor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** The three OTLP signals, with the names they go by on the wire and in the counters. */
enum Signal {
  TRACES("spans", "/v1/traces", "rejectedSpans", ExportTraceServiceRequest.getDescriptor()),
  LOGS("logs", "/v1/logs", "rejectedLogRecords", ExportLogsServiceRequest.getDescriptor()),
  METRICS("metrics", "/v1/metrics", "rejectedDataPoints", ExportMetricsServiceRequest.getDescriptor());

  /** The signal name in {@link dev.sightline.pipeline.IngestCounters}. */
  final String counterName;
  final String httpPath;
  /** The partial_success field counting rejected records, in OTLP/JSON spelling. */
  final String rejectedJsonField;
  final Descriptor requestType;

  Signal(String counterName, String httpPath, String rejectedJsonField, Descriptor requestType) {
    this.counterName = counterName;
    this.httpPath = httpPath;
    this.rejectedJsonField = rejectedJsonField;
    this.requestType = requestType;
  }

  /** What the records are called in messages. */
  String noun() {
    return switch (this) {
      case TRACES -> "span(s)";
      case LOGS -> "log record(s)";
      case METRICS -> "data point(s)";
    };
  }
}
