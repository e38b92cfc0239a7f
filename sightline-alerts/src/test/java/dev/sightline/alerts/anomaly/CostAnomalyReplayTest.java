package dev.sightline.alerts.anomaly;

import static dev.sightline.alerts.anomaly.TrafficReplay.CHAT;
import static dev.sightline.alerts.anomaly.TrafficReplay.SUMMARIZE;
import static dev.sightline.alerts.anomaly.TrafficReplay.dayHour;
import static dev.sightline.alerts.anomaly.TrafficReplay.hour;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.alerts.anomaly.CostAnomaly.Kind;
import dev.sightline.alerts.anomaly.Explanation.Contributor;
import dev.sightline.alerts.anomaly.TrafficReplay.Incident;
import dev.sightline.alerts.anomaly.TrafficReplay.Shape;
import dev.sightline.store.CostQuery.Dimension;
import dev.sightline.store.DuckDbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays three weeks of seasonal traffic into a real store, then an incident on the fourth Monday
 * at 14:00 UTC, and checks that the detector flags the incident's first hour with the right cause.
 */
class CostAnomalyReplayTest {

  /** The incident's first hour: Monday of week 4, 14:00, whose baseline is the three Mondays before. */
  private static final int INCIDENT = dayHour(21, 14);

  @TempDir
  Path dir;

  private DuckDbStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private CostAnomalyDetector replay(int days, Incident incident) {
    store = DuckDbStore.open(dir.resolve("db"));
    TrafficReplay.write(store, days, incident);
    return new CostAnomalyDetector(store, AnomalySettings.DEFAULTS);
  }

  private static Incident from(int start, UnaryOperator<Shape> change) {
    return (h, calls) -> h < start ? calls : calls.stream().map(change).toList();
  }

  private static Contributor top(CostAnomaly a, Dimension d) {
    return a.explanation().top(d).orElseThrow();
  }

  @Test
  void tenfoldCostPerCallOnOneModelAtFlatTrafficIsSameTrafficNTimesCost() {
    CostAnomalyDetector detector = replay(22, from(INCIDENT,
        s -> s.model().equals("claude-sonnet") ? s.scaled(10) : s));

    assertThat(detector.check(hour(INCIDENT - 1))).isEmpty();
    CostAnomaly a = detector.check(hour(INCIDENT)).orElseThrow();
    assertThat(a.kind()).isEqualTo(Kind.SAME_TRAFFIC_COST_PER_CALL);
    assertThat(a.ratio()).isBetween(6.0, 9.0); // 0.4 of calls cost 10×, 73 % of the cost before
    Contributor model = top(a, Dimension.MODEL);
    assertThat(model.key()).isEqualTo("claude-sonnet");
    assertThat(model.newKey()).isFalse();
    assertThat(model.costPerCallEffectUsd()).isGreaterThan(0.9 * model.deltaUsd());
    assertThat(model.shareOfRise()).isGreaterThan(0.95);
    assertThat(top(a, Dimension.ROUTE).key()).isEqualTo(SUMMARIZE);
    assertThat(a.summary()).startsWith("same traffic, higher cost per call: cost/h ")
        .contains("100 % from model claude-sonnet (cost per call 10.0×)");
  }

  @Test
  void modelSwitchOnARouteNamesTheNewModelAndTheRoute() {
    CostAnomalyDetector detector = replay(22, from(INCIDENT,
        s -> s.route().equals(CHAT) ? new Shape("gpt-4o", s.route(), s.user(), s.uncached(), s.cacheRead(), s.output())
            : s));

    assertThat(detector.check(hour(INCIDENT - 1))).isEmpty();
    CostAnomaly a = detector.check(hour(INCIDENT)).orElseThrow();
    assertThat(a.kind()).isEqualTo(Kind.SAME_TRAFFIC_COST_PER_CALL);
    Contributor model = top(a, Dimension.MODEL);
    assertThat(model.key()).isEqualTo("gpt-4o");
    assertThat(model.newKey()).isTrue();
    assertThat(model.shareOfRise()).isEqualTo(1.0);
    Contributor old = a.explanation().contributors().stream()
        .filter(c -> c.dimension() == Dimension.MODEL && c.key().equals("gpt-4o-mini")).findFirst().orElseThrow();
    assertThat(old.observedUsd()).isZero();
    Contributor route = top(a, Dimension.ROUTE);
    assertThat(route.key()).isEqualTo(CHAT);
    assertThat(route.costRatio()).isGreaterThan(10); // 0.0018 → 0.03 USD a call
    assertThat(a.explanation().text()).contains("100 % from model gpt-4o (absent from the baseline)")
        .contains("route POST /chat");
  }

  @Test
  void cacheHitCollapseShowsTheCachedShareFalling() {
    CostAnomalyDetector detector = replay(22, from(INCIDENT,
        s -> s.cacheRead() > 0 ? new Shape(s.model(), s.route(), s.user(), s.uncached() + s.cacheRead(), 0, s.output())
            : s));

    assertThat(detector.check(hour(INCIDENT - 1))).isEmpty();
    CostAnomaly a = detector.check(hour(INCIDENT)).orElseThrow();
    assertThat(a.kind()).isEqualTo(Kind.SAME_TRAFFIC_COST_PER_CALL);
    assertThat(a.ratio()).isBetween(3.0, 4.2);
    var tokens = a.explanation().shift("CACHED_INPUT_TOKENS").orElseThrow();
    assertThat(tokens.baselineShare()).isBetween(0.40, 0.46); // 9,500 of 10,000 on 40 % of calls, 8,000 uncached on the rest
    assertThat(tokens.observedShare()).isZero();
    assertThat(a.explanation().shift("CACHE_READ_INPUT_COST").orElseThrow().observedShare()).isZero();
    assertThat(top(a, Dimension.MODEL).key()).isEqualTo("claude-sonnet");
    assertThat(top(a, Dimension.MODEL).costPerCallEffectUsd()).isGreaterThan(0.9 * top(a, Dimension.MODEL).deltaUsd());
    assertThat(a.explanation().text()).contains("cached share of input tokens 4").contains("→ 0 %");
  }

  @Test
  void oneAbusiveUserIsACallsSpikeFromThatUser() {
    CostAnomalyDetector detector = replay(22, (h, calls) -> {
      if (h < INCIDENT) {
        return calls;
      }
      List<Shape> out = new ArrayList<>();
      for (Shape s : calls) {
        for (int i = 0; i < (s.user().equals("u7") ? 20 : 1); i++) {
          out.add(s);
        }
      }
      return out;
    });

    assertThat(detector.check(hour(INCIDENT - 1))).isEmpty();
    CostAnomaly a = detector.check(hour(INCIDENT)).orElseThrow();
    assertThat(a.kind()).isEqualTo(Kind.COST_SPIKE);
    assertThat(a.ratio()).isBetween(2.3, 3.5);
    Contributor user = top(a, Dimension.USER);
    assertThat(user.key()).isEqualTo("u7");
    assertThat(user.shareOfRise()).isGreaterThan(0.9);
    assertThat(user.callsEffectUsd()).isGreaterThan(0.9 * user.deltaUsd());
    assertThat(user.observedCalls() / user.baselineCalls()).isBetween(15.0, 25.0);
    assertThat(a.explanation().callsEffectUsd()).isGreaterThan(a.explanation().costPerCallEffectUsd());
    assertThat(a.explanation().text()).contains("; 100 % from user u7 (calls 20.0×)").doesNotContain("model");
  }

  @Test
  void slowDriftIsFlaggedOnItsFourthDayWithoutAnHourlySpike() {
    int start = dayHour(21, 0);
    CostAnomalyDetector detector = replay(26, (h, calls) -> h < start ? calls
        : calls.stream().map(s -> s.scaled(Math.pow(1.15, (h - start) / 24.0))).toList());

    assertThat(detector.checkDrift(hour(dayHour(24, 0)))).isEmpty(); // three days in: 1.42× on the last day
    CostAnomaly drift = detector.checkDrift(hour(dayHour(25, 0))).orElseThrow();
    assertThat(drift.kind()).isEqualTo(Kind.SLOW_DRIFT);
    assertThat(drift.start()).isEqualTo(hour(dayHour(24, 0)));
    assertThat(drift.ratio()).isBetween(1.5, 1.8);
    assertThat(drift.explanation().costPerCallEffectUsd()).isGreaterThan(drift.explanation().callsEffectUsd());
    assertThat(drift.summary()).startsWith("slow drift: cost/day 1.").contains("(mostly cost per call)");
    assertThat(detector.scan(hour(start), hour(dayHour(25, 0)))).isEmpty();
  }

  @Test
  void dailySeasonalityAloneRaisesNothingInTheLastWeek() {
    CostAnomalyDetector detector = replay(28, TrafficReplay.NONE);
    CostHistory history = new CostHistory(store);
    var hours = history.hours(hour(0), hour(dayHour(28, 0)));
    var byHour = new java.util.HashMap<java.time.Instant, HourlyCost>();
    hours.forEach(h -> byHour.put(h.hour(), h));
    // the check is not empty for want of history: the last week has a three-week baseline
    CostBaseline b = CostBaseline.of(hour(dayHour(27, 15)), byHour, hour(0), 4).orElseThrow();
    assertThat(b.basis()).isEqualTo(CostBaseline.Basis.HOUR_OF_WEEK);
    assertThat(b.samples()).hasSize(3);
    assertThat(b.medianCalls()).isBetween(55.0, 63.0);

    assertThat(detector.scan(hour(dayHour(21, 0)), hour(dayHour(28, 0)))).isEmpty();
    for (int d = 22; d <= 28; d++) {
      assertThat(detector.checkDrift(hour(dayHour(d, 0)))).isEmpty();
    }
  }
}
