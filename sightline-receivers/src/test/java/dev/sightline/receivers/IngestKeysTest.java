package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.sightline.access.AccessControl;
import dev.sightline.access.CreatedKey;
import dev.sightline.access.KeyKind;
import dev.sightline.access.Principal;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.IngestAuth;
import dev.sightline.pipeline.IngestCounters;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With keys on, the OTLP receivers take telemetry only from a live ingest key, refuse everything
 * else before decoding it, and file what they take under the key's project.
 */
class IngestKeysTest {
  private static final Path DIR = tempDir();
  private static final AccessControl ACCESS = AccessControl.open(DIR.resolve("access.json"), Clock.systemUTC());
  private static final RecordingIngest ingest = new RecordingIngest();
  private static final IngestCounters counters = new IngestCounters();
  private static final String HOW = "send `Authorization: Bearer <ingest key>` or `x-sightline-key: <ingest key>`";

  /** The shape the server gives its receivers: a live ingest key, or a refusal that says what to send. */
  private static final IngestAuth AUTH = header -> {
    String key = AccessControl.presentedKey(header);
    if (key == null) {
      return IngestAuth.Decision.refuse("no ingest key: " + HOW);
    }
    Optional<Principal> who = ACCESS.authenticate(key);
    return who.isPresent() && who.get().kind() == KeyKind.INGEST
        ? IngestAuth.Decision.allow(who.get().project())
        : IngestAuth.Decision.refuse("the key sent is not a live ingest key: " + HOW);
  };

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      OtlpReceiver receiver = new OtlpReceiver(ingest, counters, ReceiverLimits.defaults(), AUTH);
      receiver.bindHttp(sb);
      receiver.bindGrpc(sb);
    }
  };

  static CreatedKey shopKey;

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sightline-ingest-keys");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeEach
  void setUp() {
    ingest.reset();
    if (shopKey == null) {
      ACCESS.createProject("shop", null);
      shopKey = ACCESS.createKey("shop", KeyKind.INGEST, "test", null);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (var files = Files.walk(DIR)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void httpWithoutAKeyIs401WithAJsonErrorAndNothingIsSubmitted() throws Exception {
    long before = counters.get("otlp-http", "spans", IngestCounters.Outcome.RECEIVED);
    AggregatedHttpResponse r = WebClient.of(server.httpUri()).execute(
        RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.JSON).build(),
        HttpData.ofUtf8("{\"resourceSpans\":[]}")).aggregate().join();
    assertThat(r.status().code()).isEqualTo(401);
    JsonNode body = new ObjectMapper().readTree(r.contentUtf8());
    assertThat(body.at("/error/code").asText()).isEqualTo("unauthorized");
    assertThat(body.at("/error/message").asText()).contains("Authorization: Bearer <ingest key>")
        .contains("x-sightline-key");
    assertThat(ingest.batches).isEmpty();
    assertThat(counters.get("otlp-http", "spans", IngestCounters.Outcome.RECEIVED)).isEqualTo(before);
  }

  @Test
  void sdkHttpExporterWithoutAKeyFailsAndWithTheKeyLandsInItsProject() {
    CompletableResultCode refused = export(OtlpHttpSpanExporter.builder()
        .setEndpoint(server.httpUri() + "/v1/traces").setTimeout(Duration.ofSeconds(10)).build());
    assertThat(refused.isSuccess()).isFalse();
    assertThat(ingest.batches).isEmpty();

    CompletableResultCode ok = export(OtlpHttpSpanExporter.builder()
        .setEndpoint(server.httpUri() + "/v1/traces").setTimeout(Duration.ofSeconds(10))
        .addHeader("Authorization", "Bearer " + shopKey.secret()).build());
    assertThat(ok.isSuccess()).isTrue();
    assertThat(ingest.batches).isNotEmpty().allSatisfy(b -> assertThat(b.project()).isEqualTo("shop"));
    assertThat(ingest.spans()).hasSize(1);
  }

  @Test
  void sdkGrpcExporterWithoutAKeyIsUnauthenticatedAndWithTheKeyLandsInItsProject() {
    var stub = GrpcClients.newClient(server.httpUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.export(ExportTraceServiceRequest.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("Authorization: Bearer <ingest key>");

    assertThat(export(OtlpGrpcSpanExporter.builder().setEndpoint(server.httpUri().toString())
        .setTimeout(Duration.ofSeconds(10)).build()).isSuccess()).isFalse();
    assertThat(ingest.batches).isEmpty();

    assertThat(export(OtlpGrpcSpanExporter.builder().setEndpoint(server.httpUri().toString())
        .setTimeout(Duration.ofSeconds(10)).addHeader("x-sightline-key", shopKey.secret()).build()).isSuccess()).isTrue();
    assertThat(ingest.batches).isNotEmpty().allSatisfy(b -> assertThat(b.project()).isEqualTo("shop"));
  }

  @Test
  void aRevokedOrReadKeyIsRefused() {
    CreatedKey doomed = ACCESS.createKey("shop", KeyKind.INGEST, null, null);
    CreatedKey read = ACCESS.createKey("shop", KeyKind.READ, null, null);
    String url = server.httpUri() + "/v1/traces";
    assertThat(export(OtlpHttpSpanExporter.builder().setEndpoint(url)
        .addHeader("x-sightline-key", read.secret()).build()).isSuccess()).isFalse();
    assertThat(export(OtlpHttpSpanExporter.builder().setEndpoint(url)
        .addHeader("x-sightline-key", doomed.secret()).build()).isSuccess()).isTrue();
    ingest.reset();

    ACCESS.revokeKey(doomed.info().id());
    assertThat(export(OtlpHttpSpanExporter.builder().setEndpoint(url)
        .addHeader("x-sightline-key", doomed.secret()).build()).isSuccess()).isFalse();
    assertThat(export(OtlpGrpcSpanExporter.builder().setEndpoint(server.httpUri().toString())
        .addHeader("authorization", "Bearer " + doomed.secret()).build()).isSuccess()).isFalse();
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void anOpenReceiverFilesUnderTheDefaultProject() {
    assertThat(IngestAuth.OPEN.check(h -> null)).isEqualTo(IngestAuth.Decision.allow(TelemetryBatch.DEFAULT_PROJECT));
    assertThat(IngestAuth.Decision.refuse("x").allowed()).isFalse();
  }

  /** Exports one span through the SDK and returns the exporter's own result (the processor swallows it). */
  private static CompletableResultCode export(SpanExporter exporter) {
    java.util.List<CompletableResultCode> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    SpanExporter recording = new SpanExporter() {
      @Override
      public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
        CompletableResultCode r = exporter.export(spans);
        results.add(r);
        return r;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop-api")))
        .addSpanProcessor(SimpleSpanProcessor.create(recording)).build();
    provider.get("test").spanBuilder("chat gpt-4o").startSpan().end();
    provider.forceFlush().join(10, TimeUnit.SECONDS);
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(results).hasSize(1);
    return results.get(0).join(10, TimeUnit.SECONDS);
  }
}
