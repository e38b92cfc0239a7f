package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cost analytics: the cost report by every dimension and interval, exact sums, unpriced models. */
public abstract class CostConformanceSuite extends StoreConformanceSuite {

  // ------------------------------------------------------------------ cost analytics
  @Test
  void unpricedModelsAreListedWithTheirCallsAndTokens() {
    String t = traceId(950);
    LlmCall priced = call(t, spanId(1), "openai", "gpt-4o", "svc", null, T0, T0 + MS, null, 100, 10,
        new BigDecimal("0.001"), CallStatus.OK);
    LlmCall u1 = call(t, spanId(2), "vllm", "my-ft", "svc", null, T0 + 2 * MS, T0 + 3 * MS, null, 40, 4, null,
        CallStatus.OK);
    LlmCall u2 = call(t, spanId(3), "vllm", "my-ft", "svc", null, T0 + 5 * MS, T0 + 6 * MS, null, 60, 6, null,
        CallStatus.ERROR);
    LlmCall u3 = call(t, spanId(4), "ollama", "llama3", "svc", null, T0 + 7 * MS, T0 + 8 * MS, null, 1, 1, null,
        CallStatus.OK);
    write(llmSpan(t, spanId(1), null, "svc", priced), llmSpan(t, spanId(2), spanId(1), "svc", u1),
        llmSpan(t, spanId(3), spanId(1), "svc", u2), llmSpan(t, spanId(4), spanId(1), "svc", u3));
    List<UnpricedModel> all = store.unpricedModels(null, null);
    assertThat(all).extracting(UnpricedModel::model).containsExactly("my-ft", "llama3");
    UnpricedModel ft = all.get(0);
    assertThat(ft.provider()).isEqualTo("vllm");
    assertThat(ft.calls()).isEqualTo(2);
    assertThat(ft.inputTokens()).isEqualTo(100);
    assertThat(ft.outputTokens()).isEqualTo(10);
    assertThat(ft.firstSeen()).isEqualTo(Instant.ofEpochSecond(0, T0 + 2 * MS));
    assertThat(ft.lastSeen()).isEqualTo(Instant.ofEpochSecond(0, T0 + 5 * MS));
    assertThat(store.unpricedModels(Instant.ofEpochSecond(0, T0 + 6 * MS), null))
        .extracting(UnpricedModel::model).containsExactly("llama3");
  }

  @Test
  void costByModelHourlyMatchesHandComputedSums() {
    writeCostData();
    // [10:00 on the 15th, 01:00 on the 16th): everything but I
    CostReport r = store.cost(new CostQuery(CostQuery.Dimension.MODEL, CostQuery.Interval.HOUR,
        at("2025-01-15T10:00:00Z"), at("2025-01-16T01:00:00Z"), 100));
    // totals: 8 calls (A B C D E F G H), 5 priced (A B C D G), 2 unpriced (E F), H has no usage;
    // .01375 + .025 + .02205 + .01485 + .0075 = .08315
    CostFigures t = r.totals();
    assertFigures(t, 8, 5, 2, "0.08315");
    assertThat(t.inputUsd()).isEqualByComparingTo("0.0141"); // .0025 + .005 + .003 + .0011 + .0025
    assertThat(t.cacheReadUsd()).isEqualByComparingTo("0.0021"); // .00125 + .0003 + .00055
    assertThat(t.cacheWriteUsd()).isEqualByComparingTo("0.00375"); // C
    assertThat(t.outputUsd()).isEqualByComparingTo("0.0544"); // .01 + .02 + .015 + .0044 + .005
    assertThat(t.reasoningUsd()).isEqualByComparingTo("0.0088"); // D
    assertThat(t.costPerCallUsd()).isEqualByComparingTo("0.01663"); // .08315 / 5 priced calls
    assertThat(t.costPer1kCallsUsd()).isEqualByComparingTo("16.63");
    // series over all groups, only buckets with calls, UTC hours
    assertThat(r.series()).hasSize(3);
    assertPoint(r.series().get(0), "2025-01-15T10:00:00Z", 5, 3, 1, "0.05065"); // A C D E H: .01375+.02205+.01485
    assertPoint(r.series().get(1), "2025-01-15T11:00:00Z", 1, 1, 0, "0.025"); // B
    assertPoint(r.series().get(2), "2025-01-16T00:00:00Z", 2, 1, 1, "0.0075"); // F G
    // groups: costliest first, the unpriced-only group last with a null cost (never $0)
    assertThat(r.groups()).extracting(CostGroup::key).containsExactly("gpt-4o", "claude", "o3-mini", "my-ft");
    assertThat(r.totalGroups()).isEqualTo(4);
    assertThat(r.truncated()).isFalse();
    CostGroup gpt = r.groups().get(0);
    assertFigures(gpt.totals(), 3, 3, 0, "0.04625"); // .01375 + .025 + .0075
    assertThat(gpt.totals().inputUsd()).isEqualByComparingTo("0.01");
    assertThat(gpt.totals().cacheReadUsd()).isEqualByComparingTo("0.00125");
    assertThat(gpt.totals().cacheWriteUsd()).isEqualByComparingTo("0");
    assertThat(gpt.totals().outputUsd()).isEqualByComparingTo("0.035");
    assertThat(gpt.totals().reasoningUsd()).isEqualByComparingTo("0");
    // .04625 / 3 = .0154166…, rounded half-even at 18 places; × 1000 before dividing
    assertThat(gpt.totals().costPerCallUsd()).isEqualByComparingTo("0.015416666666666667");
    assertThat(gpt.totals().costPer1kCallsUsd()).isEqualByComparingTo("15.416666666666666667");
    assertThat(gpt.series()).hasSize(3);
    assertPoint(gpt.series().get(0), "2025-01-15T10:00:00Z", 1, 1, 0, "0.01375");
    assertPoint(gpt.series().get(1), "2025-01-15T11:00:00Z", 1, 1, 0, "0.025");
    assertPoint(gpt.series().get(2), "2025-01-16T00:00:00Z", 1, 1, 0, "0.0075");
    CostGroup claude = r.groups().get(1);
    assertFigures(claude.totals(), 2, 1, 0, "0.02205"); // C priced, H no usage: not $0, not unpriced
    assertThat(claude.totals().costPerCallUsd()).isEqualByComparingTo("0.02205"); // per priced call
    assertThat(claude.series()).hasSize(1);
    assertPoint(claude.series().get(0), "2025-01-15T10:00:00Z", 2, 1, 0, "0.02205");
    CostGroup o3 = r.groups().get(2);
    assertFigures(o3.totals(), 1, 1, 0, "0.01485"); // D, the last nanosecond of 10:00 stays in 10:00
    assertThat(o3.totals().reasoningUsd()).isEqualByComparingTo("0.0088");
    assertPoint(o3.series().get(0), "2025-01-15T10:00:00Z", 1, 1, 0, "0.01485");
    CostGroup ft = r.groups().get(3);
    assertFigures(ft.totals(), 2, 0, 2, null);
    assertThat(ft.totals().inputUsd()).isNull();
    assertThat(ft.totals().outputUsd()).isNull();
    assertThat(ft.totals().costPerCallUsd()).isNull();
    assertThat(ft.totals().costPer1kCallsUsd()).isNull();
    assertThat(ft.series()).hasSize(2);
    assertPoint(ft.series().get(0), "2025-01-15T10:00:00Z", 1, 0, 1, null);
    assertPoint(ft.series().get(1), "2025-01-16T00:00:00Z", 1, 0, 1, null);
  }

  @Test
  void costByUserDailyUsesUtcDayBuckets() {
    writeCostData();
    CostReport r = store.cost(new CostQuery(CostQuery.Dimension.USER, CostQuery.Interval.DAY,
        at("2025-01-15T10:00:00Z"), at("2025-01-16T01:00:00Z"), 0));
    assertFigures(r.totals(), 8, 5, 2, "0.08315");
    // the first bucket starts at midnight UTC although the window starts at 10:00 (it is partial)
    assertThat(r.series()).hasSize(2);
    assertPoint(r.series().get(0), "2025-01-15T00:00:00Z", 6, 4, 1, "0.07565"); // A B C D E H: .05065 + .025
    assertPoint(r.series().get(1), "2025-01-16T00:00:00Z", 2, 1, 1, "0.0075"); // F G
    assertThat(r.groups()).extracting(CostGroup::key).containsExactly("u1", "u2", null);
    assertFigures(r.groups().get(0).totals(), 3, 3, 0, "0.05065"); // A C D
    assertThat(r.groups().get(0).series()).hasSize(1);
    CostGroup u2 = r.groups().get(1);
    assertFigures(u2.totals(), 2, 2, 0, "0.0325"); // B .025 + G .0075
    assertPoint(u2.series().get(0), "2025-01-15T00:00:00Z", 1, 1, 0, "0.025");
    assertPoint(u2.series().get(1), "2025-01-16T00:00:00Z", 1, 1, 0, "0.0075");
    CostGroup none = r.groups().get(2); // calls without a user: E F unpriced, H no usage
    assertFigures(none.totals(), 3, 0, 2, null);
    assertPoint(none.series().get(0), "2025-01-15T00:00:00Z", 2, 0, 1, null);
    assertPoint(none.series().get(1), "2025-01-16T00:00:00Z", 1, 0, 1, null);
  }

  @Test
  void costGroupsByEveryDimension() {
    writeCostData();
    Instant since = at("2025-01-15T10:00:00Z");
    Instant until = at("2025-01-16T01:00:00Z");
    Map<CostQuery.Dimension, List<String>> keys = new LinkedHashMap<>();
    Map<CostQuery.Dimension, List<String>> costs = new LinkedHashMap<>();
    for (CostQuery.Dimension d : CostQuery.Dimension.values()) {
      CostReport r = store.cost(new CostQuery(d, CostQuery.Interval.HOUR, since, until, 100));
      assertFigures(r.totals(), 8, 5, 2, "0.08315");
      keys.put(d, r.groups().stream().map(CostGroup::key).toList());
      costs.put(d, r.groups().stream().map(g -> g.totals().costUsd() == null ? "null"
          : g.totals().costUsd().stripTrailingZeros().toPlainString()).toList());
    }
    // openai A B D G = .01375 + .025 + .01485 + .0075 = .0611; anthropic C = .02205 (H no usage)
    assertThat(keys.get(CostQuery.Dimension.PROVIDER)).containsExactly("openai", "anthropic", "vllm");
    assertThat(costs.get(CostQuery.Dimension.PROVIDER)).containsExactly("0.0611", "0.02205", "null");
    // services and routes split the same way: api / POST /chat = A B D G; worker / /summarize = C E F H
    assertThat(keys.get(CostQuery.Dimension.SERVICE)).containsExactly("api", "worker");
    assertThat(costs.get(CostQuery.Dimension.SERVICE)).containsExactly("0.0611", "0.02205");
    assertThat(keys.get(CostQuery.Dimension.ROUTE)).containsExactly("POST /chat", "/summarize");
    assertThat(costs.get(CostQuery.Dimension.ROUTE)).containsExactly("0.0611", "0.02205");
    // s1 A C = .0358; s2 B G = .0325; s3 D = .01485; none E F H
    assertThat(keys.get(CostQuery.Dimension.SESSION)).containsExactly("s1", "s2", "s3", null);
    assertThat(costs.get(CostQuery.Dimension.SESSION)).containsExactly("0.0358", "0.0325", "0.01485", "null");
  }

  @Test
  void costWindowIncludesSinceExcludesUntilAndLimitKeepsTotals() {
    writeCostData();
    // [10:05, 11:10): A starts exactly at since (in), B exactly at until (out), I before (out)
    CostReport r = store.cost(new CostQuery(CostQuery.Dimension.MODEL, CostQuery.Interval.HOUR,
        at("2025-01-15T10:05:00Z"), at("2025-01-15T11:10:00Z"), 2));
    assertFigures(r.totals(), 5, 3, 1, "0.05065"); // A C D E H
    assertThat(r.series()).hasSize(1);
    assertPoint(r.series().get(0), "2025-01-15T10:00:00Z", 5, 3, 1, "0.05065");
    // claude .02205 > o3-mini .01485 > gpt-4o .01375 (A only) > my-ft (null); limit 2 keeps the first two
    assertThat(r.groups()).extracting(CostGroup::key).containsExactly("claude", "o3-mini");
    assertThat(r.totalGroups()).isEqualTo(4);
    assertThat(r.truncated()).isTrue();
    // open bounds: everything, I included (1 + .08315)
    CostReport all = store.cost(new CostQuery(null, null, null, null, 0));
    assertThat(all.query().groupBy()).isEqualTo(CostQuery.Dimension.MODEL);
    assertThat(all.query().interval()).isEqualTo(CostQuery.Interval.HOUR);
    assertFigures(all.totals(), 9, 6, 2, "1.08315");
    assertPoint(all.series().get(0), "2025-01-15T09:00:00Z", 1, 1, 0, "1");
    assertThat(all.groups().get(0).key()).isEqualTo("gpt-4o");
    assertFigures(all.groups().get(0).totals(), 4, 4, 0, "1.04625");
    // an empty window: no calls, no cost (null, not $0), no series, no groups
    CostReport empty = store.cost(new CostQuery(CostQuery.Dimension.MODEL, CostQuery.Interval.DAY,
        at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"), 10));
    assertFigures(empty.totals(), 0, 0, 0, null);
    assertThat(empty.series()).isEmpty();
    assertThat(empty.groups()).isEmpty();
    assertThat(empty.totalGroups()).isZero();
  }

  @Test
  void costOfAZeroPricedModelIsZeroAndOfAnUnpricedOneIsNull() {
    write(costSpan(1, "ollama", "free-model", "svc", "r", null, null, T0, priced("0", "0", "0", "0", "0")),
        costSpan(2, "ollama", "unknown-model", "svc", "r", null, null, T0 + MS, Cost.unpriced("no price", null)));
    CostReport r = store.cost(new CostQuery(CostQuery.Dimension.MODEL, CostQuery.Interval.HOUR, null, null, 10));
    assertThat(r.groups()).extracting(CostGroup::key).containsExactly("free-model", "unknown-model");
    assertFigures(r.groups().get(0).totals(), 1, 1, 0, "0");
    assertThat(r.groups().get(0).totals().costPerCallUsd()).isEqualByComparingTo("0");
    assertThat(r.groups().get(0).totals().outputUsd()).isEqualByComparingTo("0");
    assertFigures(r.groups().get(1).totals(), 1, 0, 1, null);
    assertFigures(r.totals(), 2, 1, 1, "0");
  }

  @Test
  void costSumsAreExactAtTheStoragePrecision() {
    // 1e-18 USD is the smallest stored amount; three calls of 0.1 + 1e-18 must sum exactly
    Cost tiny = priced("0.100000000000000001", "0", "0", "0", "0");
    write(costSpan(1, "p", "m", "svc", "r", null, null, T0, tiny), costSpan(2, "p", "m", "svc", "r", null, null,
        T0 + MS, tiny), costSpan(3, "p", "m", "svc", "r", null, null, T0 + 2 * MS, tiny));
    CostReport r = store.cost(new CostQuery(CostQuery.Dimension.MODEL, CostQuery.Interval.HOUR, null, null, 10));
    assertThat(r.totals().costUsd()).isEqualTo(new BigDecimal("0.300000000000000003"));
    assertThat(r.totals().costPerCallUsd()).isEqualTo(new BigDecimal("0.100000000000000001"));
  }
}
