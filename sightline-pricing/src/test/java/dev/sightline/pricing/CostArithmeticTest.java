package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.price;
import static dev.sightline.pricing.Fixtures.usage;
import static dev.sightline.pricing.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import org.junit.jupiter.api.Test;

/**
 * Each bucket is priced at its own catalog price, worked by hand from the snapshot's entries
 * (prices quoted in the comments are the LiteLLM file's values).
 */
class CostArithmeticTest {

  @Test
  void openAiCachedInputIsChargedAtTheCacheReadPrice() {
    // gpt-4o: input 2.5e-6, cache read 1.25e-6, output 1e-5
    // prompt_tokens 1200 of which 200 cached → 1000 uncached + 200 cache read
    Cost cost = price("openai", "gpt-4o", usage(1000, 200, 0, 0, 500, 0));

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    assertThat(cost.priceKey()).isEqualTo("gpt-4o");
    // 1000 × $2.5e-6 = $0.0025
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0025");
    // 200 × $1.25e-6 = $0.00025
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00025");
    // 500 × $1e-5 = $0.005
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.005");
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0");
    // $0.0025 + $0.00025 + $0.005 = $0.00775
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00775");
    assertThat(cost.reason()).isNull();
  }

  @Test
  void gpt5ReasoningTokensUseTheOutputPriceWhenTheCatalogHasNoReasoningPrice() {
    // gpt-5: input 1.25e-6, cache read 1.25e-7, output 1e-5, no output_cost_per_reasoning_token
    Cost cost = price("openai", "gpt-5", usage(2000, 8000, 0, 0, 300, 1200));

    // 2000 × $1.25e-6 = $0.0025
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0025");
    // 8000 × $1.25e-7 = $0.001
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.001");
    // 300 × $1e-5 = $0.003
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.003");
    // 1200 × $1e-5 = $0.012
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.012");
    // $0.0025 + $0.001 + $0.003 + $0.012 = $0.0185
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0185");
  }

  @Test
  void oSeriesReasoningIsBilledAsOutput() {
    // o4-mini: input 1.1e-6, output 4.4e-6
    Cost cost = price("openai", "o4-mini", usage(500, 0, 0, 0, 100, 900));

    // 500 × $1.1e-6 = $0.00055; 100 × $4.4e-6 = $0.00044; 900 × $4.4e-6 = $0.00396
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.00055");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.00044");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.00396");
    // total $0.00495
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00495");
  }

  @Test
  void anthropicCacheReadAndBothCacheWriteTtlsHaveTheirOwnPrices() {
    // claude-sonnet-4-5: input 3e-6, cache read 3e-7, cache write 5m 3.75e-6, 1h 6e-6, output 1.5e-5
    Cost cost = price("anthropic", "claude-sonnet-4-5", usage(1000, 20_000, 4000, 2000, 800, 0));

    // 1000 × $3e-6 = $0.003
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.003");
    // 20000 × $3e-7 = $0.006
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.006");
    // 4000 × $3.75e-6 = $0.015 (5m) + 2000 × $6e-6 = $0.012 (1h) = $0.027
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.027");
    // 800 × $1.5e-5 = $0.012
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.012");
    // $0.003 + $0.006 + $0.027 + $0.012 = $0.048 (27,000 input tokens: below the 200k tier)
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.048");
  }

  @Test
  void geminiThinkingTokensUseTheReasoningPrice() {
    // gemini/gemini-2.5-flash: input 3e-7, cache read 3e-8, output 2.5e-6, reasoning 2.5e-6
    Cost cost = price("gcp.gemini", "gemini-2.5-flash", usage(10_000, 2000, 0, 0, 400, 1600));

    assertThat(cost.priceKey()).isEqualTo("gemini/gemini-2.5-flash");
    // 10000 × $3e-7 = $0.003
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.003");
    // 2000 × $3e-8 = $0.00006
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00006");
    // 400 × $2.5e-6 = $0.001
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.001");
    // 1600 × $2.5e-6 = $0.004
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.004");
    // total $0.00806
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00806");
  }

  @Test
  void aReasoningPriceDifferentFromOutputIsUsed() {
    // perplexity/sonar-deep-research: input 2e-6, output 8e-6, reasoning 3e-6
    Cost cost = price("perplexity", "sonar-deep-research", usage(1000, 0, 0, 0, 2000, 10_000));

    assertThat(cost.priceKey()).isEqualTo("perplexity/sonar-deep-research");
    // 1000 × $2e-6 = $0.002; 2000 × $8e-6 = $0.016; 10000 × $3e-6 = $0.03
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.002");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.016");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.03");
    // total $0.048
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.048");
  }

  @Test
  void cacheWritesWithoutTheirOwnPriceFallBack() {
    // gpt-4o has no cache write price: a 5m write costs an input token, $2.5e-6
    Cost openai = price("openai", "gpt-4o", usage(0, 0, 100, 0, 0, 0));
    // 100 × $2.5e-6 = $0.00025
    assertThat(openai.cacheWriteUsd()).isEqualByComparingTo("0.00025");

    // anthropic.claude-3-5-sonnet-20241022-v2:0 (Bedrock): 5m write 3.75e-6 and no 1h price,
    // so a 1h write costs a 5m write
    Cost bedrock = price("aws.bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", usage(0, 0, 0, 1000, 0, 0));
    // 1000 × $3.75e-6 = $0.00375
    assertThat(bedrock.cacheWriteUsd()).isEqualByComparingTo("0.00375");
    assertThat(bedrock.totalUsd()).isEqualByComparingTo("0.00375");
  }

  @Test
  void deepSeekCacheHitPriceIsTheCacheReadPrice() {
    // deepseek/deepseek-r1: input 5.5e-7, input_cost_per_token_cache_hit 1.4e-7 (no cache_read field)
    Cost cost = price("deepseek", "deepseek-r1", usage(1000, 10_000, 0, 0, 0, 0));
    // 10000 × $1.4e-7 = $0.0014; 1000 × $5.5e-7 = $0.00055
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.0014");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00195");
  }

  @Test
  void embeddingsHaveOnlyInput() {
    // text-embedding-3-small: input 2e-8
    LlmCall call = new LlmCall("openai", "embeddings", "text-embedding-3-small", null, false,
        usage(5000, 0, 0, 0, 0, 0), null, null, null, null, null);
    Cost cost = Fixtures.Calculator.BUNDLED.price(call).cost();
    // 5000 × $2e-8 = $0.0001
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0001");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0");

    // mistral/mistral-embed lists no output price at all: still priced, input only
    // 3000 × $1e-7 = $0.0003
    assertThat(price("mistral_ai", "mistral-embed", usage(3000, 0, 0, 0, 0, 0)).totalUsd())
        .isEqualByComparingTo("0.0003");
  }

  @Test
  void estimatedUsageIsPricedToo() {
    Usage estimated = new Usage(1000, 0, 0, 0, 500, 0, UsageSource.ESTIMATED, false, null);
    // gpt-4o: 1000 × $2.5e-6 + 500 × $1e-5 = $0.0075
    assertThat(price("openai", "gpt-4o", estimated).totalUsd()).isEqualByComparingTo("0.0075");
  }

  @Test
  void arithmeticIsExactAndNeverRounded() {
    // gpt-4o-mini: input 1.5e-7; 1 token costs exactly $0.00000015, not a rounded figure
    Cost one = price("openai", "gpt-4o-mini", usage(1, 0, 0, 0, 0, 0));
    assertThat(one.totalUsd()).isEqualByComparingTo(usd("0.00000015"));
    // 7 × $1.5e-7 + 3 × $6e-7 = $0.00000105 + $0.0000018 = $0.00000285
    assertThat(price("openai", "gpt-4o-mini", usage(7, 0, 0, 0, 3, 0)).totalUsd())
        .isEqualByComparingTo("0.00000285");
  }
}
