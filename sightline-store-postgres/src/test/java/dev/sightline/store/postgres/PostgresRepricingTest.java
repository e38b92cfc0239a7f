package dev.sightline.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.CallQuery;
import dev.sightline.store.GroupBy;
import dev.sightline.store.RepriceRequest;
import dev.sightline.store.RepricingConformanceSuite;
import dev.sightline.store.Store;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The re-pricing conformance suite on PostgreSQL, and re-pricing while two other store instances
 * (two writer nodes) write into the same hours, some of their calls getting their route from a
 * root span that comes in a later write.
 */
class PostgresRepricingTest extends RepricingConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }

  @Test
  void theRollupsStayExactWhileOtherNodesWrite() throws Exception {
    Instant start = Instant.parse("2025-01-15T10:00:00Z");
    ExecutorService nodes = Executors.newFixedThreadPool(2);
    List<Future<?>> done = new ArrayList<>();
    try (Store node1 = openStore(dir); Store node2 = openStore(dir)) {
      int node = 0;
      for (Store s : List.of(node1, node2)) {
        int base = 10_000 * ++node;
        done.add(nodes.submit(() -> {
          for (int w = 0; w < 30; w++) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
              int n = base + w * 10 + i;
              String t = traceId(n);
              long at = T0 + (n % 3) * 3_600_000 * MS + (n % 50) * 60_000 * MS;
              String model = n % 2 == 0 ? "a" : "u";
              BigDecimal cost = model.equals("a") ? new BigDecimal("0.001") : null;
              boolean late = i % 3 == 0; // its root comes with the next write
              LlmCall c = call(t, spanId(2), "p", model, "svc", null, at, at + 100 * MS, null, 10, 20, cost,
                  CallStatus.OK);
              spans.add(llmSpan(t, spanId(2), spanId(1), "svc", c));
              if (!late) {
                spans.add(span(t, spanId(1), null, "R" + n % 4, "svc", at - MS, at + 200 * MS, SpanStatus.OK, null));
              }
              if (w > 0 && late) {
                int prev = n - 10;
                long pat = T0 + (prev % 3) * 3_600_000 * MS + (prev % 50) * 60_000 * MS;
                spans.add(span(traceId(prev), spanId(1), null, "R" + prev % 4, "svc", pat - MS, pat + 200 * MS,
                    SpanStatus.OK, null));
              }
            }
            s.write(List.of(TelemetryBatch.ofSpans("test", spans)));
          }
          return null;
        }));
      }
      int runs = 0;
      while (runs < 3 || done.stream().anyMatch(f -> !f.isDone())) {
        store.reprice(new RepriceRequest(start, null, null, 20, null, null), NEW_PRICES);
        runs++;
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      nodes.shutdownNow();
    }
    // the rollups (what whole hours' summaries read) agree with the stored calls, per model and per route
    Instant end = start.plusSeconds(3 * 3600);
    List<LlmCall> calls = store.calls(new CallQuery(null, null, null, null, null, null, null, 10_000));
    assertThat(calls).hasSize(60 + 2 * 30 * 6);
    assertSummaryMatches(GroupBy.MODEL, calls, end);
    assertSummaryMatches(GroupBy.ROUTE, calls, end);

    // a last run prices what was written after its hour's chunk; then every call has the new price
    store.reprice(new RepriceRequest(start, null, null), NEW_PRICES);
    for (LlmCall c : store.calls(new CallQuery(null, null, null, null, null, null, null, 10_000))) {
      assertThat(c.cost().status()).isEqualTo(CostStatus.PRICED);
      assertThat(c.cost().totalUsd()).isEqualByComparingTo(switch (c.model()) {
        case "a" -> "0.003";
        case "u" -> "0.0005";
        default -> "0.002";
      });
    }
    assertSummaryMatches(GroupBy.ROUTE, store.calls(new CallQuery(null, null, null, null, null, null, null, 10_000)),
        end);
  }

  private void assertSummaryMatches(GroupBy by, List<LlmCall> calls, Instant end) {
    Map<String, BigDecimal> expected = new TreeMap<>();
    Map<String, Long> expectedCalls = new TreeMap<>();
    for (LlmCall c : calls) {
      String key = String.valueOf(by == GroupBy.MODEL ? c.model() : c.context().route());
      expectedCalls.merge(key, 1L, Long::sum);
      if (c.cost().status() == CostStatus.PRICED) {
        expected.merge(key, c.cost().totalUsd(), BigDecimal::add);
      }
    }
    Map<String, BigDecimal> actual = new TreeMap<>();
    Map<String, Long> actualCalls = new TreeMap<>();
    for (SummaryRow r : store.summary(new SummaryQuery(by, Instant.parse("2025-01-15T10:00:00Z"), end))) {
      actualCalls.put(String.valueOf(r.key()), r.calls());
      if (r.costUsd() != null && r.costUsd().signum() != 0) {
        actual.put(String.valueOf(r.key()), r.costUsd().stripTrailingZeros());
      }
    }
    expected.replaceAll((k, v) -> v.stripTrailingZeros());
    expected.values().removeIf(v -> v.signum() == 0);
    assertThat(actualCalls).as(by + " calls").isEqualTo(expectedCalls);
    assertThat(actual).as(by + " cost").isEqualTo(expected);
  }
}
