package dev.sightline.evaluators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The duty cycle's arithmetic and the settings that bound it. */
class CpuShareTest {
  static final long MS = 1_000_000L;

  @Test
  void thePauseMakesCpuOverWorkAndPauseEqualTheShare() {
    CpuShare quarter = new CpuShare(0.25);
    // 10 ms of CPU in 10 ms of wall time: 30 ms more make 10 of 40 ms
    assertThat(quarter.pauseNanos(10 * MS, 10 * MS)).isEqualTo(30 * MS);
    // descheduled on a busy machine: 10 ms of CPU took 25 ms, only 15 ms more are owed
    assertThat(quarter.pauseNanos(10 * MS, 25 * MS)).isEqualTo(15 * MS);
    // waited (e.g. on a judge model) longer than the share asks: no pause
    assertThat(quarter.pauseNanos(10 * MS, 400 * MS)).isZero();
    assertThat(quarter.pauseNanos(0, 5 * MS)).isZero();
    assertThat(new CpuShare(0.5).pauseNanos(4 * MS, 4 * MS)).isEqualTo(4 * MS);
    // a whole core never pauses work that kept it busy
    assertThat(new CpuShare(1).pauseNanos(7 * MS, 7 * MS)).isZero();
  }

  @Test
  void aShareMustBePositiveAndAtMostTheThreads() {
    assertThatThrownBy(() -> new CpuShare(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CpuShare(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EvaluatorSettings(EvaluationPolicy.ALL, 10, 1, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU share");
    assertThatThrownBy(() -> new EvaluatorSettings(EvaluationPolicy.ALL, 10, 2, Duration.ZERO, 2.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most their threads");
    assertThat(new EvaluatorSettings(EvaluationPolicy.ALL, 10, 2, Duration.ZERO, 2).capped()).isFalse();
    assertThat(new EvaluatorSettings(EvaluationPolicy.ALL, 10, 2, Duration.ZERO, 0.5).capped()).isTrue();
    assertThat(EvaluatorSettings.defaults().cpuShare()).isEqualTo(EvaluatorSettings.DEFAULT_CPU_SHARE);
    assertThat(EvaluatorSettings.defaults().capped()).isTrue();
    // the constructor from before the cap keeps its behaviour: no cap
    assertThat(new EvaluatorSettings(EvaluationPolicy.ALL, 10, 3, Duration.ZERO).cpuShare()).isEqualTo(3.0);
  }
}
