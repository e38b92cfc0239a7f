package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-group summary: counts, tokens, cost and latency percentiles, windows, sort and limit. */
public abstract class SummaryConformanceSuite extends StoreConformanceSuite {

  // ------------------------------------------------------------------ summary
  @Test
  void summaryGroupsByUserAndSessionWithSortAndLimit() {
    writeCostData();
    List<SummaryRow> users = store.summary(new SummaryQuery(GroupBy.USER, Instant.ofEpochSecond(0, T0), null,
        SummaryQuery.Sort.COST, 10));
    // u1: A .01375 + C .02205 + D .01485 = .05065; u2: B .025 + G .0075 = .0325; no user: E, F, H
    assertThat(users).extracting(SummaryRow::key).containsExactly("u1", "u2", null);
    assertThat(users.get(0).costUsd()).isEqualByComparingTo("0.05065");
    assertThat(users.get(0).calls()).isEqualTo(3);
    assertThat(users.get(2).unpricedCalls()).isEqualTo(2);
    List<SummaryRow> sessions = store.summary(new SummaryQuery(GroupBy.SESSION, Instant.ofEpochSecond(0, T0), null,
        SummaryQuery.Sort.CALLS, 2));
    assertThat(sessions).extracting(SummaryRow::key, SummaryRow::calls).containsExactly(
        org.assertj.core.groups.Tuple.tuple(null, 3L), org.assertj.core.groups.Tuple.tuple("s1", 2L));
    assertThat(store.summary(new SummaryQuery(GroupBy.SESSION, Instant.ofEpochSecond(0, T0), null,
        SummaryQuery.Sort.COST, 1))).extracting(SummaryRow::key).containsExactly("s1");
  }

  @Test
  void summaryCountsErrorsByStatusClassAndTokenBuckets() {
    String t = traceId(0x55);
    LlmCall ok = call(t, spanId(1), "openai", "m", "svc", "r", T0, T0 + 10 * MS, MS, 100, 50, BigDecimal.ONE,
        CallStatus.OK);
    LlmCall rich = new LlmCall("openai", "chat", "m", null, true, Usage.reported(70, 20, 5, 5, 30, 20), ok.timing(),
        ok.cost(), ok.outcome(), ok.context(), Content.NONE);
    LlmCall limited = new LlmCall("openai", "chat", "m", null, false, Usage.reported(1, 0, 0, 0, 0, 0), ok.timing(),
        ok.cost(), new Outcome(CallStatus.ERROR, 429, "rate_limited", List.of()), ok.context(), Content.NONE);
    LlmCall failed = new LlmCall("openai", "chat", "m", null, false, Usage.reported(1, 0, 0, 0, 0, 0), ok.timing(),
        ok.cost(), new Outcome(CallStatus.ERROR, 503, "unavailable", List.of()), ok.context(), Content.NONE);
    LlmCall dropped = new LlmCall("openai", "chat", "m", null, false, Usage.reported(1, 0, 0, 0, 0, 0), ok.timing(),
        ok.cost(), new Outcome(CallStatus.ERROR, null, "timeout", List.of()), ok.context(), Content.NONE);
    write(llmSpan(t, spanId(1), null, "svc", rich), llmSpan(t, spanId(2), null, "svc", limited),
        llmSpan(t, spanId(3), null, "svc", failed), llmSpan(t, spanId(4), null, "svc", dropped));
    SummaryRow r = store.summary(new SummaryQuery(GroupBy.MODEL, null, null)).get(0);
    assertThat(r.calls()).isEqualTo(4);
    assertThat(r.errors()).isEqualTo(3);
    assertThat(r.errors4xx()).isEqualTo(1);
    assertThat(r.errors5xx()).isEqualTo(1);
    assertThat(r.inputTokens()).isEqualTo(100 + 3);
    assertThat(r.cacheReadTokens()).isEqualTo(20);
    assertThat(r.cacheWriteTokens()).isEqualTo(10);
    assertThat(r.outputTokens()).isEqualTo(50);
    assertThat(r.reasoningTokens()).isEqualTo(20);
    // the streamed call: 50 output tokens in (10 ms − 1 ms TTFT)... as Timing defines it
    assertThat(r.outputTokensPerSecond()).isCloseTo(rich.timing().outputTokensPerSecond(50), within(1e-6));
  }

  @Test
  void summaryByModelMatchesHandComputedAggregates() {
    writeSummaryData();
    List<SummaryRow> rows = store.summary(new SummaryQuery(GroupBy.MODEL, null, null));
    assertThat(rows).extracting(SummaryRow::key).containsExactly("m1", "m2");
    SummaryRow m1 = rows.get(0);
    assertThat(m1.calls()).isEqualTo(10);
    assertThat(m1.errors()).isEqualTo(2);
    assertThat(m1.errorRate()).isCloseTo(0.2, within(1e-12));
    assertThat(m1.inputTokens()).isEqualTo(5_500);
    assertThat(m1.outputTokens()).isEqualTo(110);
    assertThat(m1.costUsd()).isEqualByComparingTo("0.045"); // 0.001 × (1 + … + 9)
    assertThat(m1.unpricedCalls()).isEqualTo(1);
    double[] lat = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
    assertThat(m1.latencyMs().p50()).isCloseTo(cont(0.5, lat), within(1e-6));
    assertThat(m1.latencyMs().p95()).isCloseTo(cont(0.95, lat), within(1e-6));
    assertThat(m1.latencyMs().p99()).isCloseTo(cont(0.99, lat), within(1e-6));
    double[] ttft = {10, 30, 50, 70, 90};
    assertThat(m1.ttftMs().p50()).isCloseTo(50.0, within(1e-6));
    assertThat(m1.ttftMs().p95()).isCloseTo(cont(0.95, ttft), within(1e-6));
    // TPOT = (end − (start + ttft)) / (11 − 1) for the calls with a TTFT
    double[] tpot = new double[5];
    for (int k = 0, i = 1; i <= 10; i += 2, k++) {
      tpot[k] = (i * 100.0 - i * 10.0) / 10;
    }
    Arrays.sort(tpot);
    assertThat(m1.tpotMs().p50()).isCloseTo(cont(0.5, tpot), within(1e-6));
    assertThat(m1.tpotMs().p99()).isCloseTo(cont(0.99, tpot), within(1e-6));

    SummaryRow m2 = rows.get(1);
    assertThat(m2.calls()).isEqualTo(3);
    assertThat(m2.errors()).isZero();
    assertThat(m2.costUsd()).isEqualByComparingTo("1.5");
    assertThat(m2.latencyMs().p50()).isCloseTo(60.0, within(1e-6));
    assertThat(m2.ttftMs()).isEqualTo(Percentiles.EMPTY);
    assertThat(m2.tpotMs()).isEqualTo(Percentiles.EMPTY);
  }

  @Test
  void summaryGroupsByProviderServiceAndRoute() {
    writeSummaryData();
    assertThat(store.summary(new SummaryQuery(GroupBy.PROVIDER, null, null)))
        .extracting(SummaryRow::key, SummaryRow::calls).containsExactly(
            org.assertj.core.groups.Tuple.tuple("openai", 10L), org.assertj.core.groups.Tuple.tuple("anthropic", 3L));
    assertThat(store.summary(new SummaryQuery(GroupBy.SERVICE, null, null)))
        .extracting(SummaryRow::key).containsExactly("svc-a", "svc-b");
    assertThat(store.summary(new SummaryQuery(GroupBy.ROUTE, null, null)))
        .extracting(SummaryRow::key).containsExactly("R1", "R2");
  }

  @Test
  void summaryModelIsTheResponseModelElseTheRequestModel() {
    String t = traceId(300);
    LlmCall base = call(t, spanId(1), "openai", "gpt-4o", "svc", "r", T0, T0 + MS, null, 1, 1, BigDecimal.ZERO,
        CallStatus.OK);
    LlmCall dated = new LlmCall("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", false, base.usage(), base.timing(),
        base.cost(), base.outcome(), base.context(), null);
    write(llmSpan(t, spanId(1), null, "svc", dated), llmSpan(t, spanId(2), spanId(1), "svc", base));
    List<SummaryRow> rows = store.summary(new SummaryQuery(GroupBy.MODEL, null, null));
    assertThat(rows).extracting(SummaryRow::key).containsExactlyInAnyOrder("gpt-4o", "gpt-4o-2024-08-06");
    assertThat(rows).allSatisfy(r -> assertThat(r.costUsd()).isEqualByComparingTo("0")); // priced at $0, not unpriced
  }

  @Test
  void summaryWindowIncludesSinceAndExcludesUntil() {
    writeSummaryData();
    Instant t0 = Instant.parse("2025-01-15T10:00:00Z");
    // m1 call i starts at T0 + i s
    List<SummaryRow> rows = store.summary(new SummaryQuery(GroupBy.MODEL, t0.plusSeconds(3), t0.plusSeconds(6)));
    assertThat(rows).extracting(SummaryRow::key, SummaryRow::calls)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("m1", 3L));
    assertThat(rows.get(0).latencyMs().p50()).isCloseTo(400.0, within(1e-6));
    assertThat(store.summary(new SummaryQuery(GroupBy.MODEL, t0.plusSeconds(3600), null))).isEmpty();
  }
}
