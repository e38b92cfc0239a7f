package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.pipeline.IngestCounters;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real OpenTelemetry Java SDK exporters land their data with exact ids, times and attributes. */
class OpenTelemetrySdkExportTest extends ReceiverTestSupport {
  private static final long START = 1_760_000_000_123_456_789L;
  private static final long END = START + 1_500_000_000L;
  private static final Resource RESOURCE = Resource.create(Attributes.of(
      AttributeKey.stringKey("service.name"), "rag-api", AttributeKey.stringKey("deployment.environment"), "test"));

  @Test
  void grpcSpanExporter() {
    exportAndCheckSpan(OtlpGrpcSpanExporter.builder().setEndpoint(server.httpUri().toString())
        .setTimeout(Duration.ofSeconds(10)).build(), "otlp-grpc");
  }

  @Test
  void httpProtobufSpanExporter() {
    exportAndCheckSpan(OtlpHttpSpanExporter.builder().setEndpoint(server.httpUri() + "/v1/traces")
        .setTimeout(Duration.ofSeconds(10)).build(), "otlp-http");
  }

  @Test
  void httpSpanExporterWithGzip() {
    exportAndCheckSpan(OtlpHttpSpanExporter.builder().setEndpoint(server.httpUri() + "/v1/traces")
        .setCompression("gzip").build(), "otlp-http");
  }

  @Test
  void grpcSpanExporterWithGzip() {
    exportAndCheckSpan(OtlpGrpcSpanExporter.builder().setEndpoint(server.httpUri().toString())
        .setCompression("gzip").build(), "otlp-grpc");
  }

  private void exportAndCheckSpan(SpanExporter exporter, String receiver) {
    long receivedBefore = counters.get(receiver, "spans", IngestCounters.Outcome.RECEIVED);
    SdkTracerProvider provider = SdkTracerProvider.builder().setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Span parent = provider.get("sightline-test").spanBuilder("POST /chat")
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
        .setStartTimestamp(START - 1000, TimeUnit.NANOSECONDS).startSpan();
    Span span = provider.get("sightline-test").spanBuilder("chat gpt-4o")
        .setParent(io.opentelemetry.context.Context.root().with(parent))
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
        .setStartTimestamp(START, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute("gen_ai.usage.input_tokens", 1234L)
        .setAttribute("gen_ai.request.temperature", 0.25)
        .setAttribute("gen_ai.response.streaming", true)
        .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop", "length"))
        .startSpan();
    span.addEvent("gen_ai.content.prompt", Attributes.of(AttributeKey.stringKey("gen_ai.prompt"), "hi"),
        START + 10, TimeUnit.NANOSECONDS);
    span.setStatus(StatusCode.ERROR, "rate limited");
    span.end(END, TimeUnit.NANOSECONDS);
    parent.end(END + 1000, TimeUnit.NANOSECONDS);
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(ingest.batches).allSatisfy(b -> assertThat(b.receiver()).isEqualTo(receiver));
    var spans = ingest.spans();
    assertThat(spans).hasSize(2);
    var got = spans.stream().filter(s -> s.name().equals("chat gpt-4o")).findFirst().orElseThrow();
    assertThat(got.traceId()).isEqualTo(span.getSpanContext().getTraceId()).hasSize(32);
    assertThat(got.spanId()).isEqualTo(span.getSpanContext().getSpanId()).hasSize(16);
    assertThat(got.parentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(got.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(got.startEpochNanos()).isEqualTo(START);
    assertThat(got.endEpochNanos()).isEqualTo(END);
    assertThat(got.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(got.statusMessage()).isEqualTo("rate limited");
    assertThat(got.service()).isEqualTo("rag-api");
    assertThat(got.scopeName()).isEqualTo("sightline-test");
    assertThat(got.resourceAttributes()).containsEntry("deployment.environment", "test");
    assertThat(got.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "gen_ai.request.model", "gpt-4o",
        "gen_ai.usage.input_tokens", 1234L,
        "gen_ai.request.temperature", 0.25,
        "gen_ai.response.streaming", true,
        "gen_ai.response.finish_reasons", List.of("stop", "length")));
    assertThat(got.events()).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("gen_ai.content.prompt");
      assertThat(e.timeEpochNanos()).isEqualTo(START + 10);
      assertThat(e.attributes()).containsEntry("gen_ai.prompt", "hi");
    });
    var root = spans.stream().filter(s -> s.name().equals("POST /chat")).findFirst().orElseThrow();
    assertThat(root.isRoot()).isTrue();
    assertThat(root.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(counters.get(receiver, "spans", IngestCounters.Outcome.RECEIVED) - receivedBefore).isEqualTo(2);
    assertThat(counters.bytes().get(receiver).sum()).isPositive();
  }

  @Test
  void httpLogExporter() {
    exportAndCheckLog(OtlpHttpLogRecordExporter.builder().setEndpoint(server.httpUri() + "/v1/logs").build(),
        "otlp-http");
  }

  @Test
  void grpcLogExporter() {
    exportAndCheckLog(OtlpGrpcLogRecordExporter.builder().setEndpoint(server.httpUri().toString()).build(),
        "otlp-grpc");
  }

  private void exportAndCheckLog(LogRecordExporter exporter, String receiver) {
    SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(RESOURCE)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
    provider.get("genai-events").logRecordBuilder()
        .setEventName("gen_ai.client.inference.operation.details")
        .setTimestamp(START, TimeUnit.NANOSECONDS)
        .setObservedTimestamp(END, TimeUnit.NANOSECONDS)
        .setSeverity(Severity.INFO)
        .setSeverityText("INFO")
        .setBody("the answer is 42")
        .setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 42L)
        .emit();
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    List<LogRecord> logs = ingest.logs();
    assertThat(logs).singleElement().satisfies(l -> {
      assertThat(l.eventName()).isEqualTo("gen_ai.client.inference.operation.details");
      assertThat(l.timeEpochNanos()).isEqualTo(START);
      assertThat(l.observedEpochNanos()).isEqualTo(END);
      assertThat(l.severityNumber()).isEqualTo(9);
      assertThat(l.severityText()).isEqualTo("INFO");
      assertThat(l.body()).isEqualTo("the answer is 42");
      assertThat(l.service()).isEqualTo("rag-api");
      assertThat(l.scopeName()).isEqualTo("genai-events");
      assertThat(l.attributes()).containsEntry("gen_ai.usage.output_tokens", 42L);
      assertThat(l.traceId()).isNull();
    });
    assertThat(ingest.batches).allSatisfy(b -> assertThat(b.receiver()).isEqualTo(receiver));
  }

  @Test
  void httpMetricExporter() {
    exportAndCheckMetrics(OtlpHttpMetricExporter.builder().setEndpoint(server.httpUri() + "/v1/metrics").build());
  }

  @Test
  void grpcMetricExporter() {
    exportAndCheckMetrics(OtlpGrpcMetricExporter.builder().setEndpoint(server.httpUri().toString()).build());
  }

  private void exportAndCheckMetrics(MetricExporter exporter) {
    PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
    SdkMeterProvider provider = SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build();
    var meter = provider.get("llm-metrics");
    Attributes model = Attributes.of(AttributeKey.stringKey("gen_ai.request.model"), "gpt-4o");
    meter.counterBuilder("gen_ai.client.token.usage.total").setUnit("{token}").build().add(1500, model);
    meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s").build().record(0.8, model);
    meter.gaugeBuilder("vllm.kv_cache.usage").build().set(0.5);
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    List<MetricPoint> points = ingest.metrics();
    MetricPoint counter = find(points, "gen_ai.client.token.usage.total");
    assertThat(counter.type()).isEqualTo(MetricType.SUM);
    assertThat(counter.monotonic()).isTrue();
    assertThat(counter.value()).isEqualTo(1500.0);
    assertThat(counter.unit()).isEqualTo("{token}");
    assertThat(counter.service()).isEqualTo("rag-api");
    assertThat(counter.attributes()).containsEntry("gen_ai.request.model", "gpt-4o");
    MetricPoint histogram = find(points, "gen_ai.client.operation.duration");
    assertThat(histogram.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(histogram.count()).isEqualTo(1L);
    assertThat(histogram.sum()).isEqualTo(0.8);
    assertThat(histogram.bucketCounts()).hasSize(histogram.bucketBounds().size() + 1);
    assertThat(histogram.bucketCounts().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    MetricPoint gauge = find(points, "vllm.kv_cache.usage");
    assertThat(gauge.type()).isEqualTo(MetricType.GAUGE);
    assertThat(gauge.value()).isEqualTo(0.5);
  }

  private static MetricPoint find(List<MetricPoint> points, String name) {
    return points.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + points));
  }
}
