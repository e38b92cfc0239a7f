package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
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
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real openai-java SDK pointed at the gateway: every call works as it does against the
 * upstream directly, what the SDK receives is byte-identical, and each call is recorded with the
 * provider's exact token counts.
 */
class OpenAiSdkThroughGatewayTest extends OpenAiGatewayTest {
  static OpenAIClient viaGateway;
  static OpenAIClient direct;

  @BeforeAll
  static void startClients() {
    viaGateway = OpenAIOkHttpClient.builder().apiKey("sk-test-gateway").baseUrl(gateway.openaiBase())
        .maxRetries(0).build();
    direct = OpenAIOkHttpClient.builder().apiKey("sk-test-direct").baseUrl(upstream.base() + "/v1")
        .maxRetries(0).build();
  }

  @AfterAll
  static void closeClients() {
    if (viaGateway != null) { // null when the set-up was skipped (no fixtures)
      viaGateway.close();
    }
    if (direct != null) {
      direct.close();
    }
  }

  private static final ChatCompletionCreateParams CHAT = ChatCompletionCreateParams.builder()
      .model("gpt-4o").addUserMessage("Say hello").build();

  @Test
  void chatCompletionIsRecordedWithExactUsage() {
    ChatCompletion c = viaGateway.chat().completions().create(CHAT);
    assertThat(c.choices().get(0).message().content()).contains("Hello there.");

    Span span = gateway.ingest.single();
    assertThat(span.category()).isEqualTo(SpanCategory.LLM);
    LlmCall call = span.llm();
    assertThat(call.provider()).isEqualTo("openai");
    assertThat(call.operation()).isEqualTo("chat");
    assertThat(call.requestModel()).isEqualTo("gpt-4o");
    assertThat(call.responseModel()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(call.streaming()).isFalse();
    // prompt 19 incl. 3 cached; completion 10 incl. 2 reasoning
    assertThat(call.usage()).isEqualTo(Usage.reported(16, 3, 0, 0, 8, 2));
    assertThat(call.cost()).isNull();
    assertThat(call.outcome().status()).isEqualTo(CallStatus.OK);
    assertThat(call.outcome().httpStatus()).isEqualTo(200);
    assertThat(call.outcome().finishReasons()).containsExactly("stop");
    assertThat(call.timing().ttftNanos()).isNull();
    assertThat(call.timing().endEpochNanos()).isGreaterThanOrEqualTo(call.timing().startEpochNanos());
    assertThat(call.context().traceId()).hasSize(32);
    assertThat(span.parentSpanId()).isNull();
  }

  @Test
  void chatCompletionBytesAreIdenticalToADirectCall() {
    byte[] throughGateway = raw(viaGateway, c -> c.chat().completions().withRawResponse().create(CHAT));
    byte[] straight = raw(direct, c -> c.chat().completions().withRawResponse().create(CHAT));
    assertThat(throughGateway).isEqualTo(straight);
  }

  @Test
  void streamedChatIsRecordedWithUsageTheClientDidNotAskFor() {
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> s = viaGateway.chat().completions().createStreaming(CHAT)) {
      chunks = s.stream().toList();
    }
    List<ChatCompletionChunk> straight;
    try (StreamResponse<ChatCompletionChunk> s = direct.chat().completions().createStreaming(CHAT)) {
      straight = s.stream().toList();
    }
    assertThat(chunks).isEqualTo(straight);
    assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    assertThat(chunks).noneMatch(c -> c.choices().isEmpty());

    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.streaming()).isTrue();
    // the fixture's own usage chunk: prompt 14, completion 30 (0 reasoning)
    assertThat(call.usage()).isEqualTo(Usage.reported(14, 0, 0, 0, 30, 0));
    assertThat(call.responseModel()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(call.timing().ttftSource()).isEqualTo(TtftSource.GATEWAY);
    assertThat(call.timing().ttftNanos()).isPositive();
    assertThat(call.timing().lastTokenEpochNanos()).isNotNull();
    assertThat(call.outcome().finishReasons()).containsExactly("stop");
  }

  @Test
  void streamedChatBytesAreIdenticalToADirectCall() {
    byte[] throughGateway = raw(viaGateway, c -> c.chat().completions().withRawResponse().createStreaming(CHAT));
    byte[] straight = raw(direct, c -> c.chat().completions().withRawResponse().createStreaming(CHAT));
    assertThat(new String(throughGateway)).isEqualTo(new String(straight));
    assertThat(throughGateway).isEqualTo(straight);
  }

  @Test
  void responsesApiIsRecordedWithCachedAndReasoningTokens() {
    ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4.1").input("Say hi").build();
    Response r = viaGateway.responses().create(params);
    assertThat(r.id()).isEqualTo("resp_1");

    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.operation()).isEqualTo("responses");
    assertThat(call.requestModel()).isEqualTo("gpt-4.1");
    assertThat(call.responseModel()).isEqualTo("gpt-4.1-2025-04-14");
    // input 36 incl. 4 cached; output 87 incl. 64 reasoning
    assertThat(call.usage()).isEqualTo(Usage.reported(32, 4, 0, 0, 23, 64));
    assertThat(call.outcome().finishReasons()).containsExactly("completed");

    byte[] throughGateway = raw(viaGateway, c -> c.responses().withRawResponse().create(params));
    byte[] straight = raw(direct, c -> c.responses().withRawResponse().create(params));
    assertThat(throughGateway).isEqualTo(straight);
  }

  @Test
  void embeddingsAreRecordedAsEmbeddingSpans() {
    EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("text-embedding-3-small")
        .input("The food was delicious").build();
    CreateEmbeddingResponse r = viaGateway.embeddings().create(params);
    assertThat(r.data()).hasSize(1);

    Span span = gateway.ingest.single();
    assertThat(span.category()).isEqualTo(SpanCategory.EMBEDDING);
    LlmCall call = span.llm();
    assertThat(call.operation()).isEqualTo("embeddings");
    assertThat(call.usage()).isEqualTo(Usage.reported(8, 0, 0, 0, 0, 0));
    assertThat(call.usage().source()).isEqualTo(UsageSource.REPORTED);

    byte[] throughGateway = raw(viaGateway, c -> c.embeddings().withRawResponse().create(params));
    byte[] straight = raw(direct, c -> c.embeddings().withRawResponse().create(params));
    assertThat(throughGateway).isEqualTo(straight);
  }

  private static byte[] raw(OpenAIClient client, Function<OpenAIClient, HttpResponseFor<?>> call) {
    try (HttpResponseFor<?> r = call.apply(client); InputStream in = r.body()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
