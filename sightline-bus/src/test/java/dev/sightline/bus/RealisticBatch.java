package dev.sightline.bus;

import com.google.protobuf.ByteString;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchProcessor;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.receivers.ReceivedFixtures;
import dev.sightline.semconv.SpanNormalizer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * An OTLP export the size the ingest benchmarks send (510 spans, traces of an HTTP root, a retrieval
 * and an LLM call with GenAI attributes), and the batch the receivers and the pipeline make of it.
 */
public final class RealisticBatch {
  private RealisticBatch() {}

  public static ExportTraceServiceRequest request(int traces) {
    Resource resource = Resource.newBuilder()
        .addAttributes(kv("service.name", "checkout"))
        .addAttributes(kv("service.version", "1.42.0"))
        .addAttributes(kv("deployment.environment.name", "production"))
        .addAttributes(kv("telemetry.sdk.language", "python"))
        .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(kv("telemetry.sdk.version", "1.38.0"))
        .addAttributes(kv("host.name", "checkout-7d9f8c6b5-x2x7q"))
        .build();
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("opentelemetry.instrumentation.openai_v2"));
    long t0 = 1_760_000_000_000_000_000L;
    for (int t = 0; t < traces; t++) {
      ByteString trace = id(16, 0x1000_0000L + t);
      ByteString root = id(8, t * 3L + 1);
      long start = t0 + t * 1_000_000_000L;
      scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(root).setName("POST /v1/answer")
          .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 900_000_000L)
          .addAttributes(kv("http.request.method", "POST")).addAttributes(kv("http.route", "/v1/answer"))
          .addAttributes(kv("url.scheme", "https")).addAttributes(kvInt("http.response.status_code", 200))
          .addAttributes(kv("user_agent.original", "python-requests/2.32.3")));
      scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(id(8, t * 3L + 2)).setParentSpanId(root)
          .setName("retrieve documents").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
          .setStartTimeUnixNano(start + 5_000_000L).setEndTimeUnixNano(start + 85_000_000L)
          .addAttributes(kv("db.system.name", "qdrant")).addAttributes(kv("db.collection.name", "docs"))
          .addAttributes(kvInt("db.response.returned_rows", 8)));
      scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(id(8, t * 3L + 3)).setParentSpanId(root)
          .setName("chat gpt-4o-mini").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(start + 90_000_000L).setEndTimeUnixNano(start + 880_000_000L)
          .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
          .addAttributes(kv("gen_ai.operation.name", "chat")).addAttributes(kv("gen_ai.provider.name", "openai"))
          .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini"))
          .addAttributes(kv("gen_ai.response.model", "gpt-4o-mini-2024-07-18"))
          .addAttributes(kv("gen_ai.response.id", "chatcmpl-" + Long.toHexString(0xABCDEF000L + t)))
          .addAttributes(kvInt("gen_ai.usage.input_tokens", 1200 + t % 300))
          .addAttributes(kvInt("gen_ai.usage.output_tokens", 150 + t % 50))
          .addAttributes(kvInt("gen_ai.usage.cache_read.input_tokens", 512))
          .addAttributes(kvDouble("gen_ai.request.temperature", 0.2))
          .addAttributes(kv("gen_ai.response.finish_reasons", "stop"))
          .addAttributes(kv("server.address", "api.openai.com"))
          .addAttributes(kv("session.id", "session-" + (t % 40)))
          .addAttributes(kv("user.id", "user-" + (t % 25))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .addScopeSpans(scope)).build();
  }

  /** What an ingest node would publish for {@code request}: decoded by the receivers, then processed. */
  public static TelemetryBatch processed(ExportTraceServiceRequest request) throws Exception {
    BatchProcessor processor = new BatchProcessor(SpanNormalizer.create(), new CostCalculator(PriceCatalog.bundled()));
    return processor.process(ReceivedFixtures.tracesProtobuf(request.toByteArray()));
  }

  private static ByteString id(int bytes, long value) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < 8; i++) {
      b[bytes - 1 - i] = (byte) (value >>> (8 * i));
    }
    b[0] |= 0x10;
    return ByteString.copyFrom(b);
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue kvInt(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static KeyValue kvDouble(String k, double v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setDoubleValue(v)).build();
  }
}
