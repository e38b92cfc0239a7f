package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rule and history behaviour every {@link Store} engine must have: an engine's test
 * extends this class and supplies {@link #openStore}, as for {@link StoreConformanceSuite}.
 */
public abstract class AlertConformanceSuite {

  /** Opens (or reopens) the engine's store with its data in {@code dir}. */
  protected abstract Store openStore(Path dir);

  @TempDir
  protected Path dir;
  protected Store store;

  protected static final Instant T = Instant.parse("2025-01-15T10:00:00Z");

  @BeforeEach
  void openFresh() {
    store = openStore(dir);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected void reopen() {
    store.close();
    store = openStore(dir);
  }

  protected static AlertRecord rec(String rule, String group, String from, String to, int minute, String value) {
    return new AlertRecord(rule, group, from, to, T.plusSeconds(60L * minute),
        value == null ? null : new BigDecimal(value), rule + " " + to + " at " + minute);
  }

  private static AlertHistoryQuery all(int limit) {
    return new AlertHistoryQuery(null, null, null, null, limit);
  }

  @Test
  void rulesAreSavedReplacedListedByIdAndDeleted() {
    assertThat(store.rules()).isEmpty();
    StoredRule b = new StoredRule("b-cost", "{\"metric\":\"cost_per_hour\",\"threshold\":10}", T);
    StoredRule a = new StoredRule("a-errors", "{\"metric\":\"error_rate\"}", T.plusNanos(1));
    store.saveRule(b);
    store.saveRule(a);
    assertThat(store.rules()).containsExactly(a, b);

    StoredRule b2 = new StoredRule("b-cost", "{\"metric\":\"cost_per_hour\",\"threshold\":20}", T.plusSeconds(5));
    store.saveRule(b2);
    assertThat(store.rules()).containsExactly(a, b2);

    assertThat(store.deleteRule("a-errors")).isTrue();
    assertThat(store.deleteRule("a-errors")).isFalse();
    assertThat(store.rules()).containsExactly(b2);
  }

  @Test
  void aRuleThatIsNotOneJsonObjectOrHasABadIdIsRefusedWithTheReason() {
    for (String bad : new String[] {"[1,2]", "{\"a\":1", "{} {}", "\"text\"", "", "not json"}) {
      assertThatThrownBy(() -> store.saveRule(new StoredRule("r", bad, T)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("one JSON object");
    }
    assertThatThrownBy(() -> store.saveRule(new StoredRule("", "{}", T)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 128 chars");
    assertThatThrownBy(() -> store.saveRule(new StoredRule("x".repeat(129), "{}", T)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 128 chars");
    assertThatThrownBy(() -> store.saveRule(new StoredRule("r", null, T)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON");
    store.saveRule(new StoredRule("x".repeat(128), "{}", T));
    assertThat(store.rules()).extracting(StoredRule::id).containsExactly("x".repeat(128));
  }

  @Test
  void historyIsNewestFirstAndFiltersByRuleStateAndWindow() {
    store.appendAlerts(List.of(
        rec("cost", "gpt-4o", null, "pending", 0, "12.5"),
        rec("cost", "gpt-4o", "pending", "firing", 5, "13"),
        rec("errors", null, null, "pending", 6, "0.2")));
    store.appendAlerts(List.of(rec("cost", "gpt-4o", "firing", "resolved", 30, "1")));

    assertThat(store.alertHistory(all(100))).extracting(AlertRecord::message)
        .containsExactly("cost resolved at 30", "errors pending at 6", "cost firing at 5", "cost pending at 0");
    assertThat(store.alertHistory(new AlertHistoryQuery("cost", null, null, null, 100)))
        .extracting(AlertRecord::to).containsExactly("resolved", "firing", "pending");
    assertThat(store.alertHistory(new AlertHistoryQuery(null, "pending", null, null, 100)))
        .extracting(AlertRecord::ruleId).containsExactly("errors", "cost");
    // since inclusive, until exclusive
    assertThat(store.alertHistory(new AlertHistoryQuery(null, null, T.plusSeconds(300), T.plusSeconds(1800), 100)))
        .extracting(AlertRecord::message).containsExactly("errors pending at 6", "cost firing at 5");
    assertThat(store.alertHistory(all(2))).extracting(AlertRecord::message)
        .containsExactly("cost resolved at 30", "errors pending at 6");
    AlertRecord firing = store.alertHistory(new AlertHistoryQuery("cost", "firing", null, null, 1)).get(0);
    assertThat(firing.group()).isEqualTo("gpt-4o");
    assertThat(firing.from()).isEqualTo("pending");
    assertThat(firing.at()).isEqualTo(T.plusSeconds(300));
    assertThatThrownBy(() -> store.alertHistory(all(0))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void transitionsAtTheSameTimeReadInReverseWriteOrder() {
    List<AlertRecord> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(new AlertRecord("r", "g" + i, null, "firing", T, null, "m" + i));
    }
    store.appendAlerts(batch.subList(0, 3));
    store.appendAlerts(batch.subList(3, 5));
    assertThat(store.alertHistory(all(10))).extracting(AlertRecord::group)
        .containsExactly("g4", "g3", "g2", "g1", "g0");
  }

  @Test
  void valuesAreExactTo18DecimalsAndLongMessagesAreCut() {
    BigDecimal v = new BigDecimal("12345678901234567890.123456789012345678").subtract(BigDecimal.ONE.movePointLeft(18));
    store.appendAlerts(List.of(
        new AlertRecord("r", null, null, "firing", T, v, "x".repeat(5000)),
        new AlertRecord("r", null, "firing", "resolved", T.plusSeconds(1), null, null)));
    List<AlertRecord> h = store.alertHistory(all(10));
    assertThat(h.get(0).value()).isNull();
    assertThat(h.get(0).message()).isNull();
    assertThat(h.get(1).value()).isEqualByComparingTo(v);
    assertThat(h.get(1).value().toPlainString()).isEqualTo("12345678901234567890.123456789012345677");
    assertThat(h.get(1).message()).hasSize(4096).startsWith("xxx").endsWith(" …[truncated]");
  }

  @Test
  void anInvalidRecordWritesNothingOfItsBatch() {
    List<AlertRecord> batch = List.of(rec("r", null, null, "firing", 0, "1"),
        new AlertRecord("r", null, "firing", null, T, null, null));
    assertThatThrownBy(() -> store.appendAlerts(batch)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("new state");
    assertThatThrownBy(() -> store.appendAlerts(List.of(new AlertRecord("r", null, null, "firing", T,
        new BigDecimal("1e20"), null)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
    assertThat(store.alertHistory(all(10))).isEmpty();
  }

  @Test
  void rulesAndHistorySurviveAReopen() {
    StoredRule rule = new StoredRule("cost", "{\"w\":\"1h\"}", T);
    store.saveRule(rule);
    store.appendAlerts(List.of(rec("cost", "m", null, "firing", 1, "0.000000000000000001")));
    reopen();
    assertThat(store.rules()).containsExactly(rule);
    store.appendAlerts(List.of(rec("cost", "m", "firing", "resolved", 1, "2")));
    List<AlertRecord> h = store.alertHistory(all(10));
    // same time: the write after the reopen still reads first
    assertThat(h).extracting(AlertRecord::to).containsExactly("resolved", "firing");
    assertThat(h.get(1).value()).isEqualByComparingTo("0.000000000000000001");
  }
}
