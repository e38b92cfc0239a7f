package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.pricing.PriceExplanation.Step;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Why does this call cost what it costs": which entry matched and by which step, or why none did. */
class PriceExplanationTest {

  private static final Instant AT = Instant.parse("2026-02-01T00:00:00Z");
  private static final PriceCatalog USER = PriceCatalog.bundled().withUserFile(Fixtures.userPriceFile());

  private static PriceExplanation explain(String provider, String model) {
    return USER.explain(provider, model, AT);
  }

  @Test
  void exactCatalogEntry() {
    PriceExplanation e = explain("openai", "gpt-4o-2024-08-06");
    assertThat(e.matched()).isTrue();
    assertThat(e.step()).isEqualTo(Step.EXACT);
    assertThat(e.key()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(e.source()).isEqualTo(ModelPrice.Source.BUNDLED);
    assertThat(e.effectiveFrom()).isEqualTo(Instant.EPOCH);
    assertThat(e.entryProvider()).isEqualTo("openai");
    assertThat(e.reason()).contains("'gpt-4o-2024-08-06'").contains("catalog entry 'gpt-4o-2024-08-06'")
        .contains(Step.EXACT.description());
    assertThat(e.notes()).isEmpty();
  }

  @Test
  void eachMatchingStepIsNamed() {
    assertThat(explain("openai", "openai/gpt-4o-mini").step()).isEqualTo(Step.PREFIX_STRIPPED);
    assertThat(explain("gcp.gemini", "gemini-2.5-flash").step()).isEqualTo(Step.PREFIX_STRIPPED);
    assertThat(explain("aws.bedrock", "ca.anthropic.claude-3-5-sonnet-20241022-v2:0").step()).isEqualTo(Step.BEDROCK_ID);

    PriceExplanation dated = explain("openai", "gpt-5.1-codex-2025-11-13");
    assertThat(dated.step()).isEqualTo(Step.DATED_BASE);
    assertThat(dated.key()).isEqualTo("gpt-5.1-codex");
    assertThat(dated.notes()).singleElement().asString().contains("undated base 'gpt-5.1-codex'");

    PriceExplanation other = explain("anthropic", "claude-3-5-sonnet-20241022");
    assertThat(other.step()).isEqualTo(Step.OTHER_PROVIDER);
    assertThat(other.notes()).singleElement().asString().contains("no catalog entry for provider 'anthropic'");
  }

  @Test
  void priceFileEntries() {
    PriceExplanation byName = explain("vllm", "acme/support-llama-3.1-8b-ft");
    assertThat(byName.step()).isEqualTo(Step.USER_NAME);
    assertThat(byName.source()).isEqualTo(ModelPrice.Source.USER_FILE);
    assertThat(byName.key()).isEqualTo("user:acme/support-llama-3.1-8b-ft");
    assertThat(byName.entryProvider()).isEqualTo("vllm");
    assertThat(byName.reason()).contains("user-prices.yaml line 5");

    PriceExplanation byRegex = explain("openai", "ft:gpt-4o-mini-2024-07-18:acme:x:1");
    assertThat(byRegex.step()).isEqualTo(Step.USER_REGEX);
    assertThat(byRegex.key()).isEqualTo("user:/ft:gpt-4o-mini-2024-07-18:acme:.*/");
  }

  @Test
  void anOverrideNotYetInForceIsNoted() {
    PriceExplanation e = USER.explain("openai", "gpt-4o", Instant.parse("2025-06-01T00:00:00Z"));
    assertThat(e.key()).isEqualTo("gpt-4o");
    assertThat(e.source()).isEqualTo(ModelPrice.Source.BUNDLED);
    assertThat(e.notes()).singleElement().asString()
        .contains("price-file entry 'user:gpt-4o'").contains("no price in force").contains("2026-01-01T00:00:00Z");
  }

  @Test
  void nothingInForce() {
    PriceExplanation e = USER.explain(null, "acme-next", Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(e.matched()).isFalse();
    assertThat(e.step()).isEqualTo(Step.NOT_IN_FORCE);
    assertThat(e.reason()).contains("no entry that matches 'acme-next'").contains("no provider");
    assertThat(e.notes()).singleElement().asString().contains("2026-06-01T00:00:00Z");
  }

  @Test
  void nothingMatched() {
    PriceExplanation e = explain("vllm", "meta-llama/Llama-3.1-70B-Instruct-2024-07-23");
    assertThat(e.matched()).isFalse();
    assertThat(e.step()).isEqualTo(Step.NONE);
    assertThat(e.key()).isNull();
    assertThat(e.reason()).contains("self-hosted").contains("price file");
    assertThat(e.notes()).singleElement().asString()
        .contains("'meta-llama/llama-3.1-70b-instruct-2024-07-23'")
        .contains("'llama-3.1-70b-instruct-2024-07-23'")
        .contains("undated base 'llama-3.1-70b-instruct'");

    assertThat(USER.explain("openai", null, AT).reason()).contains("names no model");
  }

  @Test
  void explainAgreesWithPricingForEveryCatalogEntry() {
    // the explanation follows the same matching code: same key, under each entry's own provider
    // and under none, for a few hundred models
    CostCalculator calculator = new CostCalculator(USER);
    List<ModelPrice> entries = PriceCatalog.bundled().entries();
    for (int i = 0; i < entries.size(); i += 7) {
      String model = entries.get(i).key();
      for (String provider : new String[] {entries.get(i).litellmProvider(), null, "openai"}) {
        LlmCall call = Fixtures.callAt(provider, model, usage(10, 0, 0, 0, 0, 0), AT);
        Cost cost = calculator.price(call).cost();
        PriceExplanation e = USER.explain(provider, model, AT);
        assertThat(e.key()).as(provider + " / " + model).isEqualTo(cost.priceKey());
      }
    }
  }
}
