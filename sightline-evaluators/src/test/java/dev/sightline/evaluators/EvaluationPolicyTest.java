package dev.sightline.evaluators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationPolicyTest {
  @Test
  void aRouteRuleWinsOverAServiceRuleWhichWinsOverTheDefault() {
    EvaluationPolicy p = new EvaluationPolicy(0.5, Map.of("POST /chat", 1.0), Map.of("billing", 0.0));
    assertThat(p.rateFor("POST /chat", "billing")).isEqualTo(1.0);
    assertThat(p.rateFor("GET /other", "billing")).isEqualTo(0.0);
    assertThat(p.rateFor(null, "search")).isEqualTo(0.5);
  }

  @Test
  void samplingKeepsAboutTheRateAndAlwaysTheSameCalls() {
    EvaluationPolicy p = new EvaluationPolicy(0.1, Map.of(), Map.of());
    int kept = 0;
    for (int i = 0; i < 20_000; i++) {
      String trace = String.format("%032x", i * 7919L);
      boolean first = p.sampled(trace, "00000000000000c1", null, null);
      assertThat(p.sampled(trace, "00000000000000c1", null, null)).isEqualTo(first);
      if (first) {
        kept++;
      }
    }
    assertThat(kept).isBetween(1_700, 2_300);
  }

  @Test
  void ratesOutsideZeroToOneAreRefusedWithTheFix() {
    assertThatThrownBy(() -> new EvaluationPolicy(1.5, Map.of(), Map.of()))
        .hasMessageContaining("between 0 (off) and 1 (every call)");
    assertThatThrownBy(() -> new EvaluationPolicy(1, Map.of("POST /chat", -1.0), Map.of()))
        .hasMessageContaining("POST /chat");
  }
}
