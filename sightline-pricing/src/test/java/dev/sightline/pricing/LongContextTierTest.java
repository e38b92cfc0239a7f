package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.price;
import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import org.junit.jupiter.api.Test;

/**
 * Long-context prices: the threshold compares the request's total input tokens (cache included),
 * strictly greater-than, and crossing it reprices every token of the request.
 */
class LongContextTierTest {

  // claude-sonnet-4-5          base        above 200k
  //   input                    3e-6        6e-6
  //   cache read               3e-7        6e-7
  //   cache write 5m           3.75e-6     7.5e-6
  //   cache write 1h           6e-6        1.2e-5
  //   output                   1.5e-5      2.25e-5

  @Test
  void crossingTheThresholdRepricesEveryToken() {
    // 150,000 + 40,000 + 8,000 + 2,001 = 200,001 input tokens > 200,000
    Cost cost = price("anthropic", "claude-sonnet-4-5", usage(150_000, 40_000, 8000, 2001, 1000, 0));

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    // 150000 × $6e-6 = $0.9
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.9");
    // 40000 × $6e-7 = $0.024
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.024");
    // 8000 × $7.5e-6 = $0.06 + 2001 × $1.2e-5 = $0.024012 → $0.084012
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.084012");
    // 1000 × $2.25e-5 = $0.0225
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0225");
    // $0.9 + $0.024 + $0.084012 + $0.0225 = $1.030512
    assertThat(cost.totalUsd()).isEqualByComparingTo("1.030512");
    assertThat(cost.reason()).contains("long-context").contains("200001").contains("200000");
  }

  @Test
  void exactlyAtTheThresholdIsNotCrossed() {
    // 150,000 + 40,000 + 8,000 + 2,000 = 200,000 input tokens: not > 200,000, base prices
    Cost cost = price("anthropic", "claude-sonnet-4-5", usage(150_000, 40_000, 8000, 2000, 1000, 0));

    // 150000 × $3e-6 = $0.45
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.45");
    // 40000 × $3e-7 = $0.012
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.012");
    // 8000 × $3.75e-6 = $0.03 + 2000 × $6e-6 = $0.012 → $0.042
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.042");
    // 1000 × $1.5e-5 = $0.015
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.015");
    // $0.45 + $0.012 + $0.042 + $0.015 = $0.519
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.519");
    assertThat(cost.reason()).isNull();
  }

  @Test
  void cachedTokensCountTowardsTheThreshold() {
    // only 1,000 uncached, but 1,000 + 199,001 cached = 200,001 > 200,000
    Cost cost = price("anthropic", "claude-sonnet-4-5", usage(1000, 199_001, 0, 0, 100, 0));

    // 1000 × $6e-6 = $0.006
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.006");
    // 199001 × $6e-7 = $0.1194006
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.1194006");
    // 100 × $2.25e-5 = $0.00225
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.00225");
    // total $0.1276506
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.1276506");
  }

  @Test
  void outputTokensDoNotCountTowardsTheThreshold() {
    // 199,000 input + 50,000 output: the threshold looks at input only
    Cost cost = price("anthropic", "claude-sonnet-4-5", usage(199_000, 0, 0, 0, 50_000, 0));
    // 199000 × $3e-6 = $0.597; 50000 × $1.5e-5 = $0.75 → $1.347
    assertThat(cost.totalUsd()).isEqualByComparingTo("1.347");
  }

  @Test
  void openAi272kTier() {
    // gpt-5.4: input 2.5e-6 / 5e-6 above 272k, output 1.5e-5 / 2.25e-5 above 272k
    Cost at = price("openai", "gpt-5.4", usage(272_000, 0, 0, 0, 1000, 0));
    // 272000 × $2.5e-6 = $0.68 + 1000 × $1.5e-5 = $0.015 → $0.695
    assertThat(at.totalUsd()).isEqualByComparingTo("0.695");

    Cost above = price("openai", "gpt-5.4", usage(272_001, 0, 0, 0, 1000, 0));
    // 272001 × $5e-6 = $1.360005 + 1000 × $2.25e-5 = $0.0225 → $1.382505
    assertThat(above.totalUsd()).isEqualByComparingTo("1.382505");
  }

  @Test
  void aBucketWithoutALongContextPriceKeepsItsBasePrice() {
    // claude-sonnet-4-20250514 has above-200k prices for input, output, cache read and 5m write,
    // but the snapshot lists no above-200k price for the 1h write: that bucket stays at 6e-6.
    Cost cost = price("anthropic", "claude-sonnet-4-20250514", usage(200_000, 0, 0, 1000, 0, 0));
    // 201,000 input tokens > 200,000: 200000 × $6e-6 = $1.2; 1000 × $6e-6 = $0.006
    assertThat(cost.inputUsd()).isEqualByComparingTo("1.2");
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.006");
    assertThat(cost.totalUsd()).isEqualByComparingTo("1.206");
  }

  @Test
  void tieredPricingRangesAreTiersToo() {
    // dashscope/qwen3-coder-flash tiered_pricing ranges [0, 32000] and [32000, 128000]:
    //   first:  input 3e-7, cache read 8e-8,   output 1.5e-6
    //   second: input 5e-7, cache read 1.2e-7, output 2.5e-6
    Cost at = price("dashscope", "qwen3-coder-flash", usage(30_000, 2000, 0, 0, 1000, 0));
    // 32,000 input tokens: first range. 30000 × $3e-7 = $0.009; 2000 × $8e-8 = $0.00016;
    // 1000 × $1.5e-6 = $0.0015 → $0.01066
    assertThat(at.priceKey()).isEqualTo("dashscope/qwen3-coder-flash");
    assertThat(at.totalUsd()).isEqualByComparingTo("0.01066");

    Cost above = price("dashscope", "qwen3-coder-flash", usage(30_001, 2000, 0, 0, 1000, 0));
    // 32,001 > 32,000: 30001 × $5e-7 = $0.0150005; 2000 × $1.2e-7 = $0.00024;
    // 1000 × $2.5e-6 = $0.0025 → $0.0177405
    assertThat(above.totalUsd()).isEqualByComparingTo("0.0177405");
  }

  @Test
  void geminiProCrossingRepricesCacheAndThinkingToo() {
    // gemini/gemini-2.5-pro above 200k: input 2.5e-6, cache read 2.5e-7, output 1.5e-5 (no
    // reasoning price, so thinking tokens are charged the long-context output price)
    // promptTokenCount 250,000 with cachedContentTokenCount 100,000 → 150,000 uncached; 250,000 > 200,000
    Cost cost = price("gcp.gemini", "gemini-2.5-pro", usage(150_000, 100_000, 0, 0, 2000, 3000));

    // 150000 × $2.5e-6 = $0.375
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.375");
    // 100000 × $2.5e-7 = $0.025
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.025");
    // 2000 × $1.5e-5 = $0.03; 3000 × $1.5e-5 = $0.045
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.03");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.045");
    // $0.375 + $0.025 + $0.03 + $0.045 = $0.475
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.475");
  }

  @Test
  void geminiProExactlyAtTheThreshold() {
    // 200,000 input tokens is not > 200,000: base prices, input 1.25e-6, output 1e-5
    Cost cost = price("gcp.gemini", "gemini-2.5-pro", usage(200_000, 0, 0, 0, 1000, 0));
    // 200000 × $1.25e-6 = $0.25 + 1000 × $1e-5 = $0.01 → $0.26
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.26");
    assertThat(cost.reason()).isNull();
  }

  @Test
  void bedrockRegionalCrossingByOneCacheWriteToken() {
    // us.anthropic.claude-sonnet-4-5-20250929-v1:0 above 200k: input 6.6e-6, cache read 6.6e-7,
    // write 1h 1.32e-5, output 2.475e-5. 180,000 + 20,000 + 1 = 200,001 > 200,000
    Cost cost = price("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        usage(180_000, 20_000, 0, 1, 1000, 0));

    // 180000 × $6.6e-6 = $1.188
    assertThat(cost.inputUsd()).isEqualByComparingTo("1.188");
    // 20000 × $6.6e-7 = $0.0132
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.0132");
    // 1 × $1.32e-5 = $0.0000132
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.0000132");
    // 1000 × $2.475e-5 = $0.02475
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.02475");
    // $1.188 + $0.0132 + $0.0000132 + $0.02475 = $1.2259632
    assertThat(cost.totalUsd()).isEqualByComparingTo("1.2259632");
  }

  @Test
  void tiersAreReadFromTheCatalogEntry() {
    ModelPrice sonnet = Fixtures.bundled().resolve("anthropic", "claude-sonnet-4-5").orElseThrow();
    assertThat(sonnet.tiers()).hasSize(1);
    assertThat(sonnet.tiers().get(0).aboveInputTokens()).isEqualTo(200_000);
    assertThat(sonnet.ratesFor(200_000)).isSameAs(sonnet.base());
    assertThat(sonnet.ratesFor(200_001).cacheWrite1h()).isEqualByComparingTo("0.000012");
  }
}
