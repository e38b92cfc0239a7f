package dev.sightline.alerts.anomaly;

import static dev.sightline.alerts.anomaly.TrafficReplay.dayHour;
import static dev.sightline.alerts.anomaly.TrafficReplay.hour;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.store.DuckDbStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline rule on 15 days of stored traffic: hour-of-week, hour-of-day fallback, not enough history. */
class CostBaselineTest {

  @TempDir
  static Path dir;

  private static DuckDbStore store;
  private static Map<Instant, HourlyCost> history;

  @BeforeAll
  static void replay() {
    store = DuckDbStore.open(dir.resolve("db"));
    TrafficReplay.write(store, 15, TrafficReplay.NONE);
    history = new HashMap<>();
    new CostHistory(store).hours(hour(0), hour(dayHour(15, 0))).forEach(h -> history.put(h.hour(), h));
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void historyHasEveryHourWithItsGroupsAndTokens() {
    assertThat(history).hasSize(15 * 24);
    HourlyCost h = history.get(hour(dayHour(3, 15)));
    assertThat(h.pricedCalls()).isEqualTo(TrafficReplay.normal(dayHour(3, 15)).size());
    assertThat(h.groups().get(dev.sightline.store.CostQuery.Dimension.USER)).hasSize(10);
    assertThat(h.groups().get(dev.sightline.store.CostQuery.Dimension.MODEL))
        .containsOnlyKeys("gpt-4o-mini", "claude-sonnet");
    assertThat(h.cacheReadTokens()).isPositive().isLessThan(h.inputTokens());
    assertThat(h.total().cacheReadUsd()).isPositive();
  }

  @Test
  void twoEarlierWeeksGiveAnHourOfWeekBaseline() {
    CostBaseline b = CostBaseline.of(hour(dayHour(14, 9)), history, hour(0), 4).orElseThrow();
    assertThat(b.basis()).isEqualTo(CostBaseline.Basis.HOUR_OF_WEEK);
    assertThat(b.samples()).extracting(HourlyCost::hour).containsExactly(hour(dayHour(7, 9)), hour(dayHour(0, 9)));
  }

  @Test
  void fewerThanTwoWeeksFallBackToTheSameHourOfTheSevenDaysBefore() {
    CostBaseline b = CostBaseline.of(hour(dayHour(10, 9)), history, hour(0), 4).orElseThrow();
    assertThat(b.basis()).isEqualTo(CostBaseline.Basis.HOUR_OF_DAY);
    assertThat(b.samples()).hasSize(7);
    assertThat(b.madCostUsd()).isLessThan(0.2 * b.medianCostUsd());
    assertThat(CostBaseline.of(hour(dayHour(3, 9)), history, hour(0), 4).orElseThrow().samples()).hasSize(3);
  }

  @Test
  void lessThanThreeDaysIsNotEnoughHistoryAndRaisesNothing() {
    assertThat(CostBaseline.of(hour(dayHour(2, 23)), history, hour(0), 4)).isEmpty();
    // the first hours of a store would all look new: still no anomaly
    CostAnomalyDetector detector = new CostAnomalyDetector(store, null);
    assertThat(detector.check(hour(dayHour(1, 14)))).isEmpty();
    assertThat(detector.scan(hour(0), hour(dayHour(3, 0)))).isEmpty();
  }

  @Test
  void badInputGivesNoResultRatherThanAnError() {
    CostAnomalyDetector detector = new CostAnomalyDetector(store, new AnomalySettings(-1, -2, -3, 0, 5, 0, 0, 0, 99));
    assertThat(detector.check(null)).isEmpty();
    assertThat(detector.checkDrift(null)).isEmpty();
    assertThat(detector.scan(hour(10), hour(5))).isEmpty();
    assertThat(detector.scan(null, hour(5))).isEmpty();
    assertThat(new CostHistory(store).hours(hour(5), hour(5))).isEmpty();
    assertThat(CostBaseline.of(null, history, hour(0), 4)).isEmpty();
    assertThat(new AnomalySettings(-1, -2, -3, 0, 5, 0, 0, 0, 99)).isEqualTo(AnomalySettings.DEFAULTS);
  }
}
