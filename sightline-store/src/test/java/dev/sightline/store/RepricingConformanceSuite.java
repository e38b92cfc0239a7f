package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Re-pricing stored calls: only costs that change are written, exactly the selected calls are
 * touched, the summary's hourly rollups follow, a second run changes nothing, and a run stopped
 * between chunks keeps what it committed.
 *
 * <p>60 calls over three hours from 10:00 (20 per hour, 10:00–12:59), written 10 at a time: models
 * a ($0.001), b ($0.002) and u (unpriced) in turn. The summary of whole hours reads the engine's
 * rollups (an engine that rolls calls up later should open its store so that most of these are
 * rolled up, as the DuckDB test does), so the rollups must follow the new costs exactly.
 */
public abstract class RepricingConformanceSuite extends StoreConformanceSuite {
  protected static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
  protected static final String[] MODELS = {"a", "b", "u"};

  @BeforeEach
  void fill() {
    for (int w = 0; w < 6; w++) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int n = w * 10 + i;
        String model = MODELS[n % 3];
        long start = T0 + (n / 20) * 3_600_000 * MS + (n % 20) * 60_000 * MS;
        BigDecimal cost = switch (model) {
          case "a" -> new BigDecimal("0.001");
          case "b" -> new BigDecimal("0.002");
          default -> null;
        };
        String t = traceId(n + 1);
        LlmCall c = call(t, spanId(1), "p", model, "svc", "r", start, start + 100 * MS, null, 10, 20, cost,
            CallStatus.OK);
        spans.add(llmSpan(t, spanId(1), null, "svc", c));
      }
      store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
    }
  }

  /** New prices: a costs $0.003, u becomes priced at $0.0005, b keeps exactly its stored cost. */
  protected static final UnaryOperator<LlmCall> NEW_PRICES = call -> switch (call.model()) {
    case "a" -> call.withCost(newPrice("0.003", "a"));
    case "u" -> call.withCost(newPrice("0.0005", "u"));
    default -> call.withCost(newPrice("0.002", "b")); // what the fixture stored for b
  };

  protected static Cost newPrice(String usd, String key) {
    BigDecimal v = new BigDecimal(usd);
    return new Cost(CostStatus.PRICED, v, v, null, null, BigDecimal.ZERO, null, key, null, null);
  }

  protected Map<String, BigDecimal> costsByTrace() {
    Map<String, BigDecimal> out = new HashMap<>();
    for (LlmCall c : store.calls(new CallQuery(null, null, null, null, null, null, null, 1000))) {
      out.put(c.context().traceId(), c.cost().totalUsd());
    }
    return out;
  }

  protected Map<String, SummaryRow> summary(Instant since, Instant until) {
    Map<String, SummaryRow> out = new HashMap<>();
    for (SummaryRow r : store.summary(new SummaryQuery(GroupBy.MODEL, since, until))) {
      out.put(r.key(), r);
    }
    return out;
  }

  @Test
  void repricesOnlyChangedCostsAndTheRollupsFollow() {
    RepriceResult r = store.reprice(new RepriceRequest(START, null, null), NEW_PRICES);

    // 20 a + 20 u changed; the 20 b are priced again but store the same cost
    assertThat(r.matched()).isEqualTo(60);
    assertThat(r.repriced()).isEqualTo(60);
    assertThat(r.changed()).isEqualTo(40);
    assertThat(r.complete()).isTrue();
    for (LlmCall c : store.calls(new CallQuery(null, null, null, null, null, null, null, 1000))) {
      String expected = switch (c.model()) {
        case "a" -> "0.003";
        case "u" -> "0.0005";
        default -> "0.002";
      };
      assertThat(c.cost().totalUsd()).as(c.model()).isEqualByComparingTo(expected);
      assertThat(c.cost().status()).isEqualTo(CostStatus.PRICED);
    }
    // the whole three hours come from the rollups (on DuckDB, plus the calls not rolled up yet):
    // a: 20 × $0.003 = $0.06 ; b: 20 × $0.002 = $0.04 ; u: 20 × $0.0005 = $0.01, none unpriced any more
    Map<String, SummaryRow> s = summary(START, START.plusSeconds(3 * 3600));
    assertThat(s.get("a").costUsd()).isEqualByComparingTo("0.06");
    assertThat(s.get("b").costUsd()).isEqualByComparingTo("0.04");
    assertThat(s.get("u").costUsd()).isEqualByComparingTo("0.01");
    assertThat(s.get("u").unpricedCalls()).isZero();
    assertThat(s.get("a").calls()).isEqualTo(20);
    // and an hour read from the rollups alone: 10:00–11:00 holds calls 0–19 (7 a, 7 b, 6 u)
    Map<String, SummaryRow> first = summary(START, START.plusSeconds(3600));
    assertThat(first.get("a").costUsd()).isEqualByComparingTo("0.021");
    assertThat(first.get("u").costUsd()).isEqualByComparingTo("0.003");
    assertThat(first.get("a").latencyMs().p50()).isNotNull();

    // a second run finds nothing to change
    RepriceResult again = store.reprice(new RepriceRequest(START, null, null), NEW_PRICES);
    assertThat(again.repriced()).isEqualTo(60);
    assertThat(again.changed()).isZero();
    assertThat(again.hoursRolledUp()).isZero();
  }

  @Test
  void onlyTheSelectedWindowAndModelAreTouched() {
    Map<String, BigDecimal> before = costsByTrace();
    // 11:00 to 12:00, model A (any case): calls 20–39, of which 7 are 'a' (n = 21, 24, …, 39)
    RepriceResult r = store.reprice(new RepriceRequest(START.plusSeconds(3600), START.plusSeconds(7200), " A "),
        NEW_PRICES);
    assertThat(r.matched()).isEqualTo(7);
    assertThat(r.changed()).isEqualTo(7);
    Map<String, BigDecimal> after = costsByTrace();
    int changed = 0;
    for (Map.Entry<String, BigDecimal> e : before.entrySet()) {
      int n = Integer.parseInt(e.getKey(), 16) - 1;
      boolean selected = n >= 20 && n < 40 && n % 3 == 0;
      if (selected) {
        assertThat(after.get(e.getKey())).isEqualByComparingTo("0.003");
        changed++;
      } else if (e.getValue() == null) {
        assertThat(after.get(e.getKey())).isNull();
      } else {
        assertThat(after.get(e.getKey())).isEqualByComparingTo(e.getValue());
      }
    }
    assertThat(changed).isEqualTo(7);
    // the rollups: 10:00 unchanged (7 × $0.001), 11:00 has the new a price (7 × $0.003)
    assertThat(summary(START, START.plusSeconds(3600)).get("a").costUsd()).isEqualByComparingTo("0.007");
    assertThat(summary(START.plusSeconds(3600), START.plusSeconds(7200)).get("a").costUsd())
        .isEqualByComparingTo("0.021");
  }

  @Test
  void aRunStoppedBetweenChunksKeepsWhatItCommittedAndTheNextFinishes() {
    AtomicInteger chunks = new AtomicInteger();
    List<long[]> progress = new ArrayList<>();
    // one hour (20 calls) per chunk; stop after the first
    RepriceResult stopped = store.reprice(new RepriceRequest(START, null, null, 20,
        (done, total, changed) -> progress.add(new long[] {done, total, changed}), () -> chunks.getAndIncrement() >= 1),
        NEW_PRICES);
    assertThat(stopped.complete()).isFalse();
    assertThat(stopped.repriced()).isEqualTo(20);
    assertThat(stopped.changed()).isEqualTo(13); // 7 a + 6 u in 10:00–11:00
    assertThat(progress).hasSize(1);
    assertThat(progress.get(0)).containsExactly(20, 60, 13);

    RepriceResult rest = store.reprice(new RepriceRequest(START, null, null), NEW_PRICES);
    assertThat(rest.changed()).isEqualTo(27);
    assertThat(summary(START, START.plusSeconds(3 * 3600)).get("a").costUsd()).isEqualByComparingTo("0.06");
  }

  @Test
  void survivesReopeningTheStore() {
    store.reprice(new RepriceRequest(START, null, null), NEW_PRICES);
    reopen();
    assertThat(summary(START, START.plusSeconds(3 * 3600)).get("a").costUsd()).isEqualByComparingTo("0.06");
    assertThat(store.reprice(new RepriceRequest(START, null, null), NEW_PRICES).changed()).isZero();
  }

  @Test
  void aCallRepricedBeforeItsRootArrivesCountsItsNewCostUnderItsRoute() {
    // 15:00, outside the fixture's hours: a call whose root span (and so its route) comes later
    String t = traceId(0x500);
    long start = T0 + 5 * 3_600_000 * MS;
    LlmCall late = call(t, spanId(2), "p", "a", "svc", null, start, start + 100 * MS, null, 10, 20,
        new BigDecimal("0.001"), CallStatus.OK);
    write(llmSpan(t, spanId(2), spanId(1), "svc", late));
    Instant hour = START.plusSeconds(5 * 3600);
    RepriceResult r = store.reprice(new RepriceRequest(hour, hour.plusSeconds(3600), null), NEW_PRICES);
    assertThat(r.changed()).isEqualTo(1);

    write(span(t, spanId(1), null, "GET /late", "svc", start - MS, start + 200 * MS, SpanStatus.OK, null));
    List<SummaryRow> routes = store.summary(new SummaryQuery(GroupBy.ROUTE, hour, hour.plusSeconds(3600)));
    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).key()).isEqualTo("GET /late");
    assertThat(routes.get(0).calls()).isEqualTo(1);
    assertThat(routes.get(0).costUsd()).isEqualByComparingTo("0.003");
    // and priced once more, now under its route: nothing changes
    assertThat(store.reprice(new RepriceRequest(hour, hour.plusSeconds(3600), null), NEW_PRICES).changed()).isZero();
    assertThat(store.summary(new SummaryQuery(GroupBy.MODEL, hour, hour.plusSeconds(3600))).get(0).costUsd())
        .isEqualByComparingTo("0.003");
  }
}
