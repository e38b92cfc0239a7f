package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** A call is priced with the prices in force at its start time (ARCHITECTURE.md §6). */
class EffectiveDateTest {

  /** m costs $1 per million input tokens until 2000-01-01, $2 from then, $3 from 2200-01-01. */
  private static final PriceCatalog CATALOG = PriceCatalog.bundled().withUserFile("p.yaml", """
      models:
        - name: m
          prices:
            - {input: 1, output: 1}
            - {effectiveFrom: 2000-01-01, input: 2, output: 2}
            - {effectiveFrom: 2200-01-01, input: 3, output: 3}
      """.getBytes(StandardCharsets.UTF_8));

  private static LlmCall call(Timing timing) {
    return new LlmCall(null, "chat", "m", null, false, usage(1_000_000, 0, 0, 0, 0, 0), timing, null, null, null, null);
  }

  @Test
  void bundledPricesAreInForceFromTheEpoch() {
    ModelPrice p = PriceCatalog.bundled().resolve("openai", "gpt-4o", Instant.EPOCH).orElseThrow();
    assertThat(p.effectiveFrom()).isEqualTo(Instant.EPOCH);
    assertThat(p.source()).isEqualTo(ModelPrice.Source.BUNDLED);
    assertThat(PriceCatalog.bundled().resolve("openai", "gpt-4o", Instant.parse("2030-01-01T00:00:00Z")))
        .containsSame(p);
  }

  @Test
  void resolveAtATimePicksTheSetInForce() {
    assertThat(CATALOG.resolve(null, "m", Instant.parse("1999-12-31T23:59:59.999999999Z")).orElseThrow()
        .inputPerToken()).isEqualByComparingTo("0.000001");
    assertThat(CATALOG.resolve(null, "m", Instant.parse("2000-01-01T00:00:00Z")).orElseThrow()
        .effectiveFrom()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    // the two-argument resolve means now
    assertThat(CATALOG.resolve(null, "m").orElseThrow().inputPerToken()).isEqualByComparingTo("0.000002");
  }

  @Test
  void theCalculatorUsesTheCallsStartTime() {
    CostCalculator calculator = new CostCalculator(CATALOG);
    long y1999 = PriceCatalog.nanos(Instant.parse("1999-06-01T00:00:00Z"));
    long y2000 = PriceCatalog.nanos(Instant.parse("2000-01-01T00:00:00Z"));
    // 1,000,000 input tokens × $1e-6 = $1 in 1999; × $2e-6 = $2 from 2000-01-01
    Cost in1999 = calculator.price(call(Timing.of(y1999, y1999 + 5))).cost();
    assertThat(in1999.totalUsd()).isEqualByComparingTo("1");
    // a call that starts the nanosecond before and ends after the change: its start decides
    Cost straddling = calculator.price(call(Timing.of(y2000 - 1, y2000 + 1_000_000_000L))).cost();
    assertThat(straddling.totalUsd()).isEqualByComparingTo("1");
    assertThat(calculator.price(call(Timing.of(y2000, y2000))).cost().totalUsd()).isEqualByComparingTo("2");
  }

  @Test
  void aCallWithoutAStartTimeIsPricedNow() {
    CostCalculator calculator = new CostCalculator(CATALOG);
    // now is after 2000-01-01 and before 2200-01-01: $2
    assertThat(calculator.price(call(null)).cost().totalUsd()).isEqualByComparingTo("2");
    assertThat(calculator.price(call(Timing.of(0, 0))).cost().totalUsd()).isEqualByComparingTo("2");
  }

  @Test
  void explainSaysWhichSetIsInForce() {
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    PriceExplanation e = CATALOG.explain(null, "m", at);
    assertThat(e.effectiveFrom()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(e.reason()).contains("prices in force since 2000-01-01T00:00:00Z");
  }
}
