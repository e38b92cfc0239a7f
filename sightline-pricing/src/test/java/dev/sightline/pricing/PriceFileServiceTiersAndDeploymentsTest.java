package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The price file's service tiers ({@code batch}, {@code priority}, {@code flex} inside a price set)
 * and its {@code deployments} (Azure deployment names mapped to models). Prices are USD per million
 * tokens: 2.00 is $2e-6 per token.
 */
class PriceFileServiceTiersAndDeploymentsTest {

  private static final PriceCatalog CATALOG = PriceCatalog.bundled().withUserFile("prices.yaml", """
      deployments:
        - name: prod-gpt4o
          model: gpt-4o-2024-08-06
        - name: Support-Mini
          model: gpt-4o-mini
        - name: acme-east
          model: acme-large
          provider: openai
      models:
        - name: acme-large
          prices:
            - input: 2.00
              cacheRead: 0.50
              output: 8.00
              tiers:
                - aboveInputTokens: 100000
                  input: 4.00
                  output: 12.00
              batch:
                input: 1.00
                output: 4.00
              priority:
                input: 3.00
                output: 12.00
                tiers:
                  - aboveInputTokens: 100000
                    input: 6.00
                    output: 18.00
            - effectiveFrom: 2026-03-01
              input: 1.00
              output: 4.00
              flex:
                input: 0.50
                output: 2.00
      """.getBytes(StandardCharsets.UTF_8));
  private static final CostCalculator CALCULATOR = new CostCalculator(CATALOG);
  private static final Instant FEB = Instant.parse("2026-02-10T00:00:00Z");
  private static final Instant MARCH = Instant.parse("2026-03-10T00:00:00Z");

  private static Cost price(String provider, String model, Usage usage, Instant start, String tier) {
    long ns = PriceCatalog.nanos(start);
    return CALCULATOR.price(new LlmCall(provider, "chat", model, null, false, usage, Timing.of(ns, ns + 1_000_000_000L),
        null, null, null, null, tier)).cost();
  }

  @Test
  void batchTierOfAPriceFileEntry() {
    // batch: input 1.00 → 1e-6, output 4.00 → 4e-6; cache read not restated: the set's 0.50 → 5e-7
    Cost cost = price(null, "acme-large", usage(10_000, 20_000, 0, 0, 1_000, 0), FEB, "batch");

    // 10000 × $1e-6 = $0.01 ; 20000 × $5e-7 = $0.01 ; 1000 × $4e-6 = $0.004 → $0.024
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.01");
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.01");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.004");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.024");
    assertThat(cost.priceKey()).isEqualTo("user:acme-large");
    assertThat(cost.reason()).isEqualTo("batch tier prices");
  }

  @Test
  void priorityTierWithItsOwnLongContextPrices() {
    // 100,001 input tokens > 100,000: priority's own tier, input 6.00 → 6e-6, output 18.00 → 1.8e-5
    Cost cost = price(null, "acme-large", usage(100_001, 0, 0, 0, 1_000, 0), FEB, "priority");

    // 100001 × $6e-6 = $0.600006 ; 1000 × $1.8e-5 = $0.018 → $0.618006
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.618006");
    // below the threshold: 100000 × $3e-6 = $0.3 ; 1000 × $1.2e-5 = $0.012 → $0.312
    assertThat(price(null, "acme-large", usage(100_000, 0, 0, 0, 1_000, 0), FEB, "priority").totalUsd())
        .isEqualByComparingTo("0.312");
  }

  @Test
  void batchTierWithoutLongContextPricesKeepsTheSetsLongContextPrices() {
    // batch states no tier above 100k: the set's long-context prices (4.00 / 12.00) apply, and the reason says so
    Cost cost = price(null, "acme-large", usage(100_001, 0, 0, 0, 1_000, 0), FEB, "batch");

    // 100001 × $4e-6 = $0.400004 ; 1000 × $1.2e-5 = $0.012 → $0.412004
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.412004");
    assertThat(cost.reason()).contains("has no batch price above 100000 input tokens");
  }

  @Test
  void serviceTiersFollowTheEffectiveDateOfTheirPriceSet() {
    // from 2026-03-01 the set has flex (0.50 / 2.00) but no batch
    Cost flex = price(null, "acme-large", usage(10_000, 0, 0, 0, 1_000, 0), MARCH, "flex");
    // 10000 × $5e-7 = $0.005 ; 1000 × $2e-6 = $0.002 → $0.007
    assertThat(flex.totalUsd()).isEqualByComparingTo("0.007");
    Cost batch = price(null, "acme-large", usage(10_000, 0, 0, 0, 1_000, 0), MARCH, "batch");
    // no batch price in force: standard 10000 × $1e-6 = $0.01 ; 1000 × $4e-6 = $0.004 → $0.014
    assertThat(batch.totalUsd()).isEqualByComparingTo("0.014");
    assertThat(batch.reason()).isEqualTo("'user:acme-large' has no batch price; priced at the standard price");
    // and in February there was no flex price: 10000 × $2e-6 + 1000 × $8e-6 = $0.028
    assertThat(price(null, "acme-large", usage(10_000, 0, 0, 0, 1_000, 0), FEB, "flex").totalUsd())
        .isEqualByComparingTo("0.028");
  }

  @Test
  void anAzureDeploymentNameIsPricedAsTheModelItServes() {
    // gpt-4o-2024-08-06 (Azure entry azure/gpt-4o-2024-08-06): the deployment name is all the call reports
    Cost viaDeployment = price("azure.ai.openai", "prod-gpt4o", usage(1_000, 0, 0, 0, 100, 0), FEB, null);
    Cost direct = price("azure.ai.openai", "gpt-4o-2024-08-06", usage(1_000, 0, 0, 0, 100, 0), FEB, null);

    assertThat(viaDeployment.status()).isEqualTo(CostStatus.PRICED);
    assertThat(viaDeployment.priceKey()).isEqualTo(direct.priceKey());
    assertThat(viaDeployment.totalUsd()).isEqualByComparingTo(direct.totalUsd());
    assertThat(viaDeployment.reason()).startsWith("deployment 'prod-gpt4o' serves model 'gpt-4o-2024-08-06'")
        .contains("prices.yaml line 2");
    // names are matched case-insensitively
    assertThat(price("az.ai.openai", "support-mini", usage(1_000, 0, 0, 0, 100, 0), FEB, null).status())
        .isEqualTo(CostStatus.PRICED);
    // a deployment without 'provider' applies to Azure calls only: elsewhere the name is just an unknown model
    assertThat(price("openai", "prod-gpt4o", usage(1_000, 0, 0, 0, 100, 0), FEB, null).status())
        .isEqualTo(CostStatus.UNPRICED);
    // without the mapping, the deployment name is unpriced, never $0
    CostCalculator plain = new CostCalculator(PriceCatalog.bundled());
    long ns = PriceCatalog.nanos(FEB);
    assertThat(plain.price(new LlmCall("azure.ai.openai", "chat", "prod-gpt4o", null, false,
        usage(1_000, 0, 0, 0, 100, 0), Timing.of(ns, ns), null, null, null, null)).cost().status())
        .isEqualTo(CostStatus.UNPRICED);
  }

  @Test
  void aDeploymentMayNameAnotherProviderAndAPriceFileModel() {
    // acme-east is limited to provider openai and serves acme-large: 1000 × $2e-6 + 100 × $8e-6 = $0.0028
    Cost cost = price("openai", "acme-east", usage(1_000, 0, 0, 0, 100, 0), FEB, null);
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0028");
    assertThat(cost.priceKey()).isEqualTo("user:acme-large");
    assertThat(price("azure.ai.openai", "acme-east", usage(1_000, 0, 0, 0, 100, 0), FEB, null).status())
        .isEqualTo(CostStatus.UNPRICED);
  }

  @Test
  void theResolverExplainsADeployment() {
    PriceExplanation why = CATALOG.explain("azure.ai.openai", "prod-gpt4o", FEB);
    assertThat(why.matched()).isTrue();
    assertThat(why.notes()).anySatisfy(n -> assertThat(n).contains("deployment 'prod-gpt4o' serves model"));
  }

  @Test
  void mistakesInServiceTiersAndDeploymentsAreReportedWithTheirLine() {
    PriceFileException e = catchThrowableOfType(PriceFileException.class, () -> PriceCatalog.bundled()
        .withUserFile("bad.yaml", """
            deployments:
              - name: prod
              - model: gpt-4o
            models:
              - name: m
                prices:
                  - input: 1
                    output: 1
                    batch:
                      input: -1
                      outptu: 2
                    flex: 3
            """.getBytes(StandardCharsets.UTF_8)));
    assertThat(e).isNotNull();
    List<String> errors = e.errors().stream().map(PriceFileError::toString).toList();
    assertThat(errors).anySatisfy(m -> assertThat(m).contains("bad.yaml:2").contains("missing 'model'"));
    assertThat(errors).anySatisfy(m -> assertThat(m).contains("bad.yaml:3").contains("missing 'name'"));
    assertThat(errors).anySatisfy(m -> assertThat(m).contains("bad.yaml:10").contains("negative price"));
    assertThat(errors).anySatisfy(m -> assertThat(m).contains("bad.yaml:11").contains("did you mean 'output'"));
    assertThat(errors).anySatisfy(m -> assertThat(m).contains("bad.yaml:12").contains("models[0].prices[0].flex"));
  }
}
