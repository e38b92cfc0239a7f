package dev.sightline.receivers;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Small valid OTLP requests of every signal that start the OTLP fuzzers off, built here so that the
 * fuzz targets need no files from outside the repository. The first byte of each seed picks the
 * signal (its value modulo 3, in {@link Signal} order); the rest is the body.
 */
final class OtlpSeeds {
  private static final ByteString TRACE = ByteString.copyFrom(HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736"));
  private static final ByteString SPAN = ByteString.copyFrom(HexFormat.of().parseHex("00f067aa0ba902b7"));

  private OtlpSeeds() {}

  static List<byte[]> protobuf() {
    return List.of(
        withSignal(Signal.TRACES, traces().toByteArray()),
        withSignal(Signal.LOGS, logs().toByteArray()),
        withSignal(Signal.METRICS, metrics().toByteArray()));
  }

  static List<byte[]> json() {
    return List.of(
        withSignal(Signal.TRACES, """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"chat"}}]},
             "scopeSpans":[{"scope":{"name":"openai","version":"1"},"spans":[
              {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","parentSpanId":"",
               "name":"chat gpt-4o","kind":3,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000",
               "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},
                {"key":"gen_ai.request.temperature","value":{"doubleValue":0.5}},
                {"key":"flags","value":{"arrayValue":{"values":[{"boolValue":true},{"bytesValue":"AAE="}]}}}],
               "events":[{"timeUnixNano":"1700000000500000000","name":"gen_ai.content.prompt",
                "attributes":[{"key":"gen_ai.prompt","value":{"stringValue":"hi"}}]}],
               "links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b8"}],
               "status":{"code":"STATUS_CODE_ERROR","message":"boom"}}]}]}]}
            """),
        withSignal(Signal.LOGS, """
            {"resourceLogs":[{"resource":{},"scopeLogs":[{"logRecords":[
              {"timeUnixNano":"1700000000000000000","observedTimeUnixNano":"1700000000000000001",
               "severityNumber":9,"severityText":"INFO","traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
               "spanId":"00f067aa0ba902b7","body":{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}}]}},
               "attributes":[{"key":"event.name","value":{"stringValue":"gen_ai.user.message"}}]}]}]}]}
            """),
        withSignal(Signal.METRICS, """
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
              {"name":"g","unit":"1","gauge":{"dataPoints":[{"asDouble":1.5,"timeUnixNano":"1"}]}},
              {"name":"s","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asInt":"3","timeUnixNano":"1"}]}},
              {"name":"h","histogram":{"aggregationTemporality":1,"dataPoints":[
                {"count":"3","sum":2.5,"bucketCounts":["1","2"],"explicitBounds":[1.0],"timeUnixNano":"1"}]}},
              {"name":"e","exponentialHistogram":{"dataPoints":[
                {"count":"2","scale":1,"zeroCount":"0","positive":{"offset":1,"bucketCounts":["2"]},"timeUnixNano":"1"}]}},
              {"name":"q","summary":{"dataPoints":[
                {"count":"2","sum":3,"quantileValues":[{"quantile":0.5,"value":1}],"timeUnixNano":"1"}]}}]}]}]}
            """));
  }

  private static byte[] withSignal(Signal signal, String json) {
    return withSignal(signal, json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] withSignal(Signal signal, byte[] body) {
    byte[] seed = new byte[body.length + 1];
    seed[0] = (byte) signal.ordinal();
    System.arraycopy(body, 0, seed, 1, body.length);
    return seed;
  }

  private static KeyValue attr(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(attr("service.name", str("chat"))).build();
  }

  private static ExportTraceServiceRequest traces() {
    Span span = Span.newBuilder().setTraceId(TRACE).setSpanId(SPAN).setName("chat gpt-4o")
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(1_700_000_000_000_000_000L)
        .setEndTimeUnixNano(1_700_000_001_000_000_000L)
        .addAttributes(attr("gen_ai.usage.input_tokens", AnyValue.newBuilder().setIntValue(12).build()))
        .addAttributes(attr("gen_ai.request.temperature", AnyValue.newBuilder().setDoubleValue(0.5).build()))
        .addAttributes(attr("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setBoolValue(true))
            .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("b")))).build()))
        .addEvents(Span.Event.newBuilder().setName("gen_ai.content.prompt").setTimeUnixNano(5)
            .addAttributes(attr("gen_ai.prompt", str("hi"))))
        .addLinks(Span.Link.newBuilder().setTraceId(TRACE).setSpanId(SPAN))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource())
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("openai"))
            .addSpans(span).addSpans(span.toBuilder().setName("second").setParentSpanId(SPAN)))).build();
  }

  private static ExportLogsServiceRequest logs() {
    LogRecord record = LogRecord.newBuilder().setTimeUnixNano(1).setSeverityNumberValue(9).setSeverityText("INFO")
        .setTraceId(TRACE).setSpanId(SPAN)
        .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(attr("role", str("user")))))
        .addAttributes(attr("event.name", str("gen_ai.user.message"))).build();
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource())
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
  }

  private static ExportMetricsServiceRequest metrics() {
    NumberDataPoint number = NumberDataPoint.newBuilder().setAsDouble(1.5).setTimeUnixNano(1)
        .addAttributes(attr("gpu", str("0"))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource()).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("g").setUnit("1").setGauge(Gauge.newBuilder().addDataPoints(number)))
            .addMetrics(Metric.newBuilder().setName("s").setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporalityValue(2).addDataPoints(number.toBuilder().setAsInt(3))))
            .addMetrics(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                .setAggregationTemporalityValue(1).addDataPoints(HistogramDataPoint.newBuilder().setCount(3)
                    .setSum(2.5).addBucketCounts(1).addBucketCounts(2).addExplicitBounds(1.0))))
            .addMetrics(Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(2).setScale(1)
                    .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(2)))))
            .addMetrics(Metric.newBuilder().setName("q").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setCount(2).setSum(3)
                    .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1)))))))
        .build();
  }
}
