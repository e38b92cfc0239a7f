package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.RequestHeaders;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.TtftSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateway keys with real SDKs: a virtual key is swapped for the provider key the server holds, a
 * caller's own provider key travels with an ingest key that never reaches the upstream, a caller
 * without a valid key gets a 401 its SDK raises and nothing is relayed, and no key of any kind is
 * recorded.
 */
class GatewayKeysTest {
  static final String OPENAI_VK = "sl_vk_Q7cW2nLx9RkT4bVz8HmJ3pYf6DsA1gEu";
  static final String ANTHROPIC_VK = "sl_vk_Zt5Kq2Wm8Nb4Xv7Lc1Rj9Hp3Gd6Fs0Ay";
  static final String INGEST_KEY = "sl_ingest_Mb3Vn7Qx1Lk9Tz5Wc2Rh8Jp4Ys6Ge0Df";
  static final String OPENAI_HELD = "sk-proj-server-held-openai-0042";
  static final String ANTHROPIC_HELD = "sk-ant-server-held-anthropic-0042";
  static final String CALLER_OWN = "sk-caller-own-openai-key-7";
  static final List<String> SECRETS = List.of(OPENAI_VK, ANTHROPIC_VK, INGEST_KEY, OPENAI_HELD, ANTHROPIC_HELD,
      CALLER_OWN);

  /** Virtual keys by key text: the provider they are for, their project, the provider key held for them. */
  record Virtual(String provider, String project, String providerKey) {}

  /**
   * A map-backed stand-in for the server's key store: {@code x-sightline-key} names an ingest key
   * (the caller's own credentials go upstream), else the provider credential must be a virtual key
   * for the route's provider.
   */
  static final class KeyMap implements GatewayAccess {
    final Map<String, Virtual> virtual = Map.of(
        OPENAI_VK, new Virtual("openai", "team-a", OPENAI_HELD),
        ANTHROPIC_VK, new Virtual("anthropic", "team-b", ANTHROPIC_HELD));
    final Map<String, String> ingest = Map.of(INGEST_KEY, "team-c");
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public Decision check(Function<String, String> header, String provider) {
      asked.add(provider);
      String sightline = header.apply("x-sightline-key");
      if (sightline != null) {
        String project = ingest.get(sightline.strip());
        return project == null ? Decision.refuse("unknown Sightline key " + sightline)
            : Decision.allow(project, null);
      }
      String presented = header.apply("x-api-key");
      String auth = header.apply("authorization");
      if (presented == null && auth != null && auth.startsWith("Bearer ")) {
        presented = auth.substring(7);
      }
      Virtual v = presented == null ? null : virtual.get(presented);
      if (v == null || !v.provider().equals(provider)) {
        // repeats the key on purpose: the gateway must mask it before the caller sees the message
        return Decision.refuse("no valid Sightline key: " + presented + " is neither a virtual key for '"
            + provider + "' nor sent with x-sightline-key");
      }
      return Decision.allow(v.project(), v.providerKey());
    }
  }

  static FakeOpenAi upstream;
  static FakeAnthropic anthropic;
  static KeyMap keys;
  static GatewayHarness gateway;
  static OpenAIClient direct;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    anthropic = new FakeAnthropic();
    keys = new KeyMap();
    // content capture on: the prompt and answer are recorded, and still no key may appear
    gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.ON)
        .withAnthropicUpstream(URI.create(anthropic.base())), null, CallAdmission.ADMIT_ALL, keys);
    direct = OpenAIOkHttpClient.builder().apiKey(OPENAI_HELD).baseUrl(upstream.base() + "/v1").maxRetries(0)
        .build();
  }

  @AfterAll
  static void stop() {
    // only what the set-up started (it stops early when the shared fixtures are absent)
    if (direct != null) {
      direct.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  @BeforeEach
  void reset() {
    gateway.ingest.reset();
    keys.asked.clear();
  }

  private static final ChatCompletionCreateParams CHAT = ChatCompletionCreateParams.builder()
      .model("gpt-4o").addUserMessage("Say hello").build();

  private static OpenAIClient client(String apiKey, String... headers) {
    OpenAIOkHttpClient.Builder b = OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl(gateway.openaiBase())
        .maxRetries(0);
    for (int i = 0; i < headers.length; i += 2) {
      b.putHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  @Test
  void aVirtualKeyIsSwappedForTheHeldProviderKeyAndRecordedInItsProject() {
    OpenAIClient c = client(OPENAI_VK);
    try {
      ChatCompletion r = c.chat().completions().create(CHAT);
      assertThat(r.choices().get(0).message().content()).contains("Hello there.");
    } finally {
      c.close();
    }
    RequestHeaders seen = upstream.lastHeaders;
    assertThat(seen.get("authorization")).isEqualTo("Bearer " + OPENAI_HELD);
    assertThat(seen.toString()).doesNotContain(OPENAI_VK).doesNotContain("sl_vk_");
    assertThat(keys.asked).containsExactly("openai");

    Span span = gateway.ingest.single();
    assertThat(span.llm().requestModel()).isEqualTo("gpt-4o");
    assertThat(span.llm().content().toString()).contains("Say hello"); // content was captured
    List<TelemetryBatch> batches = gateway.ingest.batches;
    assertThat(batches).singleElement().satisfies(b -> assertThat(b.project()).isEqualTo("team-a"));
    assertNoSecretIn(batches);
  }

  @Test
  void anAnthropicVirtualKeyBecomesTheHeldXApiKeyAndTheVersionHeaderStays() {
    AnthropicClient c = AnthropicOkHttpClient.builder().apiKey(ANTHROPIC_VK)
        .baseUrl(gateway.base() + "/gateway/anthropic").maxRetries(0).build();
    try {
      Message m = c.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
          .addUserMessage("Say hello").build());
      assertThat(m.content().get(0).asText().text()).isEqualTo("Hello from Claude.");
    } finally {
      c.close();
    }
    RequestHeaders seen = anthropic.lastHeaders;
    assertThat(seen.get("x-api-key")).isEqualTo(ANTHROPIC_HELD);
    assertThat(seen.get("authorization")).isNull();
    assertThat(seen.get("anthropic-version")).isNotBlank();
    assertThat(seen.toString()).doesNotContain(ANTHROPIC_VK);
    assertThat(keys.asked).containsExactly("anthropic");

    assertThat(gateway.ingest.single().llm().provider()).isEqualTo("anthropic");
    assertThat(gateway.ingest.batches).singleElement().satisfies(b -> assertThat(b.project()).isEqualTo("team-b"));
    assertNoSecretIn(gateway.ingest.batches);
  }

  @Test
  void anOwnProviderKeyGoesUpstreamAndTheSightlineKeyDoesNot() {
    OpenAIClient c = client(CALLER_OWN, "x-sightline-key", INGEST_KEY);
    try {
      c.chat().completions().create(CHAT);
    } finally {
      c.close();
    }
    RequestHeaders seen = upstream.lastHeaders;
    assertThat(seen.get("authorization")).isEqualTo("Bearer " + CALLER_OWN);
    assertThat(seen.contains("x-sightline-key")).isFalse();
    assertThat(seen.toString()).doesNotContain(INGEST_KEY);

    gateway.ingest.single();
    assertThat(gateway.ingest.batches).singleElement().satisfies(b -> assertThat(b.project()).isEqualTo("team-c"));
    assertNoSecretIn(gateway.ingest.batches);
  }

  @Test
  void aCallerWithoutAValidKeyGetsA401ItsSdkRaisesAndNothingIsRelayed() throws Exception {
    int before = upstream.requests.get();
    List<String> bodies = new ArrayList<>();
    // no Sightline key at all; a virtual key for another provider; an unknown ingest key
    for (OpenAIClient c : List.of(client(CALLER_OWN), client(ANTHROPIC_VK),
        client(CALLER_OWN, "x-sightline-key", "sl_ingest_unknownUnknownUnknown00"))) {
      try {
        assertThatThrownBy(() -> c.chat().completions().create(CHAT))
            .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
              assertThat(e.statusCode()).isEqualTo(401);
              bodies.add(e.body().toString());
            });
      } finally {
        c.close();
      }
    }
    // a path the gateway passes through unrecorded is guarded as well
    HttpResponse<byte[]> raw = gateway.post(gateway.openaiBase() + "/models", "{}", "authorization",
        "Bearer sl_vk_notAKeyNotAKeyNotAKeyNotAKey00");
    assertThat(raw.statusCode()).isEqualTo(401);
    JsonNode error = FakeOpenAi.JSON.readTree(raw.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("code").asText()).isEqualTo("sightline_unauthorized");
    assertThat(error.get("message").asText()).startsWith("no valid Sightline key: [redacted] is neither");
    bodies.add(new String(raw.body()));

    assertThat(bodies).hasSize(4).allSatisfy(b -> {
      assertThat(b).contains("sightline_unauthorized");
      for (String secret : SECRETS) {
        assertThat(b).doesNotContain(secret);
      }
      assertThat(b).doesNotContain("sl_vk_").doesNotContain("sl_ingest_");
    });
    assertThat(upstream.requests.get()).isEqualTo(before);
    assertThat(gateway.gateway.accessRefusals()).containsEntry("openai", 4L);
    assertThat(gateway.gateway.awaitRecorded(java.time.Duration.ofSeconds(10))).isTrue();
    assertThat(gateway.ingest.spans).as("refused calls are not recorded").isEmpty();
  }

  @Test
  void aStreamWithAVirtualKeyIsByteIdenticalAndTimedAsBefore() {
    OpenAIClient c = client(OPENAI_VK);
    byte[] throughGateway;
    try {
      throughGateway = raw(c.chat().completions().withRawResponse().createStreaming(CHAT));
    } finally {
      c.close();
    }
    byte[] straight = raw(direct.chat().completions().withRawResponse().createStreaming(CHAT));
    assertThat(new String(throughGateway)).isEqualTo(new String(straight));
    assertThat(throughGateway).isEqualTo(straight);
    assertThat(gateway.ingest.single().llm().timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
    gateway.ingest.reset();

    // the scripted stream: first token 400 ms after the request reaches the upstream, then every 25 ms
    String url = gateway.openaiBase() + "/chat/completions";
    String warm = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"w\"}]}";
    for (int i = 0; i < 50; i++) {
      gateway.post(url, warm, "authorization", "Bearer " + OPENAI_VK);
    }
    gateway.ingest.await(50);
    gateway.ingest.reset();
    String paced = "{\"model\":\"paced\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    for (int i = 0; i < 9; i++) {
      HttpResponse<byte[]> r = gateway.post(url, paced, "authorization", "Bearer " + OPENAI_VK);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new String(r.body())).endsWith("data: [DONE]\n\n");
    }
    List<Double> ttft = new ArrayList<>();
    for (Span s : gateway.ingest.await(9)) {
      LlmCall call = s.llm();
      assertThat(call.usage().outputTokens()).isEqualTo(20);
      assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
      ttft.add(call.timing().ttftMs());
    }
    assertThat(StreamingTimingTest.median(ttft)).as("median TTFT ms %s", ttft).isBetween(400.0, 410.0);
    assertThat(upstream.lastHeaders.get("authorization")).isEqualTo("Bearer " + OPENAI_HELD);
    assertThat(gateway.ingest.batches).allSatisfy(b -> assertThat(b.project()).isEqualTo("team-a"));
    assertNoSecretIn(gateway.ingest.batches);
  }

  /** Everything recorded, as text (every record component, spans and attributes included), holds no key. */
  private static void assertNoSecretIn(List<TelemetryBatch> batches) {
    String recorded = batches.toString();
    assertThat(recorded).contains("gen_ai.provider.name"); // the text is the whole record
    for (String secret : SECRETS) {
      assertThat(recorded).doesNotContain(secret);
    }
    assertThat(recorded).doesNotContain("sl_vk_").doesNotContain("sl_ingest_").doesNotContain("x-sightline-key");
  }

  private static byte[] raw(HttpResponseFor<?> r) {
    try (r; InputStream in = r.body()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
