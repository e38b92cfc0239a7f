package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Where a provider reports no usage, the gateway counts tokens with a tokenizer and marks the
 * usage {@code estimated}: the prompt from the request, the output from the body or, for a
 * stream, one token per content chunk.
 */
class TokenEstimateTest extends OpenAiGatewayTest {
  static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"system\","
        + "\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Say hello to the tokenizer\"}]}]}";
  }

  /** What the prompt of {@link #chat} counts as: its texts, plus 3 per message and 3 for the reply. */
  static long prompt(Encoding enc) {
    return enc.countTokensOrdinary("You are terse.\nSay hello to the tokenizer\n") + 2 * 3 + 3;
  }

  @Test
  void theEncodingFollowsTheModel() {
    for (String m : new String[] {"gpt-4o", "gpt-4o-mini-2024-07-18", "gpt-4.1-nano", "gpt-5", "o1", "o3-mini",
        "o4-mini", "openai/gpt-oss-120b", "chatgpt-4o-latest"}) {
      assertThat(TokenEstimate.encodingFor(m)).as(m).isEqualTo(EncodingType.O200K_BASE);
    }
    for (String m : new String[] {"gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "text-embedding-3-small", "llama3.2",
        "meta-llama/Llama-3.1-8B-Instruct", "claude-sonnet-4-5", "omni-model", "o1x"}) {
      assertThat(TokenEstimate.encodingFor(m)).as(m).isEqualTo(EncodingType.CL100K_BASE);
    }
    assertThat(TokenEstimate.encodingFor(null)).isEqualTo(EncodingType.CL100K_BASE);
  }

  @Test
  void aNonStreamedAnswerWithoutUsageIsCounted() {
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", chat("no-usage", false));
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("usage");
    LlmCall call = gateway.ingest.single().llm();
    assertThat(call.usage()).isEqualTo(new Usage(prompt(CL100K), 0, 0, 0, CL100K.countTokensOrdinary("Hello there."), 0,
        UsageSource.ESTIMATED, false, null));
    gateway.ingest.reset();

    // a model of the o200k family is counted with o200k
    gateway.post(gateway.openaiBase() + "/chat/completions", chat("no-usage/gpt-4o", false));
    assertThat(gateway.ingest.single().llm().usage().inputUncached()).isEqualTo(prompt(O200K));
    gateway.ingest.reset();
  }

  @Test
  void aStreamFromAServerThatIgnoresIncludeUsageIsCounted() {
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", chat("no-usage", true));
    assertThat(r.statusCode()).isEqualTo(200);
    var span = gateway.ingest.single();
    LlmCall call = span.llm();
    assertThat(call.usage().source()).isEqualTo(UsageSource.ESTIMATED);
    assertThat(call.usage().inputUncached()).isEqualTo(prompt(CL100K));
    // one token per content chunk: the recorded stream has 30 of them
    assertThat(call.usage().outputTokens()).isEqualTo(30).isEqualTo(span.attributes().get("sightline.gateway.content_chunks"));
    assertThat(span.attributes()).containsEntry("sightline.usage.source", "estimated");
    gateway.ingest.reset();
  }

  @Test
  void reportedUsageIsNeverReplaced() {
    gateway.post(gateway.openaiBase() + "/chat/completions", chat("gpt-4o", false));
    assertThat(gateway.ingest.single().llm().usage()).isEqualTo(Usage.reported(16, 3, 0, 0, 8, 2));
    gateway.ingest.reset();
  }

  @Test
  void failedCallsAreNotCounted() {
    gateway.post(gateway.openaiBase() + "/chat/completions", chat("error-429", false));
    assertThat(gateway.ingest.single().llm().usage().source()).isEqualTo(UsageSource.NONE);
    gateway.ingest.reset();
  }

  @Test
  void longTextIsExtrapolatedBeyondTheLimit() {
    String chunk = "The quick brown fox jumps over the lazy dog. ";
    String text = chunk.repeat(TokenEstimate.MAX_CHARS / chunk.length() * 3);
    long counted = TokenEstimate.count(text, EncodingType.CL100K_BASE);
    long exact = CL100K.countTokensOrdinary(text);
    assertThat((double) counted).isCloseTo(exact, org.assertj.core.api.Assertions.withinPercentage(1));
  }
}
