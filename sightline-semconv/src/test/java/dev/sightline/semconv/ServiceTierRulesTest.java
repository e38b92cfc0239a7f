package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.chat;
import static dev.sightline.semconv.Spans.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The service tier that served a call (batch / priority / flex prices depend on it). */
class ServiceTierRulesTest {
  private static String tier(Object... kv) {
    return normalize(chat(kv)).llm().serviceTier();
  }

  @Test
  void theResponseTierWinsOverTheRequestedOne() {
    // asked for auto, served by flex: flex prices
    assertThat(tier("openai.request.service_tier", "auto", "openai.response.service_tier", "flex")).isEqualTo("flex");
    assertThat(tier("gen_ai.openai.request.service_tier", "auto", "gen_ai.openai.response.service_tier", "Priority"))
        .isEqualTo("priority");
    assertThat(tier("openai.response.service_tier", "default", "gen_ai.openai.response.service_tier", "flex"))
        .isEqualTo("default");
  }

  @Test
  void theRequestedTierWhenTheResponseDoesNotSay() {
    assertThat(tier("openai.request.service_tier", "flex")).isEqualTo("flex");
    assertThat(tier("gen_ai.openai.request.service_tier", "priority")).isEqualTo("priority");
  }

  @Test
  void openInferenceRawResponseAndInvocationParameters() {
    // OpenAI's response carries service_tier at the top level; Anthropic's inside usage
    assertThat(tier("output.value", "{\"id\":\"x\",\"object\":\"chat.completion\",\"service_tier\":\"flex\"}",
        "llm.invocation_parameters", "{\"service_tier\":\"auto\"}")).isEqualTo("flex");
    assertThat(tier("output.value", "{\"type\":\"message\",\"usage\":{\"input_tokens\":3,\"service_tier\":\"batch\"}}"))
        .isEqualTo("batch");
    assertThat(tier("llm.invocation_parameters", "{\"model\":\"gpt-5\",\"service_tier\":\"priority\"}"))
        .isEqualTo("priority");
  }

  @Test
  void noTierAndUnreadableValues() {
    assertThat(tier()).isNull();
    assertThat(tier("output.value", "not json \"service_tier\"")).isNull();
    assertThat(tier("openai.response.service_tier", "  ")).isNull();
  }

  @Test
  void tierAttributesAreNotReportedUnmapped() {
    assertThat(normalize(chat("openai.response.service_tier", "flex", "openai.request.service_tier", "auto"))
        .unmappedAttributes()).doesNotContain("openai.response.service_tier", "openai.request.service_tier");
  }
}
