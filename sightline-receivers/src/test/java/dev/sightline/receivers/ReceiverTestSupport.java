package dev.sightline.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.sightline.pipeline.IngestCounters;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real Armeria server with both OTLP receivers bound to a recording ingest, and request helpers. */
abstract class ReceiverTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final RecordingIngest ingest = new RecordingIngest();
  /** Shared by every test of the class: compare before and after, not absolute values. */
  static final IngestCounters counters = new IngestCounters();

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      OtlpReceiver receiver = new OtlpReceiver(ingest, counters, ReceiverLimits.defaults());
      receiver.bindHttp(sb);
      receiver.bindGrpc(sb);
      sb.maxRequestLength(64L * 1024 * 1024);
    }
  };

  @BeforeEach
  void resetIngest() {
    ingest.reset();
  }

  static Path fixtures() {
    return Path.of(System.getProperty("sightline.fixtures", "../../shared/fixtures")).resolve("otlp");
  }

  static byte[] fixture(String relative) throws Exception {
    return Files.readAllBytes(fixtures().resolve(relative));
  }

  static AggregatedHttpResponse post(String path, String contentType, byte[] body, String... headers) {
    var h = RequestHeaders.builder(HttpMethod.POST, path)
        .set(HttpHeaderNames.CONTENT_TYPE, contentType);
    for (int i = 0; i < headers.length; i += 2) {
      h.set(headers[i], headers[i + 1]);
    }
    return WebClient.builder(server.httpUri()).maxResponseLength(0).build()
        .execute(h.build(), HttpData.wrap(body)).aggregate().join();
  }

  /** One protobuf POST to another server than this class's. */
  static AggregatedHttpResponse postTo(java.net.URI base, String path, byte[] body) {
    return WebClient.builder(base).build().execute(RequestHeaders.builder(HttpMethod.POST, path)
        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf").build(), HttpData.wrap(body)).aggregate().join();
  }

  static AggregatedHttpResponse postProtobuf(String path, byte[] body, String... headers) {
    return post(path, "application/x-protobuf", body, headers);
  }

  static AggregatedHttpResponse postJson(String path, String body, String... headers) {
    return post(path, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
  }

  static JsonNode json(AggregatedHttpResponse r) throws Exception {
    return JSON.readTree(r.contentUtf8());
  }

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static Span.Builder span(String traceHex, String spanHex, String name) {
    return Span.newBuilder().setTraceId(id(traceHex)).setSpanId(id(spanHex)).setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_250_000_000L);
  }

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static ExportTraceServiceRequest traces(Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "checkout")))
        .addScopeSpans(scope)).build();
  }
}
