package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression guard on the labelled sets (docs/quality.md, "How good is the groundedness check").
 * Floors sit a little below what version 1.2 measured, lexical configuration: on the first set
 * (both splits used for tuning) 0.86 dev / 0.84 test, false-positive rate 0.03 on test; on the
 * held-out set 0.75 overall, 0.71 on its second half, with a false-positive rate of 0.16. Both
 * halves of the held-out set were read for error analysis in 1.2, so the honest figure comes from
 * the fresh set, written later and first measured with 1.2 finished: 0.69, false-positive rate 0.31.
 */
class GroundednessEvalSetTest {

  @Test
  void lexicalConfigurationKeepsItsAccuracyOnEverySet() {
    System.out.print(EvalSetReport.report(Boolean.getBoolean("groundedness.embeddings")));
    GroundednessEvaluator lexical = new GroundednessEvaluator();
    List<EvalSetReport.Example> first = EvalSetReport.load();
    assertThat(first).hasSizeGreaterThanOrEqualTo(300);
    EvalSetReport.Figures test = EvalSetReport.measure(lexical, first.stream().filter(e -> e.split().equals("test"))
        .toList());
    assertThat(test.balancedAccuracy()).isGreaterThanOrEqualTo(0.82);
    assertThat(test.falsePositiveRate()).isLessThanOrEqualTo(0.06);

    List<EvalSetReport.Example> heldOut = EvalSetReport.loadHeldOut();
    assertThat(heldOut).hasSizeGreaterThanOrEqualTo(190);
    EvalSetReport.Figures all = EvalSetReport.measure(lexical, heldOut);
    assertThat(all.balancedAccuracy()).isGreaterThanOrEqualTo(0.72);
    assertThat(all.falsePositiveRate()).isLessThanOrEqualTo(0.20);
    EvalSetReport.Figures untouched = EvalSetReport.measure(lexical, heldOut.stream()
        .filter(e -> e.split().equals("heldout-b")).toList());
    assertThat(untouched.balancedAccuracy()).isGreaterThanOrEqualTo(0.68);

    List<EvalSetReport.Example> fresh = EvalSetReport.loadFresh();
    assertThat(fresh).hasSizeGreaterThanOrEqualTo(160);
    EvalSetReport.Figures unseen = EvalSetReport.measure(lexical, fresh);
    assertThat(unseen.balancedAccuracy()).isGreaterThanOrEqualTo(0.66);
    assertThat(unseen.falsePositiveRate()).isLessThanOrEqualTo(0.35);
  }
}
