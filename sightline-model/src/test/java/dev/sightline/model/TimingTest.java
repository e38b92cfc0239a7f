package dev.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The timing rules of ARCHITECTURE.md §5. */
class TimingTest {
  static final long MS = 1_000_000L;

  @Test
  void ttftTpotAndDecodeSpeed() {
    // t0 = 0, first token at 400 ms, last token at 400 + 99 × 25 = 2875 ms, response done at 2900 ms.
    Timing t = new Timing(0, 2900 * MS, 400 * MS, TtftSource.GATEWAY, 2875 * MS, 60 * MS);
    assertThat(t.ttftMs()).isEqualTo(400.0);
    assertThat(t.durationMs()).isEqualTo(2900.0);
    assertThat(t.tpotMs(100)).isCloseTo(25.0, within(1e-12));            // (2875 − 400) / 99
    assertThat(t.outputTokensPerSecond(100)).isCloseTo(40.0, within(1e-9)); // 99 / 2.475 s
    assertThat(t.maxInterTokenGapMs()).isEqualTo(60.0);
  }

  @Test
  void lastTokenDefaultsToTheEndOfTheCall() {
    Timing t = new Timing(0, 2250 * MS, 250 * MS, TtftSource.TIME_TO_FIRST_CHUNK, null, null);
    assertThat(t.tpotMs(500)).isCloseTo(2000.0 / 499, within(1e-12));
  }

  @Test
  void undefinedWhereTheFormulaIs() {
    Timing t = new Timing(0, 1000 * MS, 300 * MS, TtftSource.GATEWAY, null, null);
    assertThat(t.tpotMs(1)).isNull();                 // N ≤ 1
    assertThat(t.outputTokensPerSecond(0)).isNull();
    Timing noTtft = Timing.of(0, 1000 * MS);
    assertThat(noTtft.tpotMs(100)).isNull();
    assertThat(noTtft.ttftSource()).isNull();
    Timing ttftBeyondEnd = new Timing(0, 100 * MS, 300 * MS, TtftSource.GATEWAY, null, null);
    assertThat(ttftBeyondEnd.tpotMs(10)).isNull();
  }
}
