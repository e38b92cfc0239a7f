package dev.sightline.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A reported cost that differs from the computed one by more than 1% of the computed cost is flagged. */
class ReportedCostTest {

  private static Cost priced(String computed, String reported) {
    BigDecimal total = new BigDecimal(computed);
    return new Cost(CostStatus.PRICED, total, total, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, "k", null, reported == null ? null : new BigDecimal(reported));
  }

  @Test
  void withinOnePercentIsNoMismatch() {
    // computed $0.002: 1% is $0.00002
    assertThat(ReportedCost.mismatch(priced("0.002", "0.002"))).isFalse();
    assertThat(ReportedCost.mismatch(priced("0.002", "0.00202"))).isFalse();   // exactly 1% over
    assertThat(ReportedCost.mismatch(priced("0.002", "0.00198"))).isFalse();   // exactly 1% under
  }

  @Test
  void moreThanOnePercentIsAMismatch() {
    assertThat(ReportedCost.mismatch(priced("0.002", "0.0020201"))).isTrue();
    assertThat(ReportedCost.mismatch(priced("0.002", "0.0019799"))).isTrue();
    assertThat(ReportedCost.mismatch(priced("0.002", "0.004"))).isTrue();
    // a computed $0 with any reported charge differs by more than 1% of $0
    assertThat(ReportedCost.mismatch(priced("0", "0.000001"))).isTrue();
    assertThat(ReportedCost.mismatch(priced("0", "0"))).isFalse();
  }

  @Test
  void nothingToCompareIsNull() {
    assertThat(ReportedCost.mismatch(priced("0.002", null))).isNull();
    assertThat(ReportedCost.mismatch(Cost.unpriced("no price", new BigDecimal("0.5")))).isNull();
    assertThat(ReportedCost.mismatch(null)).isNull();
  }
}
