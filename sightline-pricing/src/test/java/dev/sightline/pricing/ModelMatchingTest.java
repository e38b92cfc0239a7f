package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.price;
import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a call's (provider, model) finds its catalog entry (docs/pricing.md, "Matching"). */
class ModelMatchingTest {

  private static String key(String provider, String model) {
    return Fixtures.bundled().resolve(provider, model).map(ModelPrice::key).orElse(null);
  }

  @Test
  void exactKey() {
    assertThat(key("openai", "gpt-4o")).isEqualTo("gpt-4o");
    assertThat(key("anthropic", "claude-sonnet-4-5")).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  void matchingIgnoresCaseAndSurroundingSpace() {
    assertThat(key("OpenAI", "GPT-4o")).isEqualTo("gpt-4o");
    assertThat(key("openai", " gpt-4o ")).isEqualTo("gpt-4o");
    assertThat(key("aws.bedrock", "US.ANTHROPIC.CLAUDE-3-5-SONNET-20241022-V2:0"))
        .isEqualTo("us.anthropic.claude-3-5-sonnet-20241022-v2:0");
  }

  @Test
  void aDatedIdThatIsInTheCatalogIsItsOwnEntry() {
    // gpt-4o-2024-05-13 ($5e-6 input) is not priced like gpt-4o ($2.5e-6)
    assertThat(key("openai", "gpt-4o-2024-08-06")).isEqualTo("gpt-4o-2024-08-06");
    assertThat(key("openai", "gpt-4o-2024-05-13")).isEqualTo("gpt-4o-2024-05-13");
    assertThat(key("anthropic", "claude-sonnet-4-5-20250929")).isEqualTo("claude-sonnet-4-5-20250929");
  }

  @Test
  void aDatedIdMissingFromTheCatalogFallsBackToItsUndatedBase() {
    // -YYYY-MM-DD: OpenAI's snapshot gpt-5.1-codex-2025-11-13 has no openai entry
    assertThat(key("openai", "gpt-5.1-codex-2025-11-13")).isEqualTo("gpt-5.1-codex");
    // -YYYYMMDD: a future Anthropic snapshot the catalog does not list yet
    assertThat(key("anthropic", "claude-sonnet-4-6-20991231")).isEqualTo("claude-sonnet-4-6");
    // @YYYYMMDD (Vertex AI's form), from a provider that lists only the undated model
    assertThat(key("anthropic", "claude-sonnet-4-5@20250929")).isEqualTo("claude-sonnet-4-5");

    Cost cost = price("openai", "gpt-5.1-codex-2025-11-13", usage(10, 0, 0, 0, 0, 0));
    assertThat(cost.reason()).contains("undated base 'gpt-5.1-codex'");
  }

  @Test
  void aDatedIdNeverFallsBackToAnotherSnapshot() {
    // gpt-4o-2024-05-14 is not a snapshot; the base gpt-4o prices it, not gpt-4o-2024-05-13
    assertThat(key("openai", "gpt-4o-2024-05-14")).isEqualTo("gpt-4o");
    // no base, no other snapshot: unpriced
    assertThat(key("openai", "gpt-nonexistent-2024-05-13")).isNull();
  }

  @Test
  void providerPrefixesOnTheModelAreStripped() {
    assertThat(key("openai", "openai/gpt-4o")).isEqualTo("gpt-4o");
    assertThat(key(null, "openai/gpt-4o")).isEqualTo("gpt-4o");
    // the Gemini API answers with "models/…"
    assertThat(key("gcp.gemini", "models/gemini-2.5-pro")).isEqualTo("gemini/gemini-2.5-pro");
    assertThat(key("anthropic", "anthropic/claude-sonnet-4-5")).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  void prefixedCatalogKeysAreFoundByTheBareModelId() {
    assertThat(key("gcp.gemini", "gemini-2.5-flash")).isEqualTo("gemini/gemini-2.5-flash");
    assertThat(key("deepseek", "deepseek-r1")).isEqualTo("deepseek/deepseek-r1");
    assertThat(key("openrouter", "anthropic/claude-3.5-sonnet")).startsWith("openrouter/");
  }

  @Test
  void theEntryOfTheCallsProviderIsPreferred() {
    // gemini-2.5-pro is listed by Vertex AI (unprefixed) and by the Gemini API (gemini/…)
    assertThat(key("gcp.gemini", "gemini-2.5-pro")).isEqualTo("gemini/gemini-2.5-pro");
    assertThat(key("gcp.vertex_ai", "gemini-2.5-pro")).isEqualTo("gemini-2.5-pro");
    assertThat(key("azure.ai.openai", "gpt-4o")).isEqualTo("azure/gpt-4o");
    assertThat(key("openai", "gpt-4o")).isEqualTo("gpt-4o");
    // without a provider, the unprefixed (model maker's) entry
    assertThat(key(null, "gpt-4o")).isEqualTo("gpt-4o");
  }

  @Test
  void bedrockIdsWithRegionPrefixes() {
    assertThat(key("aws.bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"))
        .isEqualTo("us.anthropic.claude-3-5-sonnet-20241022-v2:0");
    assertThat(key("aws.bedrock", "eu.anthropic.claude-3-5-sonnet-20241022-v2:0"))
        .isEqualTo("eu.anthropic.claude-3-5-sonnet-20241022-v2:0");
    assertThat(key("aws.bedrock", "apac.anthropic.claude-3-5-sonnet-20241022-v2:0"))
        .isEqualTo("apac.anthropic.claude-3-5-sonnet-20241022-v2:0");
    assertThat(key("aws.bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"))
        .isEqualTo("anthropic.claude-3-5-sonnet-20241022-v2:0");
    // us. carries Bedrock's regional price (3.3e-6 input for Sonnet 4.5, not 3e-6)
    ModelPrice us = Fixtures.bundled()
        .resolve("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow();
    assertThat(us.inputPerToken()).isEqualByComparingTo("0.0000033");
  }

  @Test
  void aBedrockRegionTheCatalogLacksFallsBackToTheModelsBedrockEntry() {
    // no "ca." entry for this model: the region-less Bedrock id prices it
    assertThat(key("aws.bedrock", "ca.anthropic.claude-3-5-sonnet-20241022-v2:0"))
        .isEqualTo("anthropic.claude-3-5-sonnet-20241022-v2:0");
  }

  @Test
  void anAnthropicModelIdCalledThroughBedrockFindsABedrockEntry() {
    ModelPrice p = Fixtures.bundled().resolve("aws.bedrock", "claude-3-5-sonnet-20241022").orElseThrow();
    assertThat(p.litellmProvider()).isEqualTo("bedrock");
    assertThat(p.key()).isEqualTo("anthropic.claude-3-5-sonnet-20241022-v2:0");
  }

  @Test
  void anotherProvidersEntryPricesTheModelWithANote() {
    // the snapshot has no anthropic entry for claude-3-5-sonnet-20241022 any more
    Cost cost = price("anthropic", "claude-3-5-sonnet-20241022", usage(1000, 0, 0, 0, 0, 0));
    assertThat(cost.priceKey()).isNotNull();
    assertThat(cost.reason()).contains("no catalog entry for provider 'anthropic'").contains(cost.priceKey());
    // 1000 × $3e-6 = $0.003 (the same list price wherever it is sold)
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.003");
  }

  @Test
  void resolutionsAreCached() {
    Optional<ModelPrice> first = Fixtures.bundled().resolve("openai", "gpt-4o-mini");
    assertThat(Fixtures.bundled().resolve("openai", "gpt-4o-mini").orElseThrow()).isSameAs(first.orElseThrow());
    assertThat(Fixtures.bundled().resolve("openai", "no-such-model")).isEmpty();
    assertThat(Fixtures.bundled().resolve("openai", "no-such-model")).isEmpty();
    assertThat(Fixtures.bundled().resolve("openai", null)).isEmpty();
  }

  @Test
  void aTieBetweenEntriesGoesToTheUnprefixedThenShorterThenEarlierKey() {
    String json = """
        {
          "vendor-b/shared-model": {"litellm_provider": "b", "mode": "chat", "input_cost_per_token": 2e-6},
          "vendor-a/shared-model": {"litellm_provider": "a", "mode": "chat", "input_cost_per_token": 1e-6},
          "x/long-prefix/shared-model": {"litellm_provider": "c", "mode": "chat", "input_cost_per_token": 3e-6},
          "solo": {"litellm_provider": "b", "mode": "chat", "input_cost_per_token": 4e-6},
          "z/solo": {"litellm_provider": "a", "mode": "chat", "input_cost_per_token": 5e-6}
        }
        """;
    PriceCatalog catalog = PriceCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(catalog.size()).isEqualTo(5);
    // equally long prefixed keys, no provider: the earlier one in the file
    assertThat(catalog.resolve(null, "shared-model").orElseThrow().key()).isEqualTo("vendor-b/shared-model");
    // the call's provider first
    assertThat(catalog.resolve("a", "shared-model").orElseThrow().key()).isEqualTo("vendor-a/shared-model");
    assertThat(catalog.resolve("c", "shared-model").orElseThrow().key()).isEqualTo("x/long-prefix/shared-model");
    // an exact unprefixed key before a prefixed one
    assertThat(catalog.resolve(null, "solo").orElseThrow().key()).isEqualTo("solo");
    assertThat(catalog.resolve("a", "solo").orElseThrow().key()).isEqualTo("z/solo");
    // an unknown provider id is compared with litellm_provider as it is; with no entry from it,
    // the most specific name form's best entry, with a note
    assertThat(catalog.resolve("d", "solo").orElseThrow().key()).isEqualTo("solo");
  }
}
