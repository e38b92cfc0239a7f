package dev.sightline.alerts.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.store.GroupBy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final HandClock clock = new HandClock();
  private final AlertTracker tracker = new AlertTracker(clock);

  private static AlertRule rule(Duration forDuration) {
    return new AlertRule("5xx", "5xx by provider", AlertFigure.ERROR_RATE_5XX, null, null, Map.of(),
        GroupBy.PROVIDER, Duration.ofMinutes(5),
        new Condition(Condition.Comparison.GT, new BigDecimal("0.05"), null), forDuration, Severity.CRITICAL);
  }

  private static Observation obs(String group, String value) {
    BigDecimal v = new BigDecimal(value);
    return new Observation("5xx", group, v, null, v.compareTo(new BigDecimal("0.05")) > 0);
  }

  private static List<AlertState> transition(List<AlertEvent> events, int i) {
    return List.of(events.get(i).from(), events.get(i).to());
  }

  @Test
  void pendsThenFiresAfterTheForDurationThenResolvesThenGoesInactive() {
    AlertRule r = rule(Duration.ofMinutes(2));
    List<AlertEvent> e = tracker.apply(r, List.of(obs("openai", "0.2")));
    assertThat(e).singleElement().satisfies(ev -> {
      assertThat(ev.from()).isEqualTo(AlertState.INACTIVE);
      assertThat(ev.to()).isEqualTo(AlertState.PENDING);
      assertThat(ev.at()).isEqualTo(T0);
      assertThat(ev.group()).isEqualTo("openai");
      assertThat(ev.value()).isEqualByComparingTo("0.2");
      assertThat(ev.message()).isEqualTo("5xx by provider: error_rate_5xx [provider=openai] = 0.2, breaching > 0.05;"
          + " pending for PT2M");
    });

    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.apply(r, List.of(obs("openai", "0.3")))).isEmpty(); // breached 1 min of 2

    clock.advance(Duration.ofMinutes(1));
    e = tracker.apply(r, List.of(obs("openai", "0.3")));
    assertThat(e).hasSize(1);
    assertThat(transition(e, 0)).containsExactly(AlertState.PENDING, AlertState.FIRING);
    assertThat(e.get(0).at()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(tracker.active()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.FIRING);
      assertThat(a.since()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    });

    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.apply(r, List.of(obs("openai", "0.4")))).isEmpty(); // still firing: no new event

    clock.advance(Duration.ofMinutes(1));
    e = tracker.apply(r, List.of(obs("openai", "0.01")));
    assertThat(transition(e, 0)).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    assertThat(e.get(0).message()).contains("= 0.01").endsWith("no longer > 0.05; resolved");

    clock.advance(Duration.ofMinutes(1));
    e = tracker.apply(r, List.of(obs("openai", "0.01")));
    assertThat(transition(e, 0)).containsExactly(AlertState.RESOLVED, AlertState.INACTIVE);
    assertThat(tracker.active()).isEmpty();
  }

  @Test
  void aPendingGroupThatRecoversNeverFiresAndTheForDurationStartsAgain() {
    AlertRule r = rule(Duration.ofMinutes(2));
    tracker.apply(r, List.of(obs("openai", "0.2")));
    clock.advance(Duration.ofMinutes(1));
    List<AlertEvent> e = tracker.apply(r, List.of(obs("openai", "0.0")));
    assertThat(transition(e, 0)).containsExactly(AlertState.PENDING, AlertState.INACTIVE);
    clock.advance(Duration.ofMinutes(1));
    assertThat(transition(tracker.apply(r, List.of(obs("openai", "0.2"))), 0))
        .containsExactly(AlertState.INACTIVE, AlertState.PENDING);
    clock.advance(Duration.ofMinutes(1)); // 3 min since the first breach, 1 since this one
    assertThat(tracker.apply(r, List.of(obs("openai", "0.2")))).isEmpty();
  }

  @Test
  void reFiresAfterResolving() {
    AlertRule r = rule(Duration.ZERO);
    assertThat(transition(tracker.apply(r, List.of(obs("openai", "0.2"))), 0))
        .containsExactly(AlertState.INACTIVE, AlertState.FIRING);
    clock.advance(Duration.ofMinutes(1));
    assertThat(transition(tracker.apply(r, List.of(obs("openai", "0.0"))), 0))
        .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    clock.advance(Duration.ofMinutes(1));
    List<AlertEvent> e = tracker.apply(r, List.of(obs("openai", "0.5")));
    assertThat(transition(e, 0)).containsExactly(AlertState.RESOLVED, AlertState.FIRING);
    assertThat(e.get(0).at()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
  }

  @Test
  void forZeroFiresAtOnce() {
    List<AlertEvent> e = tracker.apply(rule(Duration.ZERO), List.of(obs("openai", "0.2"), obs("anthropic", "0.0")));
    assertThat(e).singleElement().satisfies(ev -> {
      assertThat(ev.group()).isEqualTo("openai");
      assertThat(ev.from()).isEqualTo(AlertState.INACTIVE);
      assertThat(ev.to()).isEqualTo(AlertState.FIRING);
      assertThat(ev.at()).isEqualTo(T0);
    });
  }

  @Test
  void aGroupThatVanishesResolvesAndOthersAreUntouched() {
    AlertRule r = rule(Duration.ZERO);
    tracker.apply(r, List.of(obs("openai", "0.2"), obs("anthropic", "0.3")));
    clock.advance(Duration.ofMinutes(1));
    List<AlertEvent> e = tracker.apply(r, List.of(obs("anthropic", "0.3")));
    assertThat(e).singleElement().satisfies(ev -> {
      assertThat(ev.group()).isEqualTo("openai");
      assertThat(ev.to()).isEqualTo(AlertState.RESOLVED);
      assertThat(ev.value()).isNull();
      assertThat(ev.message()).isEqualTo("5xx by provider: error_rate_5xx [provider=openai] is no longer reported;"
          + " resolved");
    });
    assertThat(tracker.active()).extracting(ActiveAlert::group, ActiveAlert::state).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("openai", AlertState.RESOLVED),
        org.assertj.core.groups.Tuple.tuple("anthropic", AlertState.FIRING));
  }

  @Test
  void aFailedEvaluationKeepsStateAndOtherRulesAreIndependent() {
    AlertRule r = rule(Duration.ZERO);
    tracker.apply(r, List.of(obs("openai", "0.2")));
    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.apply(r, new Evaluation("5xx", clock.instant(), List.of(), "store down"))).isEmpty();
    AlertRule other = new AlertRule("other", "other", AlertFigure.CALLS, null, null, Map.of(), null,
        Duration.ofMinutes(5), new Condition(Condition.Comparison.GT, BigDecimal.TEN, null), Duration.ZERO,
        Severity.INFO);
    assertThat(tracker.apply(other, List.of())).isEmpty(); // does not resolve the 5xx rule's groups
    assertThat(tracker.active()).singleElement().extracting(ActiveAlert::state).isEqualTo(AlertState.FIRING);
    assertThat(transition(tracker.remove(r), 0)).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    assertThat(tracker.active()).isEmpty();
  }
}
