package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real anthropic-java SDK pointed at {@code /gateway/anthropic}: messages work as they do
 * against the upstream directly, byte for byte, and each call is recorded with Anthropic's usage
 * turned into exact disjoint buckets.
 */
class AnthropicSdkThroughGatewayTest {
  static final String API_KEY = "sk-ant-test-never-recorded";
  static FakeAnthropic upstream;
  static GatewayHarness gateway;
  static AnthropicClient viaGateway;
  static AnthropicClient direct;

  @BeforeAll
  static void start() {
    upstream = new FakeAnthropic();
    gateway = new GatewayHarness(GatewayConfig.defaults().withAnthropicUpstream(URI.create(upstream.base()))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
    viaGateway = AnthropicOkHttpClient.builder().apiKey(API_KEY).baseUrl(gateway.base() + "/gateway/anthropic")
        .maxRetries(0).build();
    direct = AnthropicOkHttpClient.builder().apiKey(API_KEY).baseUrl(upstream.base()).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    viaGateway.close();
    direct.close();
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    gateway.ingest.reset();
  }

  static MessageCreateParams params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessage("Say hello").build();
  }

  @Test
  void messageIsRecordedWithExactUsage() {
    Message m = viaGateway.messages().create(params("claude-sonnet-4-5"));
    assertThat(m.content().get(0).asText().text()).isEqualTo("Hello from Claude.");

    Span span = gateway.ingest.single();
    assertThat(span.category()).isEqualTo(SpanCategory.LLM);
    assertThat(span.name()).isEqualTo("chat claude-sonnet-4-5");
    LlmCall call = span.llm();
    assertThat(call.provider()).isEqualTo("anthropic");
    assertThat(call.operation()).isEqualTo("chat");
    assertThat(call.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(call.responseModel()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(call.streaming()).isFalse();
    assertThat(call.usage()).isEqualTo(Usage.reported(21, 0, 0, 0, 40, 0));
    assertThat(call.outcome().status()).isEqualTo(CallStatus.OK);
    assertThat(call.outcome().httpStatus()).isEqualTo(200);
    assertThat(call.outcome().finishReasons()).containsExactly("end_turn");
    assertThat(call.timing().ttftNanos()).isNull();

    // the credentials reach the upstream and nowhere else (this SDK version sends the key as a bearer token)
    String credentials = upstream.lastHeaders.get("x-api-key", "") + upstream.lastHeaders.get("authorization", "");
    assertThat(credentials).contains(API_KEY);
    assertThat(upstream.lastHeaders.get("anthropic-version")).isNotBlank();
    assertThat(span.toString()).doesNotContain(API_KEY);
  }

  @Test
  void cacheReadAndBothCacheWritesLandInTheirOwnBuckets() {
    viaGateway.messages().create(params("claude-cache"));
    Usage u = gateway.ingest.single().llm().usage();
    // input_tokens 7 excludes the 1200 read and the 350 written (100 for 5 minutes, 250 for 1 hour)
    assertThat(u).isEqualTo(Usage.reported(7, 1200, 100, 250, 40, 0));
    assertThat(u.inputTokens()).isEqualTo(7 + 1200 + 350);
    gateway.ingest.reset();

    try (StreamResponse<RawMessageStreamEvent> s = viaGateway.messages().createStreaming(params("claude-cache"))) {
      assertThat(s.stream().count()).isPositive();
    }
    assertThat(gateway.ingest.single().llm().usage()).isEqualTo(Usage.reported(7, 1200, 100, 250, 40, 0));
  }

  @Test
  void streamedMessageIsTimedAndRecorded() {
    List<RawMessageStreamEvent> events;
    try (StreamResponse<RawMessageStreamEvent> s = viaGateway.messages().createStreaming(params("claude-sonnet-4-5"))) {
      events = s.stream().toList();
    }
    List<RawMessageStreamEvent> straight;
    try (StreamResponse<RawMessageStreamEvent> s = direct.messages().createStreaming(params("claude-sonnet-4-5"))) {
      straight = s.stream().toList();
    }
    assertThat(events).isEqualTo(straight);
    assertThat(events.get(0).isMessageStart()).isTrue();

    Span span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.streaming()).isTrue();
    assertThat(call.responseModel()).isEqualTo("claude-sonnet-4-5-20250929");
    // message_start's input side, message_delta's cumulative output (40, not message_start's 1)
    assertThat(call.usage()).isEqualTo(Usage.reported(21, 0, 0, 0, 40, 0));
    assertThat(call.outcome().finishReasons()).containsExactly("tool_use");
    assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
    // message_start, the empty thinking block and the ping come at once; the first delta with content later
    assertThat(call.timing().ttftNanos()).isGreaterThanOrEqualTo((FakeAnthropic.FIRST_DELTA_MS - 1) * 1_000_000L);
    assertThat(call.timing().lastTokenEpochNanos()).isNotNull();
    // thinking, three text deltas and one non-empty tool input; not the signature or the empty partial_json
    assertThat(span.attributes().get("sightline.gateway.content_chunks")).isEqualTo(5L);
    // the longest gap between content chunks is 80 ms as scripted (the events between them are 20 ms
    // apart); 5 ms of slack for the fake's timer and the read on a loaded machine, still far from 20-40 ms
    assertThat(call.timing().maxInterTokenGapNanos()).isGreaterThanOrEqualTo(75_000_000L);
  }

  @Test
  void bodiesAreIdenticalToADirectCall() {
    byte[] viaG = raw(viaGateway, c -> c.messages().withRawResponse().create(params("claude-sonnet-4-5")));
    byte[] straight = raw(direct, c -> c.messages().withRawResponse().create(params("claude-sonnet-4-5")));
    assertThat(viaG).isEqualTo(straight);

    viaG = raw(viaGateway, c -> c.messages().withRawResponse().createStreaming(params("claude-cache")));
    straight = raw(direct, c -> c.messages().withRawResponse().createStreaming(params("claude-cache")));
    assertThat(new String(viaG, StandardCharsets.UTF_8)).isEqualTo(new String(straight, StandardCharsets.UTF_8));
    assertThat(viaG).isEqualTo(straight);
    // both calls through the gateway are recorded (records follow the response: wait for them, so
    // that none arrives during the next test)
    assertThat(gateway.ingest.await(2)).hasSize(2);
  }

  @Test
  void upstreamErrorPassesThroughAndIsRecorded() {
    assertThatThrownBy(() -> viaGateway.messages().create(params("claude-429")))
        .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.headers().values("retry-after")).containsExactly("7");
          assertThat(e.headers().values("request-id")).containsExactly("req_429");
        });
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().httpStatus()).isEqualTo(429);
    assertThat(call.outcome().errorType()).isEqualTo("rate_limit_error");
    assertThat(call.usage().source()).isEqualTo(UsageSource.NONE);

    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/anthropic/v1/messages",
        "{\"model\":\"claude-429\",\"max_tokens\":5,\"messages\":[]}", "x-api-key", API_KEY);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(FakeAnthropic.ERROR_429);
    // recorded too (waited for, so that the record never lands in the next test)
    assertThat(gateway.ingest.await(2).get(1).llm().outcome().httpStatus()).isEqualTo(429);
  }

  @Test
  void errorEventInAStreamIsRecorded() {
    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/anthropic/v1/messages",
        "{\"model\":\"claude-stream-error\",\"stream\":true,\"max_tokens\":5,\"messages\":[]}",
        "x-api-key", API_KEY, "anthropic-version", "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("\"message\":\"Overloaded\"}}\n\n");
    assertThat(upstream.lastHeaders.get("x-api-key")).isEqualTo(API_KEY);
    assertThat(upstream.lastHeaders.get("anthropic-version")).isEqualTo("2023-06-01");
    Span span = gateway.ingest.single();
    assertThat(span.toString()).doesNotContain(API_KEY).doesNotContain("2023-06-01");
    LlmCall call = span.llm();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(call.outcome().errorType()).isEqualTo("overloaded_error");
    // the input side from message_start is kept
    assertThat(call.usage().inputUncached()).isEqualTo(21);
  }

  @Test
  void otherMessagesPathsPassThroughUnrecorded() {
    HttpResponse<byte[]> r = gateway.post(gateway.base() + "/gateway/anthropic/v1/messages/count_tokens",
        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}", "x-api-key", API_KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"input_tokens\":14}");
    RecordingIngest.sleep(100);
    assertThat(gateway.ingest.spans).isEmpty();
  }

  @Test
  void captureOnKeepsSystemPromptAndReply() {
    try (GatewayHarness on = new GatewayHarness(GatewayConfig.defaults()
        .withAnthropicUpstream(URI.create(upstream.base())).withCapture(CaptureMode.ON))) {
      HttpResponse<byte[]> r = on.post(on.base() + "/gateway/anthropic/v1/messages",
          "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"system\":\"Be brief.\","
              + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Say hello\"}]}]}",
          "x-api-key", API_KEY);
      assertThat(r.statusCode()).isEqualTo(200);
      var content = on.ingest.single().llm().content();
      assertThat(content.systemInstructionsJson()).contains("Be brief.");
      assertThat(content.inputMessagesJson()).contains("Say hello");
      assertThat(content.outputMessagesJson()).contains("Hello from Claude.").contains("end_turn");
    }
  }

  private static byte[] raw(AnthropicClient client, Function<AnthropicClient, HttpResponseFor<?>> call) {
    try (HttpResponseFor<?> r = call.apply(client); InputStream in = r.body()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
