package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallContext;
import dev.sightline.model.Content;
import dev.sightline.model.Span;
import dev.sightline.pipeline.IngestCounters;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trace context, Sightline's own headers, secrets, capture modes, named routes and fail-open. */
class AttributionAndCaptureTest {
  static FakeOpenAi upstream;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
  }

  @AfterAll
  static void stop() {
    if (upstream != null) { // null when the set-up was skipped (no fixtures)
      upstream.close();
    }
  }

  static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
      + "{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @Test
  void traceparentMakesTheCallAChildSpanAndSightlineHeadersStayHere() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA))) {
      HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", CHAT,
          "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "authorization", "Bearer sk-secret-123",
          "x-api-key", "xk-secret-456",
          "x-sightline-session-id", "sess-1",
          "x-sightline-user-id", "user-7",
          "x-sightline-route", "POST /ask",
          "x-sightline-prompt-name", "greeter",
          "x-sightline-prompt-version", "3",
          "x-sightline-tags", "beta, eu");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue(Relay.OVERHEAD_HEADER)).isPresent();

      Span span = gateway.ingest.single();
      assertThat(span.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b7");
      assertThat(span.spanId()).hasSize(16).isNotEqualTo("00f067aa0ba902b7");
      CallContext c = span.llm().context();
      assertThat(c.sessionId()).isEqualTo("sess-1");
      assertThat(c.userId()).isEqualTo("user-7");
      assertThat(c.route()).isEqualTo("POST /ask");
      assertThat(c.promptName()).isEqualTo("greeter");
      assertThat(c.promptVersion()).isEqualTo("3");
      assertThat(c.tags()).containsExactly("beta", "eu");
      assertThat(span.llm().content()).isEqualTo(Content.NONE);

      // the upstream got the secrets and the trace (through the gateway's span), not Sightline's headers
      assertThat(upstream.lastHeaders.get("authorization")).isEqualTo("Bearer sk-secret-123");
      assertThat(upstream.lastHeaders.get("x-api-key")).isEqualTo("xk-secret-456");
      assertThat(upstream.lastHeaders.get("traceparent"))
          .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-" + span.spanId() + "-01");
      assertThat(upstream.lastHeaders.names()).noneMatch(n -> n.toString().startsWith("x-sightline-"));
      // and nothing recorded holds a secret
      assertThat(span.toString()).doesNotContain("sk-secret-123").doesNotContain("xk-secret-456");
    }
  }

  @Test
  void withoutTraceparentTheCallStartsItsOwnTrace() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA))) {
      gateway.post(gateway.openaiBase() + "/chat/completions", CHAT, "traceparent", "garbage");
      Span span = gateway.ingest.single();
      assertThat(span.traceId()).matches("[0-9a-f]{32}");
      assertThat(span.parentSpanId()).isNull();
      assertThat(upstream.lastHeaders.get("traceparent")).isEqualTo("garbage");
    }
  }

  @Test
  void captureOnKeepsPromptAndResponseAsGenAiMessages() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.ON))) {
      gateway.post(gateway.openaiBase() + "/chat/completions", CHAT);
      Content content = gateway.ingest.single().llm().content();
      assertThat(content.inputMessagesJson()).isEqualTo("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\","
          + "\"content\":\"Be brief.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello\"}]}]");
      assertThat(content.outputMessagesJson()).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
          + "\"content\":\"Hello there.\"}],\"finish_reason\":\"stop\"}]");

      gateway.ingest.reset();
      gateway.post(gateway.openaiBase() + "/chat/completions", CHAT.replace("\"messages\"", "\"stream\":true,\"messages\""));
      Content streamed = gateway.ingest.single().llm().content();
      assertThat(streamed.outputMessagesJson()).contains("I'm unable to provide real-time");
    }
  }

  @Test
  void captureOffRecordsNothingAndForwardsBytesUntouched() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.OFF))) {
      String stream = CHAT.replace("\"messages\"", "\"stream\":true,\"messages\"");
      HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", stream);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new String(upstream.lastBody, StandardCharsets.UTF_8)).isEqualTo(stream);
      RecordingIngest.sleep(200);
      assertThat(gateway.ingest.spans).isEmpty();
    }
  }

  @Test
  void namedRoutesAndOtherPaths() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA))) {
      gateway.post(gateway.base() + "/gateway/vllm/v1/chat/completions", CHAT);
      assertThat(gateway.ingest.single().llm().provider()).isEqualTo("vllm");

      gateway.ingest.reset();
      HttpResponse<byte[]> models;
      try {
        models = gateway.http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.openaiBase() + "/models")).build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(models.statusCode()).isEqualTo(200);
      assertThat(new String(models.body(), StandardCharsets.UTF_8)).contains("\"gpt-4o\"");
      RecordingIngest.sleep(200);
      assertThat(gateway.ingest.spans).as("other paths pass through unrecorded").isEmpty();

      HttpResponse<byte[]> unknown = gateway.post(gateway.base() + "/gateway/nope/v1/chat/completions", CHAT);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("unknown_gateway_route").contains("'nope'");
    }
  }

  @Test
  void proxyingGoesOnWhenThePipelineRefusesAndTheDropIsCounted() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA))) {
      gateway.ingest.mode = RecordingIngest.Mode.SATURATED;
      assertThat(gateway.post(gateway.openaiBase() + "/chat/completions", CHAT).statusCode()).isEqualTo(200);
      gateway.ingest.mode = RecordingIngest.Mode.THROWS;
      assertThat(gateway.post(gateway.openaiBase() + "/chat/completions", CHAT).statusCode()).isEqualTo(200);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (gateway.counters.get("gateway", "spans", IngestCounters.Outcome.DROPPED) < 2 && System.nanoTime() < deadline) {
        RecordingIngest.sleep(5);
      }
      assertThat(gateway.counters.get("gateway", "spans", IngestCounters.Outcome.DROPPED)).isEqualTo(2);
      assertThat(gateway.counters.get("gateway", "spans", IngestCounters.Outcome.RECEIVED)).isEqualTo(2);
    }
  }

  @Test
  void captureIsSetPerRoute() {
    GatewayConfig config = GatewayHarness.configFor(upstream, CaptureMode.METADATA)
        .withRouteCapture("openai", CaptureMode.ON).withRouteCapture("vllm", CaptureMode.OFF);
    assertThat(config.captureFor("anthropic")).isEqualTo(CaptureMode.METADATA);
    try (GatewayHarness gateway = new GatewayHarness(config)) {
      gateway.post(gateway.openaiBase() + "/chat/completions", CHAT);
      assertThat(gateway.ingest.single().llm().content().inputMessagesJson()).contains("Say hello");

      gateway.ingest.reset();
      String stream = CHAT.replace("\"messages\"", "\"stream\":true,\"messages\"");
      assertThat(gateway.post(gateway.base() + "/gateway/vllm/v1/chat/completions", stream).statusCode()).isEqualTo(200);
      assertThat(new String(upstream.lastBody, StandardCharsets.UTF_8)).isEqualTo(stream);
      RecordingIngest.sleep(200);
      assertThat(gateway.ingest.spans).as("the vllm route captures nothing").isEmpty();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayConfig.defaults().withRouteCapture("tgi", CaptureMode.ON))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tgi'").hasMessageContaining("does not exist");
  }
}
