package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.call;
import static dev.sightline.pricing.Fixtures.price;
import static dev.sightline.pricing.Fixtures.usage;
import static dev.sightline.pricing.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import org.junit.jupiter.api.Test;

/** Unknown is never $0: unpriced and no-usage calls carry a null cost and a reason. */
class UnpricedAndFreeTest {

  @Test
  void aModelWithoutAPriceIsUnpricedNotFree() {
    Cost cost = price("openai", "gpt-nonexistent-9", usage(1000, 0, 0, 0, 100, 0));

    assertThat(cost.status()).isEqualTo(CostStatus.UNPRICED);
    assertThat(cost.totalUsd()).isNull();
    assertThat(cost.inputUsd()).isNull();
    assertThat(cost.priceKey()).isNull();
    assertThat(cost.reason()).isEqualTo("no price for model 'gpt-nonexistent-9' (provider 'openai')");
  }

  @Test
  void aCallWithoutAModelIsUnpriced() {
    Cost cost = price("openai", null, usage(1000, 0, 0, 0, 100, 0));

    assertThat(cost.status()).isEqualTo(CostStatus.UNPRICED);
    assertThat(cost.totalUsd()).isNull();
    assertThat(cost.reason()).contains("names no model");
    assertThat(price("openai", "  ", usage(1, 0, 0, 0, 0, 0)).status()).isEqualTo(CostStatus.UNPRICED);
  }

  @Test
  void aModelWhosePriceReallyIsZeroIsPricedAtZero() {
    // gemini/gemma-3-27b-it: input 0, output 0 (free on the Gemini API)
    Cost cost = price("gcp.gemini", "gemma-3-27b-it", usage(5000, 0, 0, 0, 700, 0));

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    assertThat(cost.priceKey()).isEqualTo("gemini/gemma-3-27b-it");
    assertThat(cost.totalUsd()).isNotNull().isEqualByComparingTo("0");
  }

  @Test
  void selfHostedEnginesAreNotPricedFromAnotherProvidersList() {
    // gpt-oss-120b has entries from hosted APIs (cerebras, fireworks_ai…), none from vllm
    Cost vllm = price("vllm", "gpt-oss-120b", usage(1000, 0, 0, 0, 100, 0));
    assertThat(vllm.status()).isEqualTo(CostStatus.UNPRICED);
    assertThat(vllm.reason()).contains("'gpt-oss-120b'").contains("'vllm'").contains("own price file");

    // …while a call without a provider takes the hosted price
    assertThat(price(null, "gpt-oss-120b", usage(1000, 0, 0, 0, 100, 0)).status())
        .isEqualTo(CostStatus.PRICED);

    // Ollama has its own (zero-priced) entries in the catalog
    Cost ollama = price("ollama", "llama3.1", usage(1000, 0, 0, 0, 100, 0));
    assertThat(ollama.priceKey()).isEqualTo("ollama/llama3.1");
    assertThat(ollama.totalUsd()).isEqualByComparingTo("0");
  }

  @Test
  void noUsageKeepsThePriceKeyButNoCost() {
    Cost cost = price("openai", "gpt-4o", Usage.NONE);

    assertThat(cost.status()).isEqualTo(CostStatus.NO_USAGE);
    assertThat(cost.priceKey()).isEqualTo("gpt-4o");
    assertThat(cost.totalUsd()).isNull();
    assertThat(cost.reason()).isEqualTo("no token usage reported");
  }

  @Test
  void rejectedUsageIsNoUsageWithItsReason() {
    Cost cost = price("openai", "gpt-4o", Usage.rejected("cache_read 900 > input 800"));

    assertThat(cost.status()).isEqualTo(CostStatus.NO_USAGE);
    assertThat(cost.totalUsd()).isNull();
    assertThat(cost.reason()).isEqualTo("usage rejected: cache_read 900 > input 800");
  }

  @Test
  void anUnknownModelWithoutUsageIsUnpriced() {
    assertThat(price("openai", "gpt-nonexistent-9", Usage.NONE).status()).isEqualTo(CostStatus.UNPRICED);
  }

  @Test
  void aReportedCostIsKeptBesideTheComputedOne() {
    // normalization stored the source's own figure (e.g. llm.cost.total = 0.0123)
    LlmCall reported = call("openai", "gpt-4o", usage(1000, 0, 0, 0, 100, 0))
        .withCost(Cost.unpriced(null, usd("0.0123")));

    Cost cost = Fixtures.Calculator.BUNDLED.price(reported).cost();

    assertThat(cost.status()).isEqualTo(CostStatus.PRICED);
    // 1000 × $2.5e-6 + 100 × $1e-5 = $0.0035, computed; the reported $0.0123 stays beside it
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0035");
    assertThat(cost.reportedUsd()).isEqualByComparingTo("0.0123");
  }

  @Test
  void aReportedCostIsKeptWhenTheModelIsUnpricedOrHasNoUsage() {
    Cost unpriced = Fixtures.Calculator.BUNDLED.price(call("openai", "gpt-nonexistent-9", usage(1, 0, 0, 0, 0, 0))
        .withCost(Cost.unpriced(null, usd("0.5")))).cost();
    assertThat(unpriced.status()).isEqualTo(CostStatus.UNPRICED);
    assertThat(unpriced.reportedUsd()).isEqualByComparingTo("0.5");

    Cost noUsage = Fixtures.Calculator.BUNDLED.price(call("openai", "gpt-4o", Usage.NONE)
        .withCost(Cost.unpriced(null, usd("0.25")))).cost();
    assertThat(noUsage.status()).isEqualTo(CostStatus.NO_USAGE);
    assertThat(noUsage.reportedUsd()).isEqualByComparingTo("0.25");
  }

  @Test
  void theResponseModelIsPricedWhenKnown() {
    // requested "gpt-4o", answered by the dated snapshot "gpt-4o-2024-05-13" ($5e-6 input)
    LlmCall c = new LlmCall("openai", "chat", "gpt-4o", "gpt-4o-2024-05-13", false,
        usage(1000, 0, 0, 0, 0, 0), null, null, null, null, null);
    Cost cost = Fixtures.Calculator.BUNDLED.price(c).cost();
    assertThat(cost.priceKey()).isEqualTo("gpt-4o-2024-05-13");
    // 1000 × $5e-6 = $0.005
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.005");
  }
}
