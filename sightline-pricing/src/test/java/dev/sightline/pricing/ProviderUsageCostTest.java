package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import org.junit.jupiter.api.Test;

/**
 * Calls priced from the usage each provider's API reports, turned into Sightline's disjoint buckets
 * the way ARCHITECTURE.md §4 says (the helpers below); prices are the bundled snapshot's. Where a
 * usage comes from a real payload in ../shared/fixtures, the test says which.
 */
class ProviderUsageCostTest {

  // ---- usage as each API reports it ----------------------------------------------------------

  /** Chat Completions: prompt_tokens includes cached_tokens, completion_tokens includes reasoning_tokens. */
  private static Usage chatCompletions(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
    return usage(promptTokens - cachedTokens, cachedTokens, 0, 0, completionTokens - reasoningTokens, reasoningTokens);
  }

  /** Responses: input_tokens includes input_tokens_details.cached_tokens, output_tokens includes reasoning. */
  private static Usage responses(long inputTokens, long cachedTokens, long outputTokens, long reasoningTokens) {
    return usage(inputTokens - cachedTokens, cachedTokens, 0, 0, outputTokens - reasoningTokens, reasoningTokens);
  }

  /** Anthropic Messages: input_tokens excludes cache reads and writes; the 5m/1h split is in cache_creation. */
  private static Usage anthropic(long inputTokens, long cacheRead, long ephemeral5m, long ephemeral1h, long outputTokens) {
    return usage(inputTokens, cacheRead, ephemeral5m, ephemeral1h, outputTokens, 0);
  }

  /** Gemini usageMetadata: promptTokenCount includes cachedContentTokenCount; candidates exclude thoughts. */
  private static Usage gemini(long promptTokenCount, long cachedContentTokenCount, long candidatesTokenCount,
      long thoughtsTokenCount) {
    return usage(promptTokenCount - cachedContentTokenCount, cachedContentTokenCount, 0, 0, candidatesTokenCount,
        thoughtsTokenCount);
  }

  private static Cost price(String provider, String operation, String model, Usage usage, boolean streaming) {
    LlmCall call = new LlmCall(provider, operation, model, null, streaming, usage, null, null, null, null, null);
    return Fixtures.Calculator.BUNDLED.price(call).cost();
  }

  // ---- OpenAI ---------------------------------------------------------------------------------

  @Test
  void openAiChatCompletionsAllReasoning() {
    // otlp/openinference-envoy-ai-gateway/chat-detailed-usage.json: gpt-5-nano-2025-08-07,
    // prompt_tokens 12 (cached 0), completion_tokens 100 of which reasoning_tokens 100
    // gpt-5-nano-2025-08-07: input 5e-8, output 4e-7 (no reasoning price: output's)
    Cost cost = price("openai", "chat", "gpt-5-nano-2025-08-07", chatCompletions(12, 0, 100, 100), false);

    assertThat(cost.priceKey()).isEqualTo("gpt-5-nano-2025-08-07");
    // 12 × $5e-8 = $0.0000006
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0000006");
    // 0 text tokens; 100 × $4e-7 = $0.00004 reasoning
    assertThat(cost.outputUsd()).isEqualByComparingTo("0");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.00004");
    // total $0.0000406
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0000406");
  }

  @Test
  void openAiChatCompletionsCachedAndReasoning() {
    // o3: input 2e-6, cache read 5e-7, output 8e-6
    // prompt_tokens 12,000 with cached_tokens 10,240; completion_tokens 3,000 with reasoning_tokens 2,304
    Cost cost = price("openai", "chat", "o3", chatCompletions(12_000, 10_240, 3000, 2304), false);

    // (12000 − 10240) = 1760 × $2e-6 = $0.00352
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.00352");
    // 10240 × $5e-7 = $0.00512
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00512");
    // (3000 − 2304) = 696 × $8e-6 = $0.005568
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.005568");
    // 2304 × $8e-6 = $0.018432
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.018432");
    // $0.00352 + $0.00512 + $0.005568 + $0.018432 = $0.03264
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.03264");
  }

  @Test
  void openAiChatCompletionsCachedMini() {
    // gpt-4o-mini: input 1.5e-7, cache read 7.5e-8, output 6e-7
    // prompt_tokens 2,048 with cached_tokens 1,024; completion_tokens 256
    Cost cost = price("openai", "chat", "gpt-4o-mini", chatCompletions(2048, 1024, 256, 0), true);

    // 1024 × $1.5e-7 = $0.0001536; 1024 × $7.5e-8 = $0.0000768; 256 × $6e-7 = $0.0001536
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0001536");
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.0000768");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0001536");
    // total $0.000384
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.000384");
  }

  @Test
  void openAiResponsesFromAnAgentsTrace() {
    // otlp/langfuse-framework-traces/openai-agents-2025-09-30.trace.json: two Responses calls to
    // gpt-4.1-2025-04-14, usage {input_tokens 85, cached 0, output_tokens 29, reasoning 0} and
    // {55, 0, 15, 0}. gpt-4.1-2025-04-14: input 2e-6, output 8e-6
    Cost first = price("openai", "responses", "gpt-4.1-2025-04-14", responses(85, 0, 29, 0), false);
    // 85 × $2e-6 = $0.00017 + 29 × $8e-6 = $0.000232 → $0.000402
    assertThat(first.totalUsd()).isEqualByComparingTo("0.000402");

    Cost second = price("openai", "responses", "gpt-4.1-2025-04-14", responses(55, 0, 15, 0), false);
    // 55 × $2e-6 = $0.00011 + 15 × $8e-6 = $0.00012 → $0.00023
    assertThat(second.totalUsd()).isEqualByComparingTo("0.00023");
  }

  @Test
  void openAiResponsesCachedAndReasoning() {
    // gpt-5: input 1.25e-6, cache read 1.25e-7, output 1e-5
    // input_tokens 50,000 with cached_tokens 45,056; output_tokens 4,000 with reasoning_tokens 3,200
    Cost cost = price("openai", "responses", "gpt-5", responses(50_000, 45_056, 4000, 3200), true);

    // 4944 × $1.25e-6 = $0.00618
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.00618");
    // 45056 × $1.25e-7 = $0.005632
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.005632");
    // 800 × $1e-5 = $0.008
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.008");
    // 3200 × $1e-5 = $0.032
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.032");
    // $0.00618 + $0.005632 + $0.008 + $0.032 = $0.051812
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.051812");
  }

  @Test
  void openAiResponsesOnlyModel() {
    // codex-mini-latest (mode responses): input 1.5e-6, cache read 3.75e-7, output 6e-6
    // input_tokens 20,000 with cached 16,384; output_tokens 2,000 with reasoning 1,500
    Cost cost = price("openai", "responses", "codex-mini-latest", responses(20_000, 16_384, 2000, 1500), false);

    // 3616 × $1.5e-6 = $0.005424; 16384 × $3.75e-7 = $0.006144
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.005424");
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.006144");
    // 500 × $6e-6 = $0.003; 1500 × $6e-6 = $0.009
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.003");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.009");
    // $0.005424 + $0.006144 + $0.003 + $0.009 = $0.023568
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.023568");
  }

  // ---- Anthropic ------------------------------------------------------------------------------

  @Test
  void anthropicCacheWriteNotStreamed() {
    // claude-haiku-4-5: input 1e-6, cache read 1e-7, write 5m 1.25e-6, write 1h 2e-6, output 5e-6
    // input_tokens 50, cache_creation.ephemeral_5m_input_tokens 10,000, output_tokens 300
    Cost cost = price("anthropic", "chat", "claude-haiku-4-5", anthropic(50, 0, 10_000, 0, 300), false);

    // 50 × $1e-6 = $0.00005; 10000 × $1.25e-6 = $0.0125; 300 × $5e-6 = $0.0015
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.00005");
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.0125");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0015");
    // total $0.01405
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.01405");
  }

  @Test
  void anthropicCacheReadStreamed() {
    // the next turn, streamed: message_start carries input_tokens 60 and cache_read_input_tokens
    // 10,000; the final message_delta carries output_tokens 400. claude-haiku-4-5 as above.
    Cost cost = price("anthropic", "chat", "claude-haiku-4-5", anthropic(60, 10_000, 0, 0, 400), true);

    // 60 × $1e-6 = $0.00006; 10000 × $1e-7 = $0.001; 400 × $5e-6 = $0.002
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.001");
    // total $0.00306
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00306");
  }

  @Test
  void anthropicOneHourCacheWrite() {
    // claude-opus-4-1: input 1.5e-5, write 1h 3e-5, output 7.5e-5
    // input_tokens 100, cache_creation.ephemeral_1h_input_tokens 30,000, output_tokens 1,000
    Cost cost = price("anthropic", "chat", "claude-opus-4-1", anthropic(100, 0, 0, 30_000, 1000), true);

    // 100 × $1.5e-5 = $0.0015; 30000 × $3e-5 = $0.9; 1000 × $7.5e-5 = $0.075
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.9");
    // total $0.9765
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.9765");
  }

  @Test
  void anthropicReadAndBothWriteTtlsInOneCall() {
    // claude-opus-4-5: input 5e-6, cache read 5e-7, write 5m 6.25e-6, write 1h 1e-5, output 2.5e-5
    // input_tokens 200, cache_read 40,000, ephemeral_5m 5,000, ephemeral_1h 20,000, output 2,000
    Cost cost = price("anthropic", "chat", "claude-opus-4-5", anthropic(200, 40_000, 5000, 20_000, 2000), false);

    // 200 × $5e-6 = $0.001
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.001");
    // 40000 × $5e-7 = $0.02
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.02");
    // 5000 × $6.25e-6 = $0.03125 + 20000 × $1e-5 = $0.2 → $0.23125
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.23125");
    // 2000 × $2.5e-5 = $0.05
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.05");
    // $0.001 + $0.02 + $0.23125 + $0.05 = $0.30225
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.30225");
  }

  @Test
  void anthropicThroughBedrockCrossRegionCarriesTheRegionalPrice() {
    // us.anthropic.claude-sonnet-4-5-20250929-v1:0: input 3.3e-6, cache read 3.3e-7,
    // write 5m 4.125e-6, output 1.65e-5
    Cost cost = price("aws.bedrock", "chat", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        anthropic(1000, 8000, 2000, 0, 500), false);

    // 1000 × $3.3e-6 = $0.0033; 8000 × $3.3e-7 = $0.00264; 2000 × $4.125e-6 = $0.00825;
    // 500 × $1.65e-5 = $0.00825
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.00825");
    // total $0.02244
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.02244");
  }

  // ---- Gemini ---------------------------------------------------------------------------------

  @Test
  void geminiThinkingFromAPydanticAiTrace() {
    // otlp/langfuse-framework-traces/pydantic-ai-with-gemini-2025-12-24.trace.json: gemini-2.5-flash,
    // gen_ai.usage.input_tokens 40, output_tokens 159 of which details.thoughts_tokens 121
    // (semconv: output includes reasoning) → 40 uncached, 38 text, 121 reasoning.
    // gemini/gemini-2.5-flash: input 3e-7, output 2.5e-6, reasoning 2.5e-6
    Cost cost = price("gcp.gemini", "chat", "gemini-2.5-flash", usage(40, 0, 0, 0, 38, 121), false);

    // 40 × $3e-7 = $0.000012; 38 × $2.5e-6 = $0.000095; 121 × $2.5e-6 = $0.0003025
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.000012");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.000095");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.0003025");
    // total $0.0004095
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0004095");
  }

  @Test
  void geminiThinkingWithContextCache() {
    // gemini/gemini-2.5-flash-lite: input 1e-7, cache read 1e-8, output 4e-7, reasoning 4e-7
    // promptTokenCount 8,000 with cachedContentTokenCount 6,000; candidates 500; thoughts 1,500
    Cost cost = price("gcp.gemini", "chat", "gemini-2.5-flash-lite", gemini(8000, 6000, 500, 1500), true);

    // 2000 × $1e-7 = $0.0002; 6000 × $1e-8 = $0.00006; 500 × $4e-7 = $0.0002; 1500 × $4e-7 = $0.0006
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00006");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.0006");
    // total $0.00106
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00106");
  }

  @Test
  void geminiProThinkingTokensAreBilledAsOutput() {
    // gemini/gemini-2.5-pro: input 1.25e-6, output 1e-5, no reasoning price (so output's)
    // promptTokenCount 10,000; candidatesTokenCount 1,000; thoughtsTokenCount 4,000
    Cost cost = price("gcp.gemini", "chat", "gemini-2.5-pro", gemini(10_000, 0, 1000, 4000), false);

    // 10000 × $1.25e-6 = $0.0125; 1000 × $1e-5 = $0.01; 4000 × $1e-5 = $0.04
    assertThat(cost.priceKey()).isEqualTo("gemini/gemini-2.5-pro");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.04");
    // total $0.0625
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0625");
  }

  // ---- zero-priced buckets --------------------------------------------------------------------

  @Test
  void aBucketWhosePriceIsZeroCostsNothingButIsPriced() {
    // deepseek/deepseek-chat: input 2.8e-7, cache write 0 (listed as 0), output 4.2e-7
    // (the unprefixed 'deepseek-chat' entry, which a bare 'deepseek-chat' finds, lists no write price)
    Cost cost = price("deepseek", "chat", "deepseek/deepseek-chat", usage(1000, 0, 5000, 0, 100, 0), false);

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    assertThat(cost.priceKey()).isEqualTo("deepseek/deepseek-chat");
    // 5000 × $0 = $0
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0");
    // 1000 × $2.8e-7 = $0.00028 + 100 × $4.2e-7 = $0.000042 → $0.000322
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.000322");
  }
}
