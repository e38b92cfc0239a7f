package dev.sightline.alerts.budget;

import static dev.sightline.alerts.budget.Calls.batch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spend per budget from a real DuckDB store plus the calls not yet committed, as the clock moves. */
class BudgetLedgerTest {
  private static final Instant NOW = Instant.parse("2026-12-15T12:30:00Z");

  @TempDir
  Path dir;
  private Store store;
  private final Calls.Clock clock = new Calls.Clock(NOW);

  @BeforeEach
  void open() {
    store = DuckDbStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private BudgetLedger ledger(String... specs) throws BudgetSpecException {
    BudgetLedger l = new BudgetLedger(store, BudgetParser.parseAll(List.of(specs)), clock, Duration.ofMinutes(5));
    l.refresh();
    return l;
  }

  private BigDecimal spent(BudgetLedger l, String name) {
    return l.status().stream().filter(s -> s.budget().name().equals(name)).findFirst().orElseThrow().spentUsd();
  }

  @Test
  void aMonthlyWindowCountsThisCalendarMonthAndStartsOverOnTheFirst() throws Exception {
    store.write(List.of(batch(Instant.parse("2026-11-30T23:59:00Z"), "app", "/chat", "bob", "7.00"),
        batch(Instant.parse("2026-12-01T00:00:00Z"), "app", "/chat", "bob", "2.50"),
        batch(NOW.minusSeconds(60), "app", "/chat", "bob", "1.25")));
    BudgetLedger l = ledger("all=project,10/month");
    BudgetStatus s = l.status().get(0);
    assertThat(s.spentUsd()).isEqualByComparingTo("3.75");
    assertThat(s.windowStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(s.windowEnd()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(s.state()).isEqualTo(BudgetStatus.State.OK);

    clock.set(Instant.parse("2027-01-01T00:10:00Z"));
    assertThat(spent(l, "all")).isEqualByComparingTo("0");
    TelemetryBatch jan = batch(Instant.parse("2027-01-01T00:05:00Z"), "app", "/chat", "bob", "0.40");
    store.write(List.of(jan));
    l.written(List.of(jan)); // the roll-over re-reads the store: still counted once
    assertThat(spent(l, "all")).isEqualByComparingTo("0.40");
    assertThat(l.status().get(0).windowStart()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void aRollingWindowLetsOldSpendAgeOut() throws Exception {
    store.write(List.of(batch(NOW.minus(Duration.ofHours(30)), "app", "/chat", "alice", "4.00"),
        batch(NOW.minus(Duration.ofHours(10)), "app", "/chat", "alice", "3.00"),
        batch(NOW.minus(Duration.ofHours(2)), "app", "/chat", "alice", "2.00")));
    BudgetLedger l = ledger("alice=user:alice,5/24h,hard");
    assertThat(spent(l, "alice")).isEqualByComparingTo("5.00");
    BudgetRefusal r = l.admit("app", "/chat", "alice");
    assertThat(r).isNotNull();
    // the 3.00 from 10 h ago leaves the window at the end of its hour + 24 h
    assertThat(r.resetsAt()).isEqualTo(Instant.parse("2026-12-15T03:00:00Z").plus(Duration.ofHours(24)));
    assertThat(r.retryAfter()).isEqualTo(Duration.between(NOW, r.resetsAt()));

    clock.set(NOW.plus(Duration.ofHours(15)));
    assertThat(spent(l, "alice")).isEqualByComparingTo("2.00");
    assertThat(l.admit("app", "/chat", "alice")).isNull();
  }

  @Test
  void eachScopeCountsOnlyItsCalls() throws Exception {
    store.write(List.of(batch(NOW.minusSeconds(600), "checkout", "/chat", "alice", "1.00"),
        batch(NOW.minusSeconds(500), "search", "/chat", "bob", "2.00"),
        batch(NOW.minusSeconds(400), "search", "/summarize", "alice", "4.00")));
    BudgetLedger l = ledger("all=project,100/month", "svc=service:search,100/month", "chat=route:/chat,100/month",
        "alice=user:alice,100/month", "nobody=user:carol,100/month");
    TelemetryBatch pending = batch(NOW.minusSeconds(10), "checkout", "/summarize", "bob", "8.00");
    l.prepared(pending);
    assertThat(l.status()).extracting(BudgetStatus::spentUsd).usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("15"), new BigDecimal("6"), new BigDecimal("3"), new BigDecimal("5"),
            BigDecimal.ZERO);
  }

  @Test
  void aBatchIsCountedOnceThroughPrepareCommitAndRefresh() throws Exception {
    BudgetLedger l = ledger("all=project,100/month");
    TelemetryBatch a = batch(NOW.minusSeconds(5), "app", "/chat", "bob", "1.50");
    l.prepared(a);
    assertThat(spent(l, "all")).isEqualByComparingTo("1.50");
    store.write(List.of(a));
    l.written(List.of(a));
    assertThat(spent(l, "all")).isEqualByComparingTo("1.50");
    l.refresh();
    assertThat(spent(l, "all")).isEqualByComparingTo("1.50");

    TelemetryBatch unprepared = batch(NOW.minusSeconds(4), "app", "/chat", "bob", "0.25");
    store.write(List.of(unprepared));
    l.written(List.of(unprepared));
    assertThat(spent(l, "all")).isEqualByComparingTo("1.75");

    TelemetryBatch failed = batch(NOW.minusSeconds(3), "app", "/chat", "bob", "9.00");
    l.prepared(failed);
    assertThat(spent(l, "all")).isEqualByComparingTo("10.75");
    l.discarded(List.of(failed));
    assertThat(spent(l, "all")).isEqualByComparingTo("1.75");

    clock.set(NOW.plus(Duration.ofMinutes(10))); // a periodic refresh on the next commit agrees
    TelemetryBatch b = batch(NOW.plus(Duration.ofMinutes(9)), "app", "/chat", "bob", "0.05");
    store.write(List.of(b));
    l.written(List.of(b));
    assertThat(spent(l, "all")).isEqualByComparingTo("1.80");
  }

  @Test
  void theForecastExtrapolatesTheHigherOfTheWindowAndLast24HourRates() throws Exception {
    // 348.5 h elapsed at NOW, 395.5 h left; 2.90 spent long ago
    store.write(List.of(batch(Instant.parse("2026-12-01T01:00:00Z"), "app", "/chat", "bob", "2.90")));
    BudgetLedger l = ledger("all=project,10/month,soft=25%");
    BudgetStatus even = l.status().get(0);
    assertThat(even.basis()).isEqualTo(BudgetStatus.ForecastBasis.WINDOW);
    // 2.90 + 2.90 × 395.5 / 348.5 = 6.1911
    assertThat(even.forecastUsd()).isCloseTo(new BigDecimal("6.1911"), org.assertj.core.data.Offset.offset(
        new BigDecimal("0.001")));
    assertThat(even.state()).isEqualTo(BudgetStatus.State.SOFT);
    assertThat(even.spentPct()).isEqualTo(29.0);

    // then 2.45 in the hour before now: the last 24 h (24.5 h of buckets) run far hotter
    TelemetryBatch hot = batch(NOW.minus(Duration.ofMinutes(20)), "app", "/chat", "bob", "2.45");
    l.prepared(hot);
    BudgetStatus spike = l.status().get(0);
    assertThat(spike.basis()).isEqualTo(BudgetStatus.ForecastBasis.LAST_24H);
    // 5.35 + 2.45 / 24.5 h × 395.5 h = 5.35 + 39.55
    assertThat(spike.forecastUsd()).isCloseTo(new BigDecimal("44.90"), org.assertj.core.data.Offset.offset(
        new BigDecimal("0.001")));
    assertThat(spike.forecastPct()).isEqualTo(449.0);
  }

  @Test
  void aRefusalNamesTheBudgetAndWhenItResets() throws Exception {
    store.write(List.of(batch(NOW.minusSeconds(60), "app", "/chat", "bob", "50.02")));
    BudgetLedger l = ledger("soft-only=project,10/month", "chat=route:/chat,50/month,soft=75%,hard");
    assertThat(l.admit("app", "/other", "bob")).isNull();
    BudgetRefusal r = l.admit("app", "/chat", "bob");
    assertThat(r.name()).isEqualTo("chat");
    assertThat(r.scope()).isEqualTo(Budget.Scope.ROUTE);
    assertThat(r.scopeValue()).isEqualTo("/chat");
    assertThat(r.spentUsd()).isEqualTo(new BigDecimal("50.02"));
    assertThat(r.limitUsd()).isEqualTo(new BigDecimal("50.00"));
    assertThat(r.resetsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(r.retryAfter()).isEqualTo(Duration.between(NOW, r.resetsAt()));
    assertThat(r.message()).isEqualTo("Budget 'chat' (route /chat): $50.02 of $50.00 per month spent;"
        + " new calls are refused until 2027-01-01T00:00:00Z.");
    assertThat(l.status()).extracting(BudgetStatus::state, BudgetStatus::refusals)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BudgetStatus.State.EXHAUSTED, 0L),
            org.assertj.core.groups.Tuple.tuple(BudgetStatus.State.EXHAUSTED, 1L));
  }

  @Test
  void theBurnDownIsCumulativePerHourForShortWindowsWithAForecastLine() throws Exception {
    store.write(List.of(batch(NOW.minus(Duration.ofMinutes(150)), "app", "/chat", "bob", "1.00"),
        batch(NOW.minus(Duration.ofMinutes(20)), "app", "/chat", "bob", "0.50")));
    BudgetLedger l = ledger("day=project,10/24h");
    BurnDown bd = l.burnDown("day").orElseThrow();
    assertThat(bd.spent().get(0)).isEqualTo(new BurnDown.Point(NOW.minus(Duration.ofHours(24)),
        new BigDecimal("0.00")));
    assertThat(bd.spent()).contains(new BurnDown.Point(Instant.parse("2026-12-15T10:00:00Z"), new BigDecimal("0.00")),
        new BurnDown.Point(Instant.parse("2026-12-15T11:00:00Z"), new BigDecimal("1.00")),
        new BurnDown.Point(Instant.parse("2026-12-15T12:00:00Z"), new BigDecimal("1.00")));
    assertThat(bd.spent().get(bd.spent().size() - 1)).isEqualTo(new BurnDown.Point(NOW, new BigDecimal("1.50")));
    assertThat(bd.forecast()).hasSize(2);
    assertThat(bd.forecast().get(0)).isEqualTo(new BurnDown.Point(NOW, new BigDecimal("1.50")));
    assertThat(bd.forecast().get(1).t()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(l.burnDown("missing")).isEmpty();

    BurnDown month = ledger("m=project,10/month").burnDown("m").orElseThrow();
    assertThat(month.spent()).extracting(BurnDown.Point::t).contains(Instant.parse("2026-12-02T00:00:00Z"),
        Instant.parse("2026-12-15T00:00:00Z")).doesNotContain(Instant.parse("2026-12-15T12:00:00Z"));
    assertThat(month.forecast().get(1).t()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }
}
