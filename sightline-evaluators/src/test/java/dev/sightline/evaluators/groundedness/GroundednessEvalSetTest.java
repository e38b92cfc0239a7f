package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression guard on the labelled set: the held-out split must keep its balanced accuracy. The
 * lexical configuration measured 0.691 on the test split (0.816 on dev, where it was tuned); the
 * floor sits a little below what it honestly reaches, not at the 0.80 aimed for.
 */
class GroundednessEvalSetTest {

  @Test
  void lexicalConfigurationKeepsItsBalancedAccuracyOnTheHeldOutSplit() {
    System.out.print(EvalSetReport.report(Boolean.getBoolean("groundedness.embeddings")));
    List<EvalSetReport.Example> test = EvalSetReport.load().stream().filter(e -> e.split().equals("test")).toList();
    assertThat(test).hasSizeGreaterThanOrEqualTo(150);
    EvalSetReport.Figures f = EvalSetReport.measure(new GroundednessEvaluator(), test);
    assertThat(f.balancedAccuracy()).isGreaterThanOrEqualTo(0.66);
  }
}
