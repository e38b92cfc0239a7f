package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path end to end: spans exported by the real OpenTelemetry SDK (gRPC and HTTP/protobuf)
 * and raw OTLP/JSON come back through the REST API with exact LLM fields, buckets, TTFT and cost.
 */
class OtlpToApiTest {
  @TempDir static Path dir;
  static SightlineServer server;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * o3-mini, OTel GenAI semconv (input includes cache, output includes reasoning):
   * 1000 input of which 400 cache read; 500 output of which 200 reasoning; TTFT 0.25 s; 2.25 s long.
   * Buckets: 600 uncached, 400 cache read, 300 text, 200 reasoning.
   * LiteLLM o3-mini-2025-01-31: input $1.1e-6, cache read $5.5e-7, output $4.4e-6 (no reasoning price):
   * 600 × 1.1e-6 = 0.00066; 400 × 5.5e-7 = 0.00022; (300 + 200) × 4.4e-6 = 0.0022; total $0.00308.
   * TPOT = (2250 − 250) ms / (500 − 1) = 4.00801603… ms; output tokens/s = 499 / 2.0 s = 249.5.
   */
  private static void emitLlmTrace(SpanExporter exporter, String service, long startNanos) {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Tracer tracer = provider.get("test");
    Span root = tracer.spanBuilder("POST /chat").setSpanKind(SpanKind.SERVER).setNoParent()
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS).setAttribute("http.request.method", "POST").startSpan();
    Span llm = tracer.spanBuilder("chat o3-mini").setParent(Context.root().with(root)).setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(startNanos + 10_000_000L, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "o3-mini")
        .setAttribute("gen_ai.response.model", "o3-mini-2025-01-31")
        .setAttribute("gen_ai.usage.input_tokens", 1000L)
        .setAttribute("gen_ai.usage.cache_read.input_tokens", 400L)
        .setAttribute("gen_ai.usage.output_tokens", 500L)
        .setAttribute("gen_ai.usage.reasoning.output_tokens", 200L)
        .setAttribute("gen_ai.response.time_to_first_chunk", 0.25)
        .setAttribute("gen_ai.conversation.id", "sess-42")
        .setAttribute("user.id", "user-7")
        .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
        .startSpan();
    llm.end(startNanos + 10_000_000L + 2_250_000_000L, TimeUnit.NANOSECONDS);
    root.end(startNanos + 3_000_000_000L, TimeUnit.NANOSECONDS);
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static void assertExactCall(JsonNode call, String service) {
    assertThat(call.get("provider").asText()).isEqualTo("openai");
    assertThat(call.get("operation").asText()).isEqualTo("chat");
    assertThat(call.get("requestModel").asText()).isEqualTo("o3-mini");
    assertThat(call.get("responseModel").asText()).isEqualTo("o3-mini-2025-01-31");
    assertThat(call.get("service").asText()).isEqualTo(service);
    assertThat(call.get("route").asText()).isEqualTo("POST /chat");
    assertThat(call.get("durationMs").asDouble()).isEqualTo(2250.0);
    assertThat(call.get("ttftMs").asDouble()).isEqualTo(250.0);
    assertThat(call.get("ttftSource").asText()).isEqualTo("time_to_first_chunk");
    assertThat(call.get("tpotMs").asDouble()).isCloseTo(2000.0 / 499, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(call.get("outputTokensPerSecond").asDouble()).isCloseTo(249.5, org.assertj.core.data.Offset.offset(1e-9));
    JsonNode u = call.get("usage");
    assertThat(u.get("inputTokens").asLong()).isEqualTo(1000);
    assertThat(u.get("outputTokens").asLong()).isEqualTo(500);
    assertThat(u.get("totalTokens").asLong()).isEqualTo(1500);
    assertThat(u.get("cacheReadInputTokens").asLong()).isEqualTo(400);
    assertThat(u.get("cacheWriteInputTokens").asLong()).isEqualTo(0);
    assertThat(u.get("reasoningOutputTokens").asLong()).isEqualTo(200);
    assertThat(u.get("buckets").get("inputUncached").asLong()).isEqualTo(600);
    assertThat(u.get("buckets").get("outputText").asLong()).isEqualTo(300);
    assertThat(call.get("costStatus").asText()).isEqualTo("priced");
    assertThat(call.get("costUsd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.00308"));
    assertThat(call.get("status").asText()).isEqualTo("ok");
    assertThat(call.get("finishReasons").get(0).asText()).isEqualTo("stop");
    assertThat(call.get("sessionId").asText()).isEqualTo("sess-42");
    assertThat(call.get("userId").asText()).isEqualTo("user-7");
  }

  @Test
  void grpcExporterLandsExactCall() {
    long start = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
    emitLlmTrace(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort()).build(),
        "grpc-svc", start);
    JsonNode calls = TestServers.await(server, "/api/v1/llm/calls?service=grpc-svc",
        n -> n.get("calls") != null && n.get("calls").size() == 1);
    assertExactCall(calls.get("calls").get(0), "grpc-svc");
  }

  @Test
  void httpProtobufExporterLandsExactCallAndTrace() {
    long start = System.currentTimeMillis() * 1_000_000L - 120_000_000_000L;
    emitLlmTrace(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").build(), "http-svc", start);
    JsonNode calls = TestServers.await(server, "/api/v1/llm/calls?service=http-svc",
        n -> n.get("calls") != null && n.get("calls").size() == 1);
    JsonNode call = calls.get("calls").get(0);
    assertExactCall(call, "http-svc");

    JsonNode traces = TestServers.get(server, "/api/v1/traces?service=http-svc");
    assertThat(traces.get("traces")).hasSize(1);
    JsonNode t = traces.get("traces").get(0);
    assertThat(t.get("rootName").asText()).isEqualTo("POST /chat");
    assertThat(t.get("spanCount").asInt()).isEqualTo(2);
    assertThat(t.get("llmCalls").asInt()).isEqualTo(1);
    assertThat(t.get("durationMs").asDouble()).isEqualTo(3000.0);
    assertThat(t.get("costUsd").decimalValue()).isEqualByComparingTo("0.00308");

    JsonNode detail = TestServers.get(server, "/api/v1/traces/" + call.get("traceId").asText());
    assertThat(detail.get("spans")).hasSize(2);
    // 3 s of wall time: 2.25 s in the LLM call, the rest is the HTTP root's own time.
    assertThat(detail.get("breakdown").get("llm").asDouble()).isEqualTo(2250.0);
    assertThat(detail.get("breakdown").get("http").asDouble()).isEqualTo(750.0);

    JsonNode summary = TestServers.get(server, "/api/v1/llm/summary?groupBy=service");
    JsonNode row = null;
    for (JsonNode g : summary.get("groups")) {
      if (g.get("key").asText().equals("http-svc")) {
        row = g;
      }
    }
    assertThat(row).isNotNull();
    assertThat(row.get("calls").asLong()).isEqualTo(1);
    assertThat(row.get("costUsd").decimalValue()).isEqualByComparingTo("0.00308");
    assertThat(row.get("ttftMs").get("p50").asDouble()).isEqualTo(250.0);
  }

  @Test
  void rawOtlpJsonLandsExactCall() throws Exception {
    long start = System.currentTimeMillis() * 1_000_000L - 180_000_000_000L;
    String traceId = "5b8efff798038103d269b633813fc60c";
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[
            {"traceId":"%1$s","spanId":"eee19b7ec3c1b174","name":"POST /chat","kind":2,
             "startTimeUnixNano":"%2$d","endTimeUnixNano":"%3$d","attributes":[]},
            {"traceId":"%1$s","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174","name":"chat o3-mini","kind":3,
             "startTimeUnixNano":"%4$d","endTimeUnixNano":"%5$d","attributes":[
              {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
              {"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
              {"key":"gen_ai.request.model","value":{"stringValue":"o3-mini"}},
              {"key":"gen_ai.response.model","value":{"stringValue":"o3-mini-2025-01-31"}},
              {"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},
              {"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":400}},
              {"key":"gen_ai.usage.output_tokens","value":{"intValue":"500"}},
              {"key":"gen_ai.usage.reasoning.output_tokens","value":{"intValue":"200"}},
              {"key":"gen_ai.response.time_to_first_chunk","value":{"doubleValue":0.25}},
              {"key":"gen_ai.conversation.id","value":{"stringValue":"sess-42"}},
              {"key":"user.id","value":{"stringValue":"user-7"}},
              {"key":"acme.experiment","value":{"stringValue":"b"}},
              {"key":"gen_ai.response.finish_reasons","value":{"arrayValue":{"values":[{"stringValue":"stop"}]}}}
             ]}]}]}]}
        """.formatted(traceId, start, start + 3_000_000_000L, start + 10_000_000L, start + 2_260_000_000L);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // Acknowledged means committed: the call is readable at once, no polling.
    JsonNode calls = TestServers.get(server, "/api/v1/llm/calls?traceId=" + traceId);
    assertThat(calls.get("calls")).hasSize(1);
    assertExactCall(calls.get("calls").get(0), "json-svc");
    // An attribute no mapping reads is kept on the span and listed as unmapped.
    JsonNode span = TestServers.get(server, "/api/v1/traces/" + traceId).get("spans").get(1);
    assertThat(span.get("attributes").get("acme.experiment").asText()).isEqualTo("b");
    assertThat(span.get("unmappedAttributes").toString()).contains("acme.experiment");
    JsonNode unmapped = TestServers.get(server, "/api/v1/attributes/unmapped");
    assertThat(unmapped.get("attributes").findValuesAsText("key")).contains("acme.experiment");
  }

  @Test
  void badQueryParametersAreClear400s() {
    JsonNode r = TestServers.get(server, "/api/v1/llm/calls?since=yesterday");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("message").asText()).contains("since").contains("-1h");
    r = TestServers.get(server, "/api/v1/llm/summary?groupBy=color");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    assertThat(r.get("error").get("message").asText()).contains("model, provider, service, route");
    r = TestServers.get(server, "/api/v1/traces/not-a-trace");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    r = TestServers.get(server, "/api/v1/traces/00000000000000000000000000000001");
    assertThat(r.get("_status").asInt()).isEqualTo(404);
    r = TestServers.get(server, "/api/v1/traces?limit=0");
    assertThat(r.get("_status").asInt()).isEqualTo(400);
    r = TestServers.get(server, "/api/v1/nothing");
    assertThat(r.get("_status").asInt()).isEqualTo(404);
  }
}
