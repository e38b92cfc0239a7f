package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.pipeline.IngestCounters;
import org.junit.jupiter.api.Test;

/** Logs and metrics report unusable records by their own partial-success fields and keep the rest. */
class LogsAndMetricsPartialSuccessTest extends ReceiverTestSupport {

  @Test
  void logWithBadTraceIdIsRejectedAndTheOthersKept() throws Exception {
    long before = counters.get("otlp-http", "logs", IngestCounters.Outcome.REJECTED);
    var r = postJson("/v1/logs", """
        {"resourceLogs":[{"scopeLogs":[{"logRecords":[
          {"timeUnixNano":"5","eventName":"gen_ai.user.message","body":{"stringValue":"hi"},
           "severityNumber":"SEVERITY_NUMBER_WARN","traceId":"5b8efff798038103d269b633813fc60c"},
          {"timeUnixNano":"6","traceId":"5b8eff","body":{"stringValue":"bad"}}]}]}]}
        """);
    assertThat(r.status().code()).isEqualTo(200);
    var partial = json(r).get("partialSuccess");
    assertThat(partial.get("rejectedLogRecords").asText()).isEqualTo("1");
    assertThat(partial.get("errorMessage").asText()).contains("trace_id must be 16 bytes");
    assertThat(ingest.logs()).singleElement().satisfies(l -> {
      assertThat(l.eventName()).isEqualTo("gen_ai.user.message");
      assertThat(l.severityNumber()).isEqualTo(13);
      assertThat(l.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
      assertThat(l.toSpanEvent().body()).isEqualTo("hi");
    });
    assertThat(counters.get("otlp-http", "logs", IngestCounters.Outcome.REJECTED) - before).isEqualTo(1);
  }

  @Test
  void histogramWithMismatchedBucketsIsRejectedAndSummaryDecoded() throws Exception {
    var r = postJson("/v1/metrics", """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"vllm"}}]},
          "scopeMetrics":[{"metrics":[
            {"name":"bad.histogram","histogram":{"dataPoints":[
              {"count":"3","bucketCounts":["1","1","1"],"explicitBounds":[1]},
              {"count":"2","bucketCounts":["1","1"],"explicitBounds":[1],"timeUnixNano":"9"}]}},
            {"name":"latency.summary","summary":{"dataPoints":[
              {"count":"4","sum":2.5,"timeUnixNano":"10","quantileValues":[{"quantile":0.5,"value":0.6}]}]}},
            {"name":"queue","sum":{"isMonotonic":false,"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE",
              "dataPoints":[{"asInt":"17","timeUnixNano":"11"},{"timeUnixNano":"12"}]}}]}]}]}
        """);
    assertThat(r.status().code()).isEqualTo(200);
    var partial = json(r).get("partialSuccess");
    assertThat(partial.get("rejectedDataPoints").asText()).isEqualTo("2");
    assertThat(partial.get("errorMessage").asText())
        .contains("histogram 'bad.histogram': 3 bucket counts for 1 explicit bounds (expected 2)")
        .contains("sum 'queue': data point has neither as_double nor as_int");
    assertThat(ingest.metrics()).extracting(MetricPoint::name)
        .containsExactly("bad.histogram", "latency.summary", "queue");
    MetricPoint summary = ingest.metrics().get(1);
    assertThat(summary.type()).isEqualTo(MetricType.SUMMARY);
    assertThat(summary.count()).isEqualTo(4L);
    assertThat(summary.sum()).isEqualTo(2.5);
    assertThat(summary.service()).isEqualTo("vllm");
    MetricPoint queue = ingest.metrics().get(2);
    assertThat(queue.value()).isEqualTo(17.0);
    assertThat(queue.monotonic()).isFalse();
  }
}
