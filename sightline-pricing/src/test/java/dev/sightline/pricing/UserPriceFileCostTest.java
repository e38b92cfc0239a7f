package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.at;
import static dev.sightline.pricing.Fixtures.callAt;
import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Calls priced from the user's price file (src/test/resources/…/user-prices.yaml, the example in
 * docs/pricing.md) over the bundled catalog. The file's prices are USD per million tokens, so
 * 2.00 is $2e-6 per token.
 */
class UserPriceFileCostTest {

  private static final PriceCatalog CATALOG = PriceCatalog.bundled().withUserFile(Fixtures.userPriceFile());
  private static final CostCalculator CALCULATOR = new CostCalculator(CATALOG);

  private static Cost price(String provider, String model, Usage usage, Instant start) {
    return CALCULATOR.price(callAt(provider, model, usage, start)).cost();
  }

  @Test
  void aSelfHostedFineTuneIsPricedFromTheFile() {
    // acme/support-llama-3.1-8b-ft (vllm): input 0.20 → 2e-7, output 0.60 → 6e-7 per token
    Cost cost = price("vllm", "acme/support-llama-3.1-8b-ft", usage(2000, 0, 0, 0, 500, 0), at("2026-02-01T00:00:00Z"));

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    assertThat(cost.priceKey()).isEqualTo("user:acme/support-llama-3.1-8b-ft");
    // 2000 × $2e-7 = $0.0004; 500 × $6e-7 = $0.0003 → $0.0007
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.0004");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.0003");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0007");
    // the entry is limited to vllm: the same id through another provider is not priced by it
    assertThat(price("ollama", "acme/support-llama-3.1-8b-ft", usage(2000, 0, 0, 0, 500, 0),
        at("2026-02-01T00:00:00Z")).status()).isEqualTo(CostStatus.UNPRICED);
  }

  @Test
  void customModelBeforeItsPriceChangeUsesTheOldPrices() {
    // acme-large until 2026-03-01: input 2e-6, cache read 5e-7, write 5m 2.5e-6, write 1h 4e-6,
    // output 8e-6, reasoning 8e-6; 10,000 + 50,000 + 4,000 + 1,000 = 65,000 input tokens (≤ 128k)
    Cost cost = price(null, "acme-large", usage(10_000, 50_000, 4000, 1000, 2000, 3000), at("2026-02-15T12:00:00Z"));

    assertThat(cost.priceKey()).isEqualTo("user:acme-large");
    // 10000 × $2e-6 = $0.02
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.02");
    // 50000 × $5e-7 = $0.025
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.025");
    // 4000 × $2.5e-6 = $0.01 + 1000 × $4e-6 = $0.004 → $0.014
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.014");
    // 2000 × $8e-6 = $0.016; 3000 × $8e-6 = $0.024
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.016");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.024");
    // $0.02 + $0.025 + $0.014 + $0.016 + $0.024 = $0.099
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.099");
  }

  @Test
  void customModelFromItsPriceChangeUsesTheNewPrices() {
    // acme-large from 2026-03-01T00:00:00Z: input 1.5e-6, cache read 2.5e-7, output 6e-6; no cache
    // write or reasoning price, so writes (5m and 1h) cost an input token and reasoning an output token
    Usage usage = usage(10_000, 50_000, 4000, 1000, 2000, 3000);
    Cost cost = price(null, "acme-large", usage, at("2026-03-01T00:00:00Z"));

    // 10000 × $1.5e-6 = $0.015
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.015");
    // 50000 × $2.5e-7 = $0.0125
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.0125");
    // (4000 + 1000) × $1.5e-6 = $0.0075
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.0075");
    // 2000 × $6e-6 = $0.012; 3000 × $6e-6 = $0.018
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.012");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.018");
    // $0.015 + $0.0125 + $0.0075 + $0.012 + $0.018 = $0.065
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.065");

    // one nanosecond earlier, the old prices: $0.099 (previous test)
    Instant justBefore = at("2026-03-01T00:00:00Z").minusNanos(1);
    assertThat(price(null, "acme-large", usage, justBefore).totalUsd()).isEqualByComparingTo("0.099");
  }

  @Test
  void customModelTierCrossingRepricesTheWholeRequest() {
    // old acme-large above 128,000 input tokens: input 4e-6, cache read 1e-6, output 1.2e-5
    // 100,000 + 28,001 = 128,001 > 128,000
    Cost cost = price(null, "acme-large", usage(100_000, 28_001, 0, 0, 1000, 0), at("2026-02-01T00:00:00Z"));

    assertThat(cost.reason()).contains("long-context").contains("128001 input tokens > 128000");
    // 100000 × $4e-6 = $0.4
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.4");
    // 28001 × $1e-6 = $0.028001
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.028001");
    // 1000 × $1.2e-5 = $0.012
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.012");
    // $0.4 + $0.028001 + $0.012 = $0.440001
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.440001");
  }

  @Test
  void customModelExactlyAtItsTierThresholdKeepsTheBasePrices() {
    // new acme-large, 100,000 + 28,000 = 128,000 input tokens: not > 128,000
    Cost cost = price(null, "acme-large", usage(100_000, 28_000, 0, 0, 1000, 0), at("2026-04-01T00:00:00Z"));

    // 100000 × $1.5e-6 = $0.15; 28000 × $2.5e-7 = $0.007; 1000 × $6e-6 = $0.006 → $0.163
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.163");
    assertThat(cost.reason()).isNull();
  }

  @Test
  void aTierWithoutAReasoningPriceChargesReasoningAtTheTiersOutputPrice() {
    // new acme-large above 128k: input 3e-6, output 9e-6; no reasoning price at any level, so
    // reasoning follows output, at the tier's price
    Cost cost = price(null, "acme-large", usage(128_001, 0, 0, 0, 1000, 1000), at("2026-04-01T00:00:00Z"));

    // 128001 × $3e-6 = $0.384003
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.384003");
    // 1000 × $9e-6 = $0.009 (text) and $0.009 (reasoning)
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.009");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.009");
    // $0.384003 + $0.009 + $0.009 = $0.402003
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.402003");
  }

  @Test
  void aModelIsUnpricedBeforeItsFirstPriceTakesEffect() {
    Usage usage = usage(1000, 0, 0, 0, 1000, 0);
    Cost before = price(null, "acme-next", usage, at("2026-05-31T23:59:59Z"));
    assertThat(before.status()).isEqualTo(CostStatus.UNPRICED);
    assertThat(before.totalUsd()).isNull();
    assertThat(before.reason()).contains("no price in force").contains("2026-06-01T00:00:00Z");

    // from 2026-06-01: 1000 × $1e-6 = $0.001 + 1000 × $4e-6 = $0.004 → $0.005
    assertThat(price(null, "acme-next", usage, at("2026-06-01T00:00:00Z")).totalUsd())
        .isEqualByComparingTo("0.005");
  }

  @Test
  void aRegexPricesEveryFineTuneOfTheOrganisation() {
    // ft:gpt-4o-mini-2024-07-18:acme:.*: input 3e-7, cache read 1.5e-7, output 1.2e-6
    // prompt_tokens 3000 with 1000 cached → 2000 uncached + 1000 cache read; 200 completion tokens
    Cost cost = price("openai", "ft:gpt-4o-mini-2024-07-18:acme:support:9aXk2", usage(2000, 1000, 0, 0, 200, 0),
        at("2026-02-01T00:00:00Z"));

    assertThat(cost.priceKey()).isEqualTo("user:/ft:gpt-4o-mini-2024-07-18:acme:.*/");
    // 2000 × $3e-7 = $0.0006; 1000 × $1.5e-7 = $0.00015; 200 × $1.2e-6 = $0.00024 → $0.00099
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.00099");
    // matching ignores case, and covers the whole id only
    assertThat(price("openai", "FT:GPT-4O-MINI-2024-07-18:ACME:x:1", usage(1, 0, 0, 0, 0, 0), at("2026-02-01T00:00:00Z"))
        .priceKey()).isEqualTo("user:/ft:gpt-4o-mini-2024-07-18:acme:.*/");
    assertThat(price("openai", "ft:gpt-4o-mini-2024-07-18:other-org:x:1", usage(1, 0, 0, 0, 0, 0),
        at("2026-02-01T00:00:00Z")).status()).isEqualTo(CostStatus.UNPRICED);
  }

  @Test
  void anOverrideReplacesTheBundledPriceFromItsDate() {
    // gpt-4o through openai from 2026-01-01: input 2e-6, cache read 1e-6, output 8e-6
    Usage usage = usage(1000, 200, 0, 0, 500, 0);
    Cost after = price("openai", "gpt-4o", usage, at("2026-02-01T00:00:00Z"));
    assertThat(after.priceKey()).isEqualTo("user:gpt-4o");
    // 1000 × $2e-6 = $0.002; 200 × $1e-6 = $0.0002; 500 × $8e-6 = $0.004 → $0.0062
    assertThat(after.totalUsd()).isEqualByComparingTo("0.0062");

    // before 2026-01-01 the override is not in force: the bundled gpt-4o (2.5e-6, 1.25e-6, 1e-5)
    Cost before = price("openai", "gpt-4o", usage, at("2025-12-31T23:59:59Z"));
    assertThat(before.priceKey()).isEqualTo("gpt-4o");
    // 1000 × $2.5e-6 = $0.0025; 200 × $1.25e-6 = $0.00025; 500 × $1e-5 = $0.005 → $0.00775
    assertThat(before.totalUsd()).isEqualByComparingTo("0.00775");

    // the override names provider openai: Azure's gpt-4o keeps its bundled price
    assertThat(price("azure.ai.openai", "gpt-4o", usage, at("2026-02-01T00:00:00Z")).priceKey())
        .isEqualTo("azure/gpt-4o");
    // and a prefixed id of the same model finds the override (names match like catalog keys)
    assertThat(price("openai", "openai/gpt-4o", usage, at("2026-02-01T00:00:00Z")).priceKey())
        .isEqualTo("user:gpt-4o");
  }

  @Test
  void anEmbeddingModelNeedsNoOutputPrice() {
    LlmCall call = new LlmCall(null, "embeddings", "acme-embed", null, false, usage(10_000, 0, 0, 0, 0, 0),
        null, null, null, null, null);
    Cost cost = CALCULATOR.price(call).cost();
    // 10000 × $1e-8 = $0.0001
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0001");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0");
  }

  @Test
  void theBundledCatalogStillPricesEverythingElse() {
    // claude-sonnet-4-5 is not in the file: 1000 × $3e-6 = $0.003
    assertThat(price("anthropic", "claude-sonnet-4-5", usage(1000, 0, 0, 0, 0, 0), at("2026-02-01T00:00:00Z"))
        .totalUsd()).isEqualByComparingTo("0.003");
    assertThat(CATALOG.size()).isEqualTo(PriceCatalog.bundled().size() + 7);
  }

  @Test
  void theExamplesBatchAndPriorityPrices() {
    // acme-medium: 1.00 / 4.00; batch 0.50 / 2.00; priority 1.75 / 7.00 (USD per million tokens)
    Instant at = at("2026-02-01T00:00:00Z");
    long ns = PriceCatalog.nanos(at);
    java.util.function.Function<String, Cost> price = tier -> CALCULATOR.price(new LlmCall(null, "chat", "acme-medium",
        null, false, usage(10_000, 0, 0, 0, 1_000, 0), dev.sightline.model.Timing.of(ns, ns), null, null, null, null,
        tier)).cost();
    // 10000 × $1e-6 = $0.01 + 1000 × $4e-6 = $0.004 → $0.014
    assertThat(price.apply(null).totalUsd()).isEqualByComparingTo("0.014");
    // 10000 × $5e-7 = $0.005 + 1000 × $2e-6 = $0.002 → $0.007
    assertThat(price.apply("batch").totalUsd()).isEqualByComparingTo("0.007");
    // 10000 × $1.75e-6 = $0.0175 + 1000 × $7e-6 = $0.007 → $0.0245
    assertThat(price.apply("priority").totalUsd()).isEqualByComparingTo("0.0245");
  }
}
