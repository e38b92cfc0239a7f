package dev.sightline.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** GPU time into cost per request and per 1k output tokens, in exact decimals. */
class GpuCostTest {

  @Test
  void halfAnHourAtTwoFiftyOverAHundredRequests() {
    BigDecimal hours = GpuCost.gpuHours(30 * 60_000L);
    assertThat(hours).isEqualByComparingTo("0.5");
    EngineCost c = GpuCost.of(new BigDecimal("2.50"), hours, BigDecimal.ONE, 100, 50_000, "llama");
    assertThat(c.cost()).isEqualByComparingTo("1.25");
    assertThat(c.costPerRequest()).isEqualByComparingTo("0.0125");
    assertThat(c.costPer1kOutputTokens()).isEqualByComparingTo("0.025");
    assertThat(c.reason()).isNull();
    assertThat(c.gpuPricePerHour()).isEqualByComparingTo("2.50");
  }

  @Test
  void upTimeScalesTheHoursAndAShareSplitsTheCost() {
    // seen up for 90 minutes: 1.5 GPU hours; this engine made 3 of the service's 4 output tokens
    BigDecimal hours = GpuCost.gpuHours(90 * 60_000L);
    assertThat(hours).isEqualByComparingTo("1.5");
    BigDecimal share = GpuCost.share(3, 4, 2);
    assertThat(share).isEqualByComparingTo("0.75");
    EngineCost c = GpuCost.of(new BigDecimal("4"), hours, share, 9, 3_000, "m");
    assertThat(c.cost()).isEqualByComparingTo("4.5");
    assertThat(c.costPerRequest()).isEqualByComparingTo("0.5");
    assertThat(c.costPer1kOutputTokens()).isEqualByComparingTo("1.5");
    assertThat(GpuCost.share(0, 0, 4)).isEqualByComparingTo("0.25");
    assertThat(GpuCost.share(5, 7, 1)).isEqualByComparingTo("1");
    assertThat(GpuCost.gpuHours(-5)).as("never negative").isEqualByComparingTo("0");
  }

  @Test
  void noMatchedCallsKeepsTheCostAndSaysWhyThereIsNoPerRequestFigure() {
    EngineCost c = GpuCost.of(new BigDecimal("3"), new BigDecimal("0.25"), BigDecimal.ONE, 0, 0, "qwen");
    assertThat(c.cost()).isEqualByComparingTo("0.75");
    assertThat(c.costPerRequest()).isNull();
    assertThat(c.costPer1kOutputTokens()).isNull();
    assertThat(c.reason()).contains("qwen").contains("no LLM calls");
    EngineCost unknown = GpuCost.unknownTime(new BigDecimal("3"), "tgi");
    assertThat(unknown.cost()).isNull();
    assertThat(unknown.reason()).contains("tgi").contains("up");
  }

  @Test
  void modelsMatchExactlyOrWithoutTheirOrganisation() {
    assertThat(GpuCost.sameModel("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct")).isTrue();
    assertThat(GpuCost.sameModel("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct")).isTrue();
    assertThat(GpuCost.sameModel("Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct")).isTrue();
    assertThat(GpuCost.sameModel("/models/opt-125m", "facebook/opt-125m")).isTrue();
    assertThat(GpuCost.sameModel("meta-llama/Llama-3.1-8B-Instruct", "Llama-3.1-70B-Instruct")).isFalse();
    assertThat(GpuCost.sameModel("models/", "other/")).isFalse();
    assertThat(GpuCost.sameModel(null, "x")).isFalse();
  }
}
