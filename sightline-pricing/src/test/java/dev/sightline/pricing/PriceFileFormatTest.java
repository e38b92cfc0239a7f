package dev.sightline.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the price file's fields become per-token prices (docs/pricing.md, "Your own prices"). */
class PriceFileFormatTest {

  private static PriceCatalog load(String fileName, String content) {
    return PriceCatalog.bundled().withUserFile(fileName, content.getBytes(StandardCharsets.UTF_8));
  }

  private static ModelPrice price(PriceCatalog catalog, String model) {
    return catalog.resolve(null, model, Instant.parse("2026-06-01T00:00:00Z")).orElseThrow();
  }

  @Test
  void pricesArePerMillionTokensAndExact() {
    ModelPrice p = price(load("p.yaml", """
        models:
          - name: m
            prices: [{input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite5m: 0.1875, cacheWrite1h: 0.3, reasoning: 2.4}]
        """), "m");
    assertThat(p.base().input()).isEqualByComparingTo("0.00000015");
    assertThat(p.base().output()).isEqualByComparingTo("0.0000006");
    assertThat(p.base().cacheRead()).isEqualByComparingTo("0.000000075");
    assertThat(p.base().cacheWrite5m()).isEqualByComparingTo("0.0000001875");
    assertThat(p.base().cacheWrite1h()).isEqualByComparingTo("0.0000003");
    assertThat(p.base().reasoning()).isEqualByComparingTo("0.0000024");
    assertThat(p.source()).isEqualTo(ModelPrice.Source.USER_FILE);
    assertThat(p.key()).isEqualTo("user:m");
    assertThat(p.mode()).isEqualTo("chat");
  }

  @Test
  void missingBucketsFollowTheCatalogsFallbacks() {
    // cache read and 5m write → input; 1h write → 5m write; reasoning → output
    ModelPrice p = price(load("p.yaml", """
        models:
          - name: m
            prices: [{input: 1, cacheWrite5m: 1.25, output: 5}]
        """), "m");
    assertThat(p.base().cacheRead()).isEqualByComparingTo("0.000001");
    assertThat(p.base().cacheWrite1h()).isEqualByComparingTo("0.00000125");
    assertThat(p.base().reasoning()).isEqualByComparingTo("0.000005");
  }

  @Test
  void aTierKeepsTheBasePriceOfABucketItDoesNotList() {
    ModelPrice p = price(load("p.yaml", """
        models:
          - name: m
            prices:
              - input: 1
                cacheRead: 0.1
                output: 5
                tiers:
                  - aboveInputTokens: 200000
                    input: 2
                    output: 7.5
                  - aboveInputTokens: 1000000
                    input: 3
        """), "m");
    assertThat(p.tiers()).extracting(ModelPrice.Tier::aboveInputTokens).containsExactly(200_000L, 1_000_000L);
    ModelPrice.Rates above200k = p.ratesFor(200_001);
    assertThat(above200k.input()).isEqualByComparingTo("0.000002");
    assertThat(above200k.cacheRead()).isEqualByComparingTo("0.0000001");
    assertThat(above200k.output()).isEqualByComparingTo("0.0000075");
    // a bucket with no price of its own at any level follows its fallback at the tier's price
    assertThat(above200k.cacheWrite5m()).isEqualByComparingTo("0.000002");
    ModelPrice.Rates above1m = p.ratesFor(1_000_001);
    assertThat(above1m.input()).isEqualByComparingTo("0.000003");
    assertThat(above1m.output()).isEqualByComparingTo("0.0000075");
  }

  @Test
  void jsonAndYamlReadTheSame() {
    PriceCatalog yaml = load("p.yml", """
        models:
          - regex: "acme-.*"
            provider: VLLM
            prices:
              - effectiveFrom: 2026-01-01
                input: 1
                output: '2.5'
        """);
    PriceCatalog json = load("p.json", """
        {"models": [{"regex": "acme-.*", "provider": "VLLM",
          "prices": [{"effectiveFrom": "2026-01-01T00:00:00Z", "input": 1, "output": "2.5"}]}]}
        """);
    ModelPrice a = yaml.resolve("vllm", "acme-7b", Instant.parse("2026-01-01T00:00:00Z")).orElseThrow();
    ModelPrice b = json.resolve("vllm", "acme-7b", Instant.parse("2026-01-01T00:00:00Z")).orElseThrow();
    assertThat(a.key()).isEqualTo(b.key()).isEqualTo("user:/acme-.*/");
    assertThat(a.effectiveFrom()).isEqualTo(b.effectiveFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(a.base().output()).isEqualByComparingTo(b.base().output()).isEqualByComparingTo("0.0000025");
    // provider names are compared without case
    assertThat(a.litellmProvider()).isEqualTo("vllm");
  }

  @Test
  void effectiveFromTakesADateOrATimeWithItsZone() {
    PriceCatalog catalog = load("p.yaml", """
        models:
          - name: m
            prices:
              - input: 1
                output: 1
              - effectiveFrom: 2026-03-01T09:30:00+02:00
                input: 2
                output: 2
        """);
    // 09:30 at +02:00 is 07:30 UTC
    assertThat(catalog.resolve(null, "m", Instant.parse("2026-03-01T07:29:59Z")).orElseThrow().inputPerToken())
        .isEqualByComparingTo("0.000001");
    assertThat(catalog.resolve(null, "m", Instant.parse("2026-03-01T07:30:00Z")).orElseThrow().inputPerToken())
        .isEqualByComparingTo("0.000002");
  }

  @Test
  void theExampleInTheDocsIsTheTestedFile() throws IOException {
    String docs = Files.readString(Path.of("../docs/pricing.md"));
    String example = Files.readString(Fixtures.userPriceFile());
    assertThat(docs).as("docs/pricing.md shows user-prices.yaml verbatim").contains("```yaml\n" + example + "```");
  }

  @Test
  void numbersKeepTheirDecimalDigits() {
    // 0.1 + 0.2 style binary errors would show up here
    ModelPrice p = price(load("p.yaml", "models: [{name: m, prices: [{input: 0.1, output: 0.2}]}]"), "m");
    assertThat(p.base().input().add(p.base().output())).isEqualByComparingTo(new BigDecimal("0.0000003"));
  }
}
