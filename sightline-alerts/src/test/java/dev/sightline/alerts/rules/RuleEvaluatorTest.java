package dev.sightline.alerts.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules evaluated against LLM calls written into a real DuckDB store. */
class RuleEvaluatorTest {
  /** Not on an hour boundary, so that windows read partial hours from the raw calls. */
  private static final Instant NOW = Instant.parse("2025-01-15T12:30:00Z");

  @TempDir
  Path dir;
  private Store store;
  private RuleEvaluator evaluator;
  private final List<Span> spans = new ArrayList<>();
  private int seq;

  @BeforeEach
  void open() {
    store = DuckDbStore.open(dir);
    evaluator = new RuleEvaluator(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Adds one call starting {@code ago} before NOW, lasting {@code latencyMs}. */
  private void call(Duration ago, String provider, String model, String route, long latencyMs, String costUsd,
      Integer httpStatus) {
    int n = ++seq;
    String trace = String.format("%032x", n);
    String span = String.format("%016x", n);
    long start = NOW.minus(ago).getEpochSecond() * 1_000_000_000L + NOW.minus(ago).getNano();
    long end = start + latencyMs * 1_000_000L;
    boolean error = httpStatus != null && httpStatus >= 400;
    Cost cost = costUsd == null ? Cost.unpriced("no price for " + model, null)
        : new Cost(CostStatus.PRICED, new BigDecimal(costUsd), new BigDecimal(costUsd), null, null, BigDecimal.ZERO,
            null, model, null, null);
    LlmCall c = new LlmCall(provider, "chat", model, null, false, Usage.reported(100, 0, 0, 0, 20, 0),
        new Timing(start, end, null, null, null, null), cost,
        new Outcome(error ? CallStatus.ERROR : CallStatus.OK, httpStatus, error ? "http_" + httpStatus : null,
            List.of("stop")),
        new CallContext(trace, span, "chat-svc", route, null, null, null, null, List.of()), Content.NONE);
    spans.add(new Span(trace, span, null, "chat " + model, SpanKind.CLIENT, start, end,
        error ? SpanStatus.ERROR : SpanStatus.OK, null, "chat-svc", "scope", Map.of(), Map.of(), List.of(),
        SpanCategory.LLM, c, List.of()));
  }

  private void flush() {
    store.write(List.of(TelemetryBatch.ofSpans("test", List.copyOf(spans))));
    spans.clear();
  }

  private static AlertRule rule(String json) {
    try {
      return RuleParser.fromJson(json);
    } catch (RuleException e) {
      throw new AssertionError(e.problems());
    }
  }

  private static Observation only(Evaluation e, String group) {
    assertThat(e.problem()).isNull();
    return e.observations().stream().filter(o -> java.util.Objects.equals(o.groupKey(), group)).findFirst()
        .orElseThrow(() -> new AssertionError("no observation for " + group + " in " + e.observations()));
  }

  @Test
  void errorRate5xxPerProviderBreachesOnlyWhereServersFail() {
    for (int i = 0; i < 10; i++) {
      call(Duration.ofMinutes(1 + i), "openai", "gpt-4o", "/chat", 100, "0.01", i < 3 ? 500 : 200);
      call(Duration.ofMinutes(1 + i), "anthropic", "claude", "/chat", 100, "0.01", i < 4 ? 429 : 200);
    }
    call(Duration.ofMinutes(90), "anthropic", "claude", "/chat", 100, "0.01", 503); // before the window
    flush();
    AlertRule r = rule("""
        {"id":"5xx","figure":"error_rate_5xx","groupBy":"provider","window":"1h","condition":"> 0.1"}""");
    Evaluation e = evaluator.evaluate(r, NOW);
    assertThat(e.observations()).hasSize(2);
    assertThat(only(e, "openai").value()).isEqualByComparingTo("0.3");
    assertThat(only(e, "openai").breached()).isTrue();
    assertThat(only(e, "anthropic").value()).isEqualByComparingTo("0"); // 429s are 4xx, not 5xx
    assertThat(only(e, "anthropic").breached()).isFalse();

    AlertRule fourXx = rule("""
        {"id":"4xx","figure":"error_rate_4xx","filter":{"provider":"anthropic"},"window":"1h","condition":">= 0.4"}""");
    Evaluation four = evaluator.evaluate(fourXx, NOW);
    assertThat(four.observations()).singleElement().satisfies(o -> {
      assertThat(o.groupKey()).isNull(); // ungrouped, filtered to one provider
      assertThat(o.value()).isEqualByComparingTo("0.4");
      assertThat(o.breached()).isTrue();
    });
  }

  @Test
  void costPerHourScalesTheWindowExactlyAndIgnoresOtherRoutes() {
    call(Duration.ofMinutes(5), "openai", "gpt-4o", "/chat", 100, "1.25", 200);
    call(Duration.ofMinutes(20), "openai", "gpt-4o", "/chat", 100, "1.75", 200);
    call(Duration.ofMinutes(10), "openai", "gpt-4o", "/chat", 100, null, 200); // unpriced: not $0, not counted
    call(Duration.ofMinutes(10), "openai", "gpt-4o", "/search", 100, "9.00", 200);
    call(Duration.ofMinutes(40), "openai", "gpt-4o", "/chat", 100, "5.00", 200); // before the 30 min window
    flush();
    AlertRule r = rule("""
        {"id":"chat-cost","figure":"cost_per_hour","filter":{"route":"/chat"},"window":"30m","condition":"> 5.5"}""");
    Observation o = evaluator.evaluate(r, NOW).observations().get(0);
    assertThat(o.value()).isEqualTo(new BigDecimal("6")); // $3.00 in 30 min
    assertThat(o.breached()).isTrue();

    AlertRule perCall = rule("""
        {"id":"per-call","figure":"cost_per_call","groupBy":"route","window":"30m","condition":"> 2"}""");
    Evaluation e = evaluator.evaluate(perCall, NOW);
    assertThat(only(e, "/chat").value()).isEqualByComparingTo("1.5");
    assertThat(only(e, "/chat").breached()).isFalse();
    assertThat(only(e, "/search").breached()).isTrue();
  }

  @Test
  void latencyP95PerModel() {
    for (int i = 1; i <= 20; i++) {
      call(Duration.ofMinutes(i), "openai", "gpt-4o", "/chat", 100L * i, "0.01", 200);
      call(Duration.ofMinutes(i), "openai", "gpt-4o-mini", "/chat", 100, "0.01", 200);
    }
    flush();
    AlertRule r = rule("""
        {"id":"slow","figure":"latency_p95_ms","groupBy":"model","window":"1h","condition":"> 1500","for":"5m"}""");
    Evaluation e = evaluator.evaluate(r, NOW);
    // 100..2000 ms: rank 0.95 × 19 = 18.05 → 1900 + 0.05 × 100
    assertThat(only(e, "gpt-4o").value().doubleValue()).isCloseTo(1905.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(only(e, "gpt-4o").breached()).isTrue();
    assertThat(only(e, "gpt-4o-mini").value()).isEqualByComparingTo("100");
    assertThat(only(e, "gpt-4o-mini").breached()).isFalse();
  }

  @Test
  void increasePctComparesWithTheSameWindowADayEarlier() {
    Duration day = Duration.ofDays(1);
    call(day.plusMinutes(10), "openai", "gpt-4o", "/chat", 100, "1.00", 200);
    call(Duration.ofMinutes(10), "openai", "gpt-4o", "/chat", 100, "1.00", 200);
    call(Duration.ofMinutes(20), "openai", "gpt-4o", "/chat", 100, "2.00", 200);
    call(day.plusMinutes(10), "openai", "gpt-4o", "/search", 100, "1.00", 200);
    call(Duration.ofMinutes(10), "openai", "gpt-4o", "/search", 100, "1.20", 200);
    call(Duration.ofMinutes(10), "openai", "gpt-4o", "/new", 100, "5.00", 200); // no baseline
    call(day.plusMinutes(90), "openai", "gpt-4o", "/new", 100, "0.01", 200); // outside yesterday's window
    flush();
    AlertRule r = rule("""
        {"id":"cost-up","figure":"cost_per_hour","groupBy":"route","window":"1h",
         "condition":"increase_pct > 100 vs 1d"}""");
    Evaluation e = evaluator.evaluate(r, NOW);
    assertThat(only(e, "/chat").value()).isEqualByComparingTo("3");
    assertThat(only(e, "/chat").baselineValue()).isEqualByComparingTo("1");
    assertThat(only(e, "/chat").breached()).isTrue(); // +200 %
    assertThat(only(e, "/search").baselineValue()).isEqualByComparingTo("1");
    assertThat(only(e, "/search").breached()).isFalse(); // +20 %
    assertThat(only(e, "/new").baselineValue()).isNull();
    assertThat(only(e, "/new").breached()).isFalse();
    assertThat(RuleEvaluator.increasePct(new BigDecimal("3"), BigDecimal.ONE)).isEqualByComparingTo("200");
  }

  @Test
  void callsAndTokensAndAStoreThatCannotAnswer() {
    call(Duration.ofMinutes(1), "openai", "gpt-4o", "/chat", 100, "0.01", 200);
    call(Duration.ofMinutes(2), "openai", "gpt-4o", "/chat", 100, "0.01", 200);
    flush();
    Evaluation calls = evaluator.evaluate(rule("""
        {"id":"c","figure":"calls","window":"5m","condition":">= 2"}"""), NOW);
    assertThat(calls.observations()).singleElement().satisfies(o -> {
      assertThat(o.value()).isEqualByComparingTo("2");
      assertThat(o.breached()).isTrue();
    });
    Evaluation tokens = evaluator.evaluate(rule("""
        {"id":"t","figure":"tokens","window":"5m","condition":"< 100"}"""), NOW);
    assertThat(tokens.observations()).singleElement().satisfies(o -> {
      assertThat(o.value()).isEqualByComparingTo("240"); // 2 × (100 in + 20 out)
      assertThat(o.breached()).isFalse();
    });
    store.close();
    Evaluation failed = evaluator.evaluate(rule("""
        {"id":"c","figure":"calls","window":"5m","condition":">= 2"}"""), NOW);
    assertThat(failed.failed()).isTrue();
    assertThat(failed.problem()).startsWith("the store could not evaluate rule c");
    store = DuckDbStore.open(dir);
  }

  @Test
  void anUngroupedRuleCountsEveryModelNotOne() {
    for (int i = 1; i <= 20; i++) {
      call(Duration.ofMinutes(i), "openai", "gpt-4o", "/chat", 100L * i, "0.01", i <= 2 ? 500 : 200);
      call(Duration.ofMinutes(i), "anthropic", "claude", "/chat", 50, "0.01", 200);
    }
    call(Duration.ofMinutes(3), "vllm", "llama", "/chat", 50, "0.01", 500);
    flush();
    Evaluation calls = evaluator.evaluate(rule("""
        {"id":"c","figure":"calls","window":"1h","condition":"> 30"}"""), NOW);
    assertThat(calls.observations()).singleElement().satisfies(o -> {
      assertThat(o.groupKey()).isNull();
      assertThat(o.value()).isEqualByComparingTo("41");
      assertThat(o.breached()).isTrue();
    });
    Evaluation errors = evaluator.evaluate(rule("""
        {"id":"e","figure":"error_rate_5xx","window":"1h","condition":"> 0.05"}"""), NOW);
    assertThat(errors.observations().get(0).value().doubleValue()).isCloseTo(3.0 / 41,
        org.assertj.core.data.Offset.offset(1e-12));
    // 20 × 50 ms and 100..2000 ms (and one 50 ms): p95 of all 41 lies near 1,800 ms, of either model alone not
    Evaluation p95 = evaluator.evaluate(rule("""
        {"id":"p","figure":"latency_p95_ms","window":"1h","condition":"> 1000"}"""), NOW);
    assertThat(p95.observations()).singleElement().satisfies(o ->
        assertThat(o.value().doubleValue()).isBetween(1650.0, 1880.0));
  }

  @Test
  void qualityFlaggedRatePerRoute() {
    List<dev.sightline.model.Score> scores = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      call(Duration.ofMinutes(1 + i), "openai", "gpt-4o", "/chat", 100, "0.01", 200);
      scores.add(score(seq, i < 3)); // 3 of 4 flagged
      call(Duration.ofMinutes(1 + i), "openai", "gpt-4o", "/search", 100, "0.01", 200);
      scores.add(score(seq, false));
    }
    flush();
    store.write(List.of(TelemetryBatch.ofScores("test", scores)));
    Evaluation e = evaluator.evaluate(rule("""
        {"id":"grounded","figure":"quality_flagged_rate","score":"groundedness","groupBy":"route","window":"1h",
         "condition":"> 0.5"}"""), NOW);
    assertThat(only(e, "/chat").value()).isEqualByComparingTo("0.75");
    assertThat(only(e, "/chat").breached()).isTrue();
    assertThat(only(e, "/search").value()).isEqualByComparingTo("0");
    assertThat(only(e, "/search").breached()).isFalse();
  }

  private static dev.sightline.model.Score score(int n, boolean flagged) {
    return new dev.sightline.model.Score(String.format("%032x", n), String.format("%016x", n), "groundedness",
        flagged ? 0.2 : 0.9, flagged ? "unsupported" : "supported", flagged, "test", "evaluator", "groundedness",
        "1", null, NOW.minusSeconds(30).getEpochSecond() * 1_000_000_000L);
  }

  @Test
  void metricSeriesPerServiceAndAnAggregationTheKindLacks() {
    List<dev.sightline.model.MetricPoint> points = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      points.add(gauge("vllm-a", i, 10.0 * i)); // max 50
      points.add(gauge("vllm-b", i, 1.0));
    }
    store.write(List.of(TelemetryBatch.ofMetrics("test", points)));
    Evaluation e = evaluator.evaluate(rule("""
        {"id":"queue","figure":"metric","metric":"vllm:num_requests_waiting","agg":"max","groupBy":"service",
         "window":"10m","condition":"> 20"}"""), NOW);
    assertThat(only(e, "vllm-a").value()).isEqualByComparingTo("50");
    assertThat(only(e, "vllm-a").breached()).isTrue();
    assertThat(only(e, "vllm-b").breached()).isFalse();

    Evaluation filtered = evaluator.evaluate(rule("""
        {"id":"queue-b","figure":"metric","metric":"vllm:num_requests_waiting","agg":"avg",
         "filter":{"service":"vllm-b"},"window":"10m","condition":"> 20"}"""), NOW);
    assertThat(filtered.observations()).singleElement().satisfies(o -> {
      assertThat(o.groupKey()).isNull();
      assertThat(o.value()).isEqualByComparingTo("1");
    });

    Evaluation wrongAgg = evaluator.evaluate(rule("""
        {"id":"queue-rate","figure":"metric","metric":"vllm:num_requests_waiting","agg":"p95",
         "window":"10m","condition":"> 20"}"""), NOW);
    assertThat(wrongAgg.failed()).isTrue();
    assertThat(wrongAgg.problem()).startsWith("the store could not evaluate rule queue-rate: ").contains("p95");
    assertThat(wrongAgg.observations()).isEmpty();
  }

  private static dev.sightline.model.MetricPoint gauge(String service, int minutesAgo, double value) {
    long t = NOW.minus(Duration.ofMinutes(minutesAgo)).getEpochSecond() * 1_000_000_000L;
    return new dev.sightline.model.MetricPoint("vllm:num_requests_waiting", "", "", dev.sightline.model.MetricType.GAUGE,
        t, 0, service, Map.of(), value, null, null, null, null, false);
  }

  @Test
  void evaluateAllEqualsEvaluatingEachRuleAndSharesTheStoresAnswers() {
    Duration day = Duration.ofDays(1);
    List<dev.sightline.model.Score> scores = new ArrayList<>();
    String[][] models = {{"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"anthropic", "claude"}};
    for (int i = 0; i < 30; i++) {
      String[] m = models[i % 3];
      String route = i % 2 == 0 ? "/chat" : "/search";
      call(Duration.ofMinutes(1 + i % 50), m[0], m[1], route, 100L + 37L * i, "0.0" + (1 + i % 9),
          i % 7 == 0 ? 500 : i % 5 == 0 ? 429 : 200);
      scores.add(score(seq, i % 4 == 0));
      call(day.plusMinutes(1 + i % 50), m[0], m[1], route, 100, "0.01", 200);
    }
    flush();
    store.write(List.of(TelemetryBatch.ofScores("test", scores)));
    List<dev.sightline.model.MetricPoint> points = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      points.add(gauge("vllm-a", i, 10.0 * i));
      points.add(gauge("vllm-b", i, 1.0));
    }
    store.write(List.of(TelemetryBatch.ofMetrics("test", points)));

    List<AlertRule> rules = List.of(
        rule("""
            {"id":"cost-a","figure":"cost_per_hour","groupBy":"model","window":"1h","condition":"> 0.1"}"""),
        rule("""
            {"id":"cost-b","figure":"cost_per_hour","groupBy":"model","window":"1h","condition":"> 100"}"""),
        rule("""
            {"id":"cost-chat","figure":"cost_per_call","filter":{"route":"/chat"},"window":"1h","condition":"> 0.02"}"""),
        rule("""
            {"id":"cost-up","figure":"cost_per_hour","groupBy":"route","window":"1h",
             "condition":"increase_pct > 50 vs 1d"}"""),
        rule("""
            {"id":"cost-up-2","figure":"cost_per_call","groupBy":"route","window":"1h",
             "condition":"increase_pct > 500 vs 1d"}"""),
        rule("""
            {"id":"5xx","figure":"error_rate_5xx","groupBy":"provider","window":"1h","condition":"> 0.1"}"""),
        rule("""
            {"id":"4xx","figure":"error_rate_4xx","groupBy":"provider","window":"1h","condition":"> 0.1"}"""),
        rule("""
            {"id":"4xx-openai","figure":"error_rate_4xx","filter":{"provider":"openai"},"window":"1h",
             "condition":"> 0.05"}"""),
        rule("""
            {"id":"tokens","figure":"tokens","window":"15m","condition":"> 1000"}"""),
        rule("""
            {"id":"p95","figure":"latency_p95_ms","groupBy":"model","window":"1h","condition":"> 1000"}"""),
        rule("""
            {"id":"p95-up","figure":"latency_p95_ms","groupBy":"model","window":"1h",
             "condition":"increase_pct > 100 vs 1d"}"""),
        rule("""
            {"id":"grounded","figure":"quality_flagged_rate","score":"groundedness","groupBy":"route","window":"1h",
             "condition":"> 0.2"}"""),
        rule("""
            {"id":"queue","figure":"metric","metric":"vllm:num_requests_waiting","agg":"max","groupBy":"service",
             "window":"10m","condition":"> 20"}"""),
        rule("""
            {"id":"queue-p95","figure":"metric","metric":"vllm:num_requests_waiting","agg":"p95",
             "window":"10m","condition":"> 20"}"""),
        rule("""
            {"id":"queue-b","figure":"metric","metric":"vllm:num_requests_waiting","agg":"avg",
             "filter":{"service":"vllm-b"},"window":"10m","condition":"< 5"}"""));

    List<Evaluation> one = rules.stream().map(r -> evaluator.evaluate(r, NOW)).toList();
    int[] asked = new int[1];
    List<Evaluation> all = new RuleEvaluator(counting(store, asked)).evaluateAll(rules, NOW);

    assertThat(all).isEqualTo(one);
    assertThat(all).extracting(Evaluation::ruleId).containsExactlyElementsOf(rules.stream().map(AlertRule::id).toList());
    // the figures are real: every rule but the failing one observed something, some breach and some do not
    assertThat(all).filteredOn(e -> !e.ruleId().equals("queue-p95")).allSatisfy(e -> {
      assertThat(e.problem()).isNull();
      assertThat(e.observations()).isNotEmpty();
    });
    assertThat(all).flatExtracting(Evaluation::observations).extracting(Observation::breached).contains(true, false);
    assertThat(only(all.get(3), "/chat").baselineValue()).isNotNull();
    // the query that fails fails only its own rule, with the store's reason
    assertThat(all.get(13).problem()).startsWith("the store could not evaluate rule queue-p95: ").contains("p95");
    // 15 rules, 11 distinct queries: cost by model, by route (now and a day before), summary by provider,
    // the series of all calls, summary by model with percentiles (now and a day before), quality, and three
    // metric queries
    assertThat(asked[0]).isEqualTo(11);
  }

  @Test
  void evaluateAllWithoutRulesAsksNothing() {
    int[] asked = new int[1];
    RuleEvaluator counted = new RuleEvaluator(counting(store, asked));
    assertThat(counted.evaluateAll(List.of(), NOW)).isEmpty();
    assertThat(counted.evaluateAll(null, NOW)).isEmpty();
    assertThat(asked[0]).isZero();
  }

  /** The store, counting the queries that rules make of it. */
  private static Store counting(Store store, int[] asked) {
    java.util.Set<String> queries = java.util.Set.of("summary", "series", "cost", "quality", "metricSeries");
    return (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (queries.contains(method.getName())) {
            asked[0]++;
          }
          try {
            return method.invoke(store, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
