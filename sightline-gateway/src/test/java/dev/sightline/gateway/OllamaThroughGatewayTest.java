package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ollama's native API through {@code /gateway/ollama}: NDJSON streams pass line by line, byte for
 * byte, and each call is recorded with Ollama's own eval counts and durations.
 */
class OllamaThroughGatewayTest {
  static FakeOllama upstream;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    upstream = new FakeOllama();
    gateway = new GatewayHarness(GatewayConfig.defaults().withOllamaUpstream(URI.create(upstream.base()))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
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

  static String url(String base, String path) {
    return base + path;
  }

  static final String GENERATE = "{\"model\":\"dolphin3:8b\",\"prompt\":\"Describe a squirrel in 3 words\","
      + "\"system\":\"You are Dolphin.\"}";

  @Test
  void streamedGenerateIsForwardedByteForByteAndRecordedWithEvalCounts() {
    HttpResponse<byte[]> via = gateway.post(gateway.base() + "/gateway/ollama/api/generate", GENERATE);
    HttpResponse<byte[]> direct = gateway.post(upstream.base() + "/api/generate", GENERATE);
    assertThat(via.statusCode()).isEqualTo(200);
    assertThat(via.headers().firstValue("content-type")).hasValue("application/x-ndjson");
    assertThat(via.body()).isEqualTo(direct.body());
    assertThat(new String(via.body(), StandardCharsets.UTF_8)).isEqualTo(String.join("", upstream.generateLines));

    Span span = gateway.ingest.single();
    assertThat(span.name()).isEqualTo("text_completion dolphin3:8b");
    LlmCall call = span.llm();
    assertThat(call.provider()).isEqualTo("ollama");
    assertThat(call.operation()).isEqualTo("text_completion");
    assertThat(call.requestModel()).isEqualTo("dolphin3:8b");
    assertThat(call.responseModel()).isEqualTo("dolphin3:8b");
    assertThat(call.streaming()).isTrue();
    // prompt_eval_count 30, eval_count 6 in the captured stream (its last line arrived in two pieces)
    assertThat(call.usage()).isEqualTo(Usage.reported(30, 0, 0, 0, 6, 0));
    assertThat(call.outcome().status()).isEqualTo(CallStatus.OK);
    assertThat(call.outcome().finishReasons()).containsExactly("stop");
    assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
    assertThat(call.timing().ttftNanos()).isGreaterThanOrEqualTo((FakeOllama.FIRST_LINE_MS - 1) * 1_000_000L)
        .isLessThan((FakeOllama.FIRST_LINE_MS + FakeOllama.GAP_MS) * 1_000_000L);
    // "Fl", "uffy", " white", " tail", "." : the empty closing response is not a token
    assertThat(span.attributes().get("sightline.gateway.content_chunks")).isEqualTo(5L);
    assertThat(call.timing().maxInterTokenGapNanos()).isGreaterThanOrEqualTo((FakeOllama.GAP_MS - 5) * 1_000_000L);
    assertThat(span.attributes()).containsEntry("ollama.eval_duration_ms", 133.1738)
        .containsEntry("ollama.prompt_eval_duration_ms", 123.8225)
        .containsEntry("ollama.load_duration_ms", 1667.2411)
        .containsEntry("ollama.total_duration_ms", 1926.2637);
    assertThat(span.attributes()).containsEntry("gen_ai.provider.name", "ollama");
  }

  @Test
  void linesReachTheClientAsTheyArriveNotAtTheEnd() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = gateway.http.send(HttpRequest.newBuilder(
            URI.create(gateway.base() + "/gateway/ollama/api/chat"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2\",\"messages\":[]}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String first = in.readLine();
      long firstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(first).contains("The user says hi.");
      // the stream lasts FIRST_LINE_MS + 9 × GAP_MS; its first line must not wait for the rest
      assertThat(firstMs).isLessThan(FakeOllama.FIRST_LINE_MS + 4 * FakeOllama.GAP_MS);
      int lines = 1;
      while (in.readLine() != null) {
        lines++;
      }
      assertThat(lines).isEqualTo(10);
    }
    // recorded once the stream ended (waited for, so that the record never lands in the next test)
    assertThat(gateway.ingest.single().llm().operation()).isEqualTo("chat");
  }

  @Test
  void chatStreamsByDefaultAndCountsThinkingAndToolCallsAsContent() {
    String body = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<byte[]> via = gateway.post(gateway.base() + "/gateway/ollama/api/chat", body);
    HttpResponse<byte[]> direct = gateway.post(upstream.base() + "/api/chat", body);
    assertThat(via.body()).isEqualTo(direct.body());

    Span span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.operation()).isEqualTo("chat");
    assertThat(call.streaming()).isTrue();
    assertThat(call.usage()).isEqualTo(Usage.reported(26, 0, 0, 0, 282, 0));
    // thinking, seven text chunks and the tool call
    assertThat(span.attributes().get("sightline.gateway.content_chunks")).isEqualTo(9L);
    assertThat(call.timing().ttftNanos()).isGreaterThanOrEqualTo((FakeOllama.FIRST_LINE_MS - 1) * 1_000_000L);
    assertThat(call.timing().tpotMs(call.usage().outputTokens())).isPositive();
    // the stream could not be compressed: the upstream was not offered any encoding
    assertThat(upstream.lastHeaders.get("accept-encoding")).isNull();
  }

  @Test
  void nonStreamedCallsAreRecordedWithoutTtft() {
    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/ollama/api/chat",
        "{\"model\":\"llama3.2\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("Hello! How can I help?");
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.streaming()).isFalse();
    assertThat(call.usage()).isEqualTo(Usage.reported(26, 0, 0, 0, 282, 0));
    assertThat(call.outcome().finishReasons()).containsExactly("stop");
    assertThat(call.timing().ttftNanos()).isNull();
    gateway.ingest.reset();

    gateway.post(gateway.base() + "/gateway/ollama/api/generate", GENERATE.replace("{", "{\"stream\":false,"));
    Span span = gateway.ingest.single();
    assertThat(span.llm().usage()).isEqualTo(Usage.reported(30, 0, 0, 0, 6, 0));
    assertThat(span.attributes()).containsEntry("ollama.eval_duration_ms", 133.1738);
  }

  @Test
  void errorsPassThroughAndAreRecorded() {
    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/ollama/api/chat",
        "{\"model\":\"missing\",\"messages\":[]}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(FakeOllama.NOT_FOUND);
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().httpStatus()).isEqualTo(404);
    gateway.ingest.reset();

    HttpResponse<byte[]> broken = gateway.post(gateway.base() + "/gateway/ollama/api/generate",
        "{\"model\":\"stream-error\",\"prompt\":\"x\"}");
    assertThat(broken.statusCode()).isEqualTo(200);
    assertThat(new String(broken.body(), StandardCharsets.UTF_8)).endsWith("unexpected EOF\"}\n");
    LlmCall failed = gateway.ingest.single().llm();
    assertThat(failed.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(failed.outcome().errorType()).isEqualTo("stream_error");
  }

  @Test
  void otherPathsPassThroughUnrecorded() throws Exception {
    HttpResponse<byte[]> tags = gateway.http.send(HttpRequest.newBuilder(
        URI.create(gateway.base() + "/gateway/ollama/api/tags")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tags.statusCode()).isEqualTo(200);
    assertThat(new String(tags.body(), StandardCharsets.UTF_8)).contains("dolphin3:8b");
    RecordingIngest.sleep(100);
    assertThat(gateway.ingest.spans).isEmpty();
  }

  @Test
  void captureOnKeepsPromptSystemAndStreamedReply() {
    try (GatewayHarness on = new GatewayHarness(GatewayConfig.defaults()
        .withOllamaUpstream(URI.create(upstream.base())).withCapture(CaptureMode.ON))) {
      on.post(on.base() + "/gateway/ollama/api/generate", GENERATE);
      Content content = on.ingest.single().llm().content();
      assertThat(content.inputMessagesJson()).contains("Describe a squirrel in 3 words");
      assertThat(content.systemInstructionsJson()).contains("You are Dolphin.");
      assertThat(content.outputMessagesJson()).contains("Fluffy white tail.");
    }
  }
}
