package dev.sightline.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key numbers of each fixture, read off the fixture files by hand (and, for the Langfuse exports,
 * checked against Langfuse's own {@code usageDetails}), independent of the golden files: a golden
 * regenerated from a wrong mapping still fails here.
 */
class FixtureFactsTest {
  private final SpanNormalizer normalizer = SpanNormalizer.create();

  private List<Span> normalized(String fixture) {
    return Fixtures.spans(fixture).stream().map(normalizer::normalize).toList();
  }

  private static void buckets(Usage u, long uncached, long read, long write5m, long write1h, long text, long reasoning) {
    assertThat(u.source()).isEqualTo(UsageSource.REPORTED);
    assertThat(u.rejectedReason()).isNull();
    assertThat(new long[] {u.inputUncached(), u.inputCacheRead(), u.inputCacheWrite5m(), u.inputCacheWrite1h(),
        u.outputText(), u.outputReasoning()})
        .containsExactly(uncached, read, write5m, write1h, text, reasoning);
  }

  @Test
  void envoyDetailedUsage_reasoningInsideCompletion() {
    LlmCall c = normalized("openinference-envoy-ai-gateway/chat-detailed-usage.json").get(0).llm();
    assertThat(c.provider()).isEqualTo("openai");
    assertThat(c.requestModel()).isEqualTo("gpt-5-nano-2025-08-07"); // llm.model_name, per the precedence table
    assertThat(c.responseModel()).isEqualTo("gpt-5-nano-2025-08-07");
    // prompt 12 (cache_read 0); completion 100 of which reasoning 100.
    buckets(c.usage(), 12, 0, 0, 0, 0, 100);
    assertThat(c.usage().totalTokens()).isEqualTo(112); // llm.token_count.total
    assertThat(c.outcome().status()).isEqualTo(CallStatus.OK);
    assertThat(c.outcome().finishReasons()).containsExactly("length");
    assertThat(c.timing().ttftNanos()).isNull();
  }

  @Test
  void envoyTools_reasoningAndToolCall() {
    LlmCall c = normalized("openinference-envoy-ai-gateway/chat-tools.json").get(0).llm();
    buckets(c.usage(), 162, 0, 0, 0, 287 - 256, 256);
    assertThat(c.usage().totalTokens()).isEqualTo(449);
    assertThat(c.outcome().finishReasons()).containsExactly("tool_calls");
    assertThat(c.content().outputMessagesJson()).contains("\"type\":\"tool_call\"")
        .contains("call_8fxy20OEu9ulvvaa5b5CzVA4").contains("get_current_weather");
    assertThat(c.content().toolDefinitionsJson()).contains("\"name\":\"get_current_weather\"");
  }

  @Test
  void envoyStreaming_streamFlagButNoTimestamps() {
    LlmCall c = normalized("openinference-envoy-ai-gateway/chat-streaming.json").get(0).llm();
    assertThat(c.streaming()).isTrue(); // llm.invocation_parameters {"stream": true}
    assertThat(c.usage().source()).isEqualTo(UsageSource.NONE);
    assertThat(c.outcome().finishReasons()).containsExactly("stop"); // from output.value
    // The recorder cleared timestamps, so the "First Token Stream Event" cannot give a TTFT.
    assertThat(c.timing().ttftNanos()).isNull();
    assertThat(c.timing().ttftSource()).isNull();
  }

  @Test
  void envoyBadRequest_errorFromStatusAndExceptionEvent() {
    LlmCall c = normalized("openinference-envoy-ai-gateway/chat-bad-request.json").get(0).llm();
    assertThat(c.outcome().status()).isEqualTo(CallStatus.ERROR);
    assertThat(c.outcome().errorType()).isEqualTo("openai.BadRequestError");
    assertThat(c.outcome().httpStatus()).isNull();
    assertThat(c.usage()).isEqualTo(Usage.NONE);
    assertThat(c.requestModel()).isNull();
  }

  @Test
  void genAiMaps_allThreeGenerationsAgree() {
    for (String f : List.of("openinference-genai-maps/otel_genai_client_span_tool_calls.json",
        "openinference-genai-maps/otel_genai_deprecated_client_span_tool_calls.json",
        "openinference-genai-maps/openinference_client_span_tool_calls.json")) {
      Span s = normalized(f).get(0);
      assertThat(s.category()).as(f).isEqualTo(SpanCategory.LLM);
      LlmCall c = s.llm();
      assertThat(c.provider()).as(f).isEqualTo("openai");
      assertThat(c.responseModel()).as(f).isEqualTo("gpt-4-0613");
      buckets(c.usage(), 97, 0, 0, 0, 52, 0);
      assertThat(c.outcome().finishReasons()).as(f).containsExactly("stop");
      assertThat(c.content().inputMessagesJson()).as(f).contains("Weather in Paris?").contains("\"tool_call\"")
          .contains("\"tool_call_response\"");
      assertThat(c.content().outputMessagesJson()).as(f).contains("currently rainy");
    }
    assertThat(normalized("openinference-genai-maps/otel_genai_client_span_tool_calls.json").get(0).llm()
        .requestModel()).isEqualTo("gpt-4");
  }

  @Test
  void genAiToolExecution_isAToolSpanWithoutCall() {
    Span s = normalized("openinference-genai-maps/otel_genai_tool_execution_span.json").get(0);
    assertThat(s.category()).isEqualTo(SpanCategory.TOOL);
    assertThat(s.llm()).isNull();
    assertThat(s.unmappedAttributes()).contains("gen_ai.tool.name", "input", "output");
  }

  @Test
  void vercel_doGenerateSpans() {
    List<Span> spans = normalized("vercel-ai-sdk/ai-generateText-doGenerate.json");
    assertThat(spans).hasSize(2);
    long[][] tokens = {{14, 20}, {50, 9}};
    for (int i = 0; i < 2; i++) {
      LlmCall c = spans.get(i).llm();
      assertThat(c.provider()).isEqualTo("openai"); // openai.responses
      assertThat(c.operation()).isEqualTo("responses");
      assertThat(c.requestModel()).isEqualTo("gpt-4o-mini");
      assertThat(c.responseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
      assertThat(c.streaming()).isFalse();
      buckets(c.usage(), tokens[i][0], 0, 0, 0, tokens[i][1], 0);
      assertThat(c.outcome().finishReasons()).containsExactly("stop");
      assertThat(c.timing().ttftNanos()).isNull();
      assertThat(c.timing().startEpochNanos()).isEqualTo(i == 0 ? 1770131992_242000000L : 1770131994_023000000L);
    }
    assertThat(spans.get(1).llm().content().inputMessagesJson()).startsWith("[{\"role\":\"system\"");
    assertThat(spans.get(0).llm().content().outputMessagesJson()).contains("Dreams in data flow.");
  }

  @Test
  void langfuseMicrosoftAgent_matchesLangfuseUsageDetails() {
    List<Span> spans = normalized("langfuse-framework-traces/microsoft-agent-2025-12-17.trace.json");
    assertThat(spans).extracting(Span::category).containsExactly(SpanCategory.AGENT, SpanCategory.LLM,
        SpanCategory.LLM, SpanCategory.TOOL);
    assertThat(spans.get(0).llm()).isNull(); // the agent span's usage would double count its chats
    LlmCall first = spans.get(1).llm();
    LlmCall second = spans.get(2).llm();
    // Langfuse usageDetails: {input 77, output 86} and {input 216, output 20}.
    buckets(first.usage(), 77, 0, 0, 0, 86, 0);
    buckets(second.usage(), 216, 0, 0, 0, 20, 0);
    for (LlmCall c : List.of(first, second)) {
      assertThat(c.provider()).isEqualTo("openai");
      assertThat(c.requestModel()).isEqualTo("gpt-5-mini");
      assertThat(c.responseModel()).isEqualTo("gpt-5-mini-2025-08-07");
      assertThat(c.outcome().status()).isEqualTo(CallStatus.OK);
      assertThat(c.timing().ttftNanos()).isNull();
    }
    assertThat(second.context().sessionId()).isEqualTo("resp_0e32bda5b6259ecd00694279e271348194a818447145cd1763");
    assertThat(first.content().outputMessagesJson()).contains("call_CwaJHuXTm9dmHFQPlVbqyzJ0");
  }

  @Test
  void langfusePydanticGemini_thoughtsAreReasoningInsideOutput() {
    List<Span> spans = normalized("langfuse-framework-traces/pydantic-ai-with-gemini-2025-12-24.trace.json");
    LlmCall c = spans.get(0).llm();
    assertThat(c.provider()).isEqualTo("gcp.gemini"); // gen_ai.system google-gla
    assertThat(c.requestModel()).isEqualTo("gemini-2.5-flash");
    // output_tokens 159 includes thoughts_tokens 121 (Langfuse usageDetails: input 40, output 159).
    buckets(c.usage(), 40, 0, 0, 0, 38, 121);
    assertThat(c.usage().outputTokens()).isEqualTo(159);
    assertThat(c.outcome().finishReasons()).containsExactly("stop");
    assertThat(c.cost().reportedUsd()).isEqualByComparingTo(new BigDecimal("0.0004095"));
    assertThat(c.cost().totalUsd()).isNull();
  }

  @Test
  void langfuseOpenAiAgents_openInferenceGenerations() {
    List<Span> spans = normalized("langfuse-framework-traces/openai-agents-2025-09-30.trace.json");
    assertThat(spans).extracting(Span::category).containsExactly(SpanCategory.AGENT, SpanCategory.AGENT,
        SpanCategory.LLM, SpanCategory.LLM, SpanCategory.TOOL);
    // Langfuse usageDetails: {input 85, output 29} and {input 55, output 15}, cache_read 0, reasoning 0.
    buckets(spans.get(2).llm().usage(), 85, 0, 0, 0, 29, 0);
    buckets(spans.get(3).llm().usage(), 55, 0, 0, 0, 15, 0);
    for (int i = 2; i <= 3; i++) {
      LlmCall c = spans.get(i).llm();
      assertThat(c.provider()).isEqualTo("openai");
      assertThat(c.operation()).isEqualTo("responses");
      assertThat(c.responseModel()).isEqualTo("gpt-4.1-2025-04-14");
      assertThat(c.outcome().finishReasons()).isEmpty(); // the Responses API reports none
    }
    assertThat(spans.get(3).llm().content().outputMessagesJson()).contains("\"tool_call\"");
  }

  @Test
  void otlpExamples_serverSpanIsOtherAndKeepsItsAttribute() {
    List<Span> spans = normalized("otlp-proto-examples/trace.json");
    assertThat(spans).hasSize(1);
    Span s = spans.get(0);
    assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(s.category()).isEqualTo(SpanCategory.OTHER);
    assertThat(s.llm()).isNull();
    assertThat(s.unmappedAttributes()).containsExactly("my.span.attr");
    assertThat(s.events()).extracting(e -> e.name()).containsExactly("log"); // logs.json joined by span id
    assertThat(normalized("otlp-proto-examples/metrics.json")).isEmpty();
  }
}
