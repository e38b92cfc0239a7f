package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import org.junit.jupiter.api.Test;

/**
 * Batch, priority and flex service tiers (ARCHITECTURE.md §6): a call the provider says was served
 * by one of them is priced with that tier's prices from the bundled catalog (LiteLLM's
 * {@code *_batches}, {@code *_priority}, {@code *_flex} fields), each case worked by hand.
 */
class ServiceTierPricingTest {

  //                    gpt-4o      batch       priority
  //   input            2.5e-6      1.25e-6     4.25e-6
  //   cache read       1.25e-6     (1.25e-6)   2.125e-6
  //   output           1e-5        5e-6        1.7e-5
  // (batch has no cache-read price of its own: the standard cache-read price stays)

  private static Cost price(String provider, String model, Usage usage, String serviceTier) {
    LlmCall call = new LlmCall(provider, "chat", model, null, false, usage, null, null, null, null, null,
        serviceTier);
    return Fixtures.Calculator.BUNDLED.price(call).cost();
  }

  @Test
  void batchCallsCostTheBatchPrice() {
    // 10,000 uncached + 2,000 cache read in, 1,000 out
    Cost cost = price("openai", "gpt-4o", usage(10_000, 2_000, 0, 0, 1_000, 0), "batch");

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    // 10000 × $1.25e-6 = $0.0125
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0125");
    // 2000 × $1.25e-6 = $0.0025
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.0025");
    // 1000 × $5e-6 = $0.005
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.005");
    // $0.0125 + $0.0025 + $0.005 = $0.02
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.02");
    assertThat(cost.reason()).isEqualTo("batch tier prices");
  }

  @Test
  void theSameCallInTheStandardTierCostsTheStandardPrice() {
    // 10000 × $2.5e-6 = $0.025 + 2000 × $1.25e-6 = $0.0025 + 1000 × $1e-5 = $0.01 → $0.0375
    for (String standard : new String[] {null, "default", "DEFAULT", "standard", "standard_only", "auto", " "}) {
      Cost cost = price("openai", "gpt-4o", usage(10_000, 2_000, 0, 0, 1_000, 0), standard);
      assertThat(cost.totalUsd()).as("service tier %s", standard).isEqualByComparingTo("0.0375");
      assertThat(cost.reason()).as("service tier %s", standard).isNull();
    }
  }

  @Test
  void priorityCallsCostThePriorityPrice() {
    Cost cost = price("openai", "gpt-4o", usage(10_000, 2_000, 0, 0, 1_000, 0), "priority");

    // 10000 × $4.25e-6 = $0.0425
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0425");
    // 2000 × $2.125e-6 = $0.00425
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00425");
    // 1000 × $1.7e-5 = $0.017
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.017");
    // $0.0425 + $0.00425 + $0.017 = $0.06375
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.06375");
  }

  @Test
  void flexReasoningTokensCostTheFlexOutputPrice() {
    // gpt-5 flex: input 6.25e-7, cache read 6.25e-8, output 5e-6; no reasoning price: reasoning is output
    Cost cost = price("openai", "gpt-5", usage(8_000, 4_000, 0, 0, 500, 1_500), "flex");

    // 8000 × $6.25e-7 = $0.005
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.005");
    // 4000 × $6.25e-8 = $0.00025
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00025");
    // 500 × $5e-6 = $0.0025
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0025");
    // 1500 × $5e-6 = $0.0075
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.0075");
    // $0.005 + $0.00025 + $0.0025 + $0.0075 = $0.01525
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.01525");
  }

  @Test
  void aTierTheEntryHasNoPriceForIsPricedAtTheStandardPriceAndSaysSo() {
    // gpt-5.1 lists priority prices but no flex ones: 1000 × $1.25e-6 + 100 × $1e-5 = $0.00125 + $0.001
    Cost cost = price("openai", "gpt-5.1", usage(1_000, 0, 0, 0, 100, 0), "flex");

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00225");
    assertThat(cost.reason()).isEqualTo("'gpt-5.1' has no flex price; priced at the standard price");
  }

  @Test
  void anUnknownTierValueIsPricedAtTheStandardPriceAndSaysSo() {
    // OpenAI's 'scale' tier is paid for by commitment, not per token: 1000 × $2.5e-6 + 100 × $1e-5
    Cost cost = price("openai", "gpt-4o", usage(1_000, 0, 0, 0, 100, 0), "scale");

    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0035");
    assertThat(cost.reason()).isEqualTo("service tier 'scale' has no prices of its own; priced at the standard price");
  }

  @Test
  void priorityAboveTheLongContextThresholdUsesThePriorityLongContextPrice() {
    // gemini/gemini-2.5-pro priority: input 1.25e-6 / 2.5e-6 above 200k; output 1e-5 / 1.5e-5 above 200k;
    // cache read has no priority price: standard 1.25e-7 / 2.5e-7 above 200k.
    // 150,000 uncached + 50,001 cache read = 200,001 input tokens > 200,000
    Cost cost = price("gcp.gemini", "gemini-2.5-pro", usage(150_000, 50_001, 0, 0, 2_000, 0), "priority");

    // 150000 × $2.5e-6 = $0.375
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.375");
    // 50001 × $2.5e-7 = $0.01250025
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.01250025");
    // 2000 × $1.5e-5 = $0.03
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.03");
    // $0.375 + $0.01250025 + $0.03 = $0.41750025
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.41750025");
    assertThat(cost.reason()).isEqualTo("priority tier prices; long-context price: 200001 input tokens > 200000");
  }

  @Test
  void aTierWithoutItsOwnLongContextPriceUsesTheStandardLongContextPriceAndSaysSo() {
    // gpt-5.4 batch: input 1.25e-6, output 7.5e-6, no batch price above 272k; standard above 272k:
    // input 5e-6, cache read 5e-7, output 2.25e-5. 272,001 input tokens > 272,000:
    Cost cost = price("openai", "gpt-5.4", usage(272_001, 0, 0, 0, 1_000, 0), "batch");

    // 272001 × $5e-6 = $1.360005 ; 1000 × $2.25e-5 = $0.0225 → $1.382505
    assertThat(cost.inputUsd()).isEqualByComparingTo("1.360005");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0225");
    assertThat(cost.totalUsd()).isEqualByComparingTo("1.382505");
    assertThat(cost.reason()).contains("batch tier prices")
        .contains("'gpt-5.4' has no batch price above 272000 input tokens")
        .contains("long-context price: 272001 input tokens > 272000");

    // at 272,000 tokens it is the batch price: 272000 × $1.25e-6 = $0.34 + 1000 × $7.5e-6 = $0.0075
    Cost below = price("openai", "gpt-5.4", usage(272_000, 0, 0, 0, 1_000, 0), "batch");
    assertThat(below.totalUsd()).isEqualByComparingTo("0.3475");
  }

  @Test
  void batchEmbeddingsCostTheBatchInputPrice() {
    // text-embedding-3-small: input 2e-8, batch input 1e-8. 1,000,000 tokens × $1e-8 = $0.01
    Cost cost = price("openai", "text-embedding-3-small", usage(1_000_000, 0, 0, 0, 0, 0), "batch");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.01");
  }

  @Test
  void claudeBatchOnVertexCostsTheBatchPrice() {
    // vertex_ai/claude-sonnet-4-5: batch input 1.5e-6, batch output 7.5e-6; cache read 3e-7 (no batch price)
    Cost cost = price("gcp.vertex_ai", "claude-sonnet-4-5", usage(1_000, 10_000, 0, 0, 1_000, 0), "batch");

    assertThat(cost.priceKey()).isEqualTo("vertex_ai/claude-sonnet-4-5");
    // 1000 × $1.5e-6 = $0.0015
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0015");
    // 10000 × $3e-7 = $0.003
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.003");
    // 1000 × $7.5e-6 = $0.0075
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0075");
    // $0.0015 + $0.003 + $0.0075 = $0.012
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.012");
  }
}
