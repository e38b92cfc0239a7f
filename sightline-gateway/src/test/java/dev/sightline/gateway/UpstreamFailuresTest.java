package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.UsageSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client gets and what is recorded when the upstream, the client or the stream misbehaves. */
class UpstreamFailuresTest {
  static FakeOpenAi upstream;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) { // null when the set-up was skipped (no fixtures)
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void reset() {
    gateway.ingest.reset();
  }

  static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  }

  @Test
  void upstreamErrorsPassThroughAndAreRecordedWithTheirType() {
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", chat("error-429", false));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(FakeOpenAi.ERROR_429);
    assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");

    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().httpStatus()).isEqualTo(429);
    assertThat(call.outcome().errorType()).isEqualTo("rate_limit_error");
  }

  @Test
  void upstreamDownIsA502ThatNamesTheUpstream() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    GatewayConfig config = new GatewayConfig(URI.create("http://127.0.0.1:" + closedPort), Map.of(),
        Duration.ofSeconds(2), Duration.ofSeconds(5), CaptureMode.METADATA);
    try (GatewayHarness down = new GatewayHarness(config)) {
      HttpResponse<byte[]> r = down.post(down.openaiBase() + "/chat/completions", chat("gpt-4o", true));
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
      String code = FakeOpenAi.read(r.body(), j -> j.path("error").path("code").asText());
      String message = FakeOpenAi.read(r.body(), j -> j.path("error").path("message").asText());
      assertThat(code).isEqualTo("upstream_unreachable");
      assertThat(message).contains("'openai'").contains("127.0.0.1:" + closedPort);

      LlmCall call = down.ingest.single().llm();
      assertThat(call.outcome().errorType()).isEqualTo("upstream_unreachable");
      assertThat(call.outcome().httpStatus()).isEqualTo(502);
    }
  }

  @Test
  void anUpstreamSlowerThanTheTimeoutIsA504() {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", chat("sleepy", false));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2500);
    assertThat(r.statusCode()).isEqualTo(504);
    String code = FakeOpenAi.read(r.body(), j -> j.path("error").path("code").asText());
    String message = FakeOpenAi.read(r.body(), j -> j.path("error").path("message").asText());
    assertThat(code).isEqualTo("upstream_timeout");
    assertThat(message).contains("'openai'").contains("500 ms");
    assertThat(gateway.ingest.single().llm().outcome().errorType()).isEqualTo("upstream_timeout");
  }

  @Test
  void aLongStreamIsNotCutByTheResponseTimeout() {
    // 20 tokens over ~875 ms, with a 500 ms response timeout: only the wait for headers is bounded
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", chat("paced", true));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("t19 ").endsWith("data: [DONE]\n\n");
    assertThat(gateway.ingest.single().llm().outcome().status()).isEqualTo(CallStatus.OK);
  }

  @Test
  void aClientThatDisconnectsMidStreamCancelsTheUpstreamAndIsRecordedAsCancelled() throws Exception {
    upstream.slowStreamCancelled = new java.util.concurrent.CompletableFuture<>();
    String body = chat("slow-stream", true);
    try (Socket s = new Socket("127.0.0.1", gateway.server.activeLocalPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /gateway/openai/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      while (!seen.toString().contains("\"s4\"")) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    }
    upstream.slowStreamCancelled.get(5, TimeUnit.SECONDS);

    Span span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().errorType()).isEqualTo("cancelled");
    assertThat(call.usage().source()).isEqualTo(UsageSource.ESTIMATED);
    assertThat(call.usage().outputTokens()).isGreaterThanOrEqualTo(5).isLessThan(100);
    // the prompt is counted with the tokenizer: "x", plus 3 for the message and 3 for the reply
    assertThat(call.usage().inputTokens()).isEqualTo(TokenEstimateTest.CL100K.countTokensOrdinary("x\n") + 3 + 3);
    assertThat(call.timing().ttftNanos()).isNotNull();
  }

  @Test
  void aMalformedStreamPassesThroughAsSentAndIsRecordedWithoutCrashing() {
    String body = chat("malformed", true);
    HttpResponse<byte[]> via = gateway.post(gateway.openaiBase() + "/chat/completions", body);
    assertThat(via.statusCode()).isEqualTo(200);
    assertThat(new String(via.body(), StandardCharsets.UTF_8)).isEqualTo(FakeOpenAi.MALFORMED_STREAM);

    Span span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.responseModel()).isEqualTo("malformed-1");
    // no usage could be read: it is estimated, one token per content chunk seen
    assertThat(call.usage().source()).isEqualTo(UsageSource.ESTIMATED);
    assertThat(call.usage().outputTokens()).isEqualTo((Long) span.attributes().get("sightline.gateway.content_chunks"));
    assertThat(call.timing().ttftNanos()).isNotNull();

    // and the gateway is still healthy
    gateway.ingest.reset();
    HttpResponse<byte[]> next = gateway.post(gateway.openaiBase() + "/chat/completions", chat("gpt-4o", true));
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(gateway.ingest.single().llm().usage().outputTokens()).isEqualTo(30);
  }

  @Test
  void aTenMebibyteRequestBodyPasses() {
    String big = "a".repeat(10 << 20);
    String body = "{\"model\":\"echo-size\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}";
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", body);
    assertThat(r.statusCode()).isEqualTo(200);
    String content = FakeOpenAi.read(r.body(), j -> j.path("choices").path(0).path("message").path("content").asText());
    assertThat(content).isEqualTo("received " + body.length());
    assertThat(upstream.lastBody).hasSize(body.length());
    assertThat(gateway.ingest.single().llm().usage().inputTokens()).isEqualTo(19);
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String body = "{\"model\":\"echo-size\",\"input\":\"" + "a".repeat((int) Gateway.MAX_REQUEST_BYTES) + "\"}";
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/embeddings", body);
    assertThat(r.statusCode()).isEqualTo(413);
  }
}
