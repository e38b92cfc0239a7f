package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Store} engine must have. An engine's test extends this class and
 * supplies {@link #openStore}; the engine is done when this suite passes.
 *
 * <p>Percentiles on small data are expected to be exact with linear interpolation between the two
 * nearest ranks (what SQL's {@code percentile_cont} computes).
 */
public abstract class StoreConformanceSuite {

  /** Opens (or reopens) the engine's store with its data in {@code dir}. */
  protected abstract Store openStore(Path dir);

  @TempDir
  protected Path dir;
  protected Store store;

  /** 2025-01-15T10:00:00Z, a fixed base so that hour boundaries are predictable. */
  protected static final long T0 = Instant.parse("2025-01-15T10:00:00Z").getEpochSecond() * 1_000_000_000L;
  protected static final long MS = 1_000_000L;

  private static final RecursiveComparisonConfiguration EXACT = RecursiveComparisonConfiguration.builder()
      .withStrictTypeChecking(true)
      .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
      .withComparatorForType(Double::compare, Double.class) // exact, and NaN equals NaN
      .build();

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

  // ------------------------------------------------------------------ fixtures

  protected static String traceId(int n) {
    return String.format("%032x", n);
  }

  protected static String spanId(int n) {
    return String.format("%016x", n);
  }

  protected static Span span(String trace, String id, String parent, String name, String service, long startNs,
      long endNs, SpanStatus status, LlmCall llm) {
    return new Span(trace, id, parent, name, SpanKind.INTERNAL, startNs, endNs, status, null, service, "scope",
        Map.of(), Map.of(), List.of(), llm == null ? SpanCategory.OTHER : SpanCategory.LLM, llm, List.of());
  }

  /** A priced or unpriced call with the given shape; latency = end − start. */
  protected static LlmCall call(String trace, String span, String provider, String model, String service, String route,
      long startNs, long endNs, Long ttftNs, long in, long out, BigDecimal cost, CallStatus status) {
    Cost c = cost == null ? Cost.unpriced("no price for " + model, null)
        : new Cost(CostStatus.PRICED, cost, cost, null, null, BigDecimal.ZERO, null, model, null, null);
    return new LlmCall(provider, "chat", model, null, true, Usage.reported(in, 0, 0, 0, out, 0),
        new Timing(startNs, endNs, ttftNs, ttftNs == null ? null : TtftSource.GATEWAY, null, null), c,
        new Outcome(status, status == CallStatus.ERROR ? 500 : 200, status == CallStatus.ERROR ? "server_error" : null,
            List.of("stop")),
        new CallContext(trace, span, service, route, null, null, null, null, List.of()), Content.NONE);
  }

  /** A one-span trace whose root span is the LLM call. */
  protected static Span llmSpan(String trace, String id, String parent, String service, LlmCall call) {
    return span(trace, id, parent, "chat " + call.requestModel(), service, call.timing().startEpochNanos(),
        call.timing().endEpochNanos(), call.outcome().status() == CallStatus.ERROR ? SpanStatus.ERROR : SpanStatus.OK,
        call);
  }

  protected void write(Span... spans) {
    store.write(List.of(TelemetryBatch.ofSpans("test", List.of(spans))));
  }

  private static Map<String, Object> allValueTypes() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("k", "v");
    nested.put("n", 7L);
    nested.put("bytes", new byte[] {1, 2, 3});
    nested.put("list", List.of("a", 2L, 3.5, true));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("str", "hello");
    m.put("empty", "");
    m.put("long", Long.MAX_VALUE);
    m.put("negative", -42L);
    m.put("double", 3.25);
    m.put("whole.double", 2.0);
    m.put("nan", Double.NaN);
    m.put("inf", Double.NEGATIVE_INFINITY);
    m.put("bool", false);
    m.put("bytes", new byte[] {0, -1, 127, -128});
    m.put("list", List.of("x", "y"));
    m.put("list.mixed", List.of(1L, "two", List.of(3L), Map.of("four", 4L)));
    m.put("map", nested);
    m.put("dollar.map", Map.of("$bytes", "not bytes"));
    m.put("looks.like.json", "{\"$bytes\":\"AAE=\"}");
    m.put("unicode", "héllo 世界 🙂");
    return m;
  }

  protected static LlmCall fullCall(String trace, String span) {
    Usage usage = new Usage(1200, 300, 40, 5, 700, 90, UsageSource.REPORTED, true, null);
    Timing timing = new Timing(T0, T0 + 2_500 * MS, 350 * MS, TtftSource.TIME_TO_FIRST_CHUNK, T0 + 2_400 * MS, 120 * MS);
    Cost cost = new Cost(CostStatus.PRICED, new BigDecimal("0.012345678901234567"), new BigDecimal("0.0030"),
        new BigDecimal("0.000000150000000001"), new BigDecimal("12345678901234567890.123456789012345678"),
        new BigDecimal("0"), new BigDecimal("1E-18"), "openai/gpt-4o-2024-08-06", "tier above_200k",
        new BigDecimal("0.0124"));
    Outcome outcome = new Outcome(CallStatus.ERROR, 429, "rate_limit_error", List.of("length", "tool_calls"));
    CallContext ctx = new CallContext(trace, span, "checkout", "POST /chat", "sess-1", "user-9", "support-bot", "v3",
        List.of("prod", "beta"));
    Content content = new Content("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]",
        "[{\"role\":\"assistant\"}]", "[{\"type\":\"text\",\"content\":\"be nice\"}]", "[{\"name\":\"search\"}]");
    return new LlmCall("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", true, usage, timing, cost, outcome, ctx, content);
  }

  // ------------------------------------------------------------------ round trips

  @Test
  void spanRoundTripsEveryFieldAndAttributeType() {
    String t = traceId(1);
    Map<String, Object> eventAttrs = new LinkedHashMap<>();
    eventAttrs.put("gen_ai.event.content", "{\"x\":1}");
    eventAttrs.put("bytes", new byte[] {9});
    Span s = new Span(t, spanId(1), null, "POST /chat", SpanKind.SERVER, T0, T0 + 10 * MS, SpanStatus.ERROR,
        "boom", "api", "io.opentelemetry.http", allValueTypes(), Map.of("service.name", "api", "host.cpus", 8L),
        List.of(new SpanEvent("exception", T0 + MS, eventAttrs, null),
            new SpanEvent("gen_ai.choice", T0 + 2 * MS, Map.of(), Map.of("message", "hello", "index", 0L)),
            new SpanEvent("log", T0 + 3 * MS, Map.of(), "plain body")),
        SpanCategory.HTTP, null, List.of("custom.key", "other.key"));
    write(s);

    Span back = store.trace(t).orElseThrow().spans().get(0);
    assertThat(back).usingRecursiveComparison(EXACT).isEqualTo(s);
    assertThat(back.attributes().keySet()).containsExactlyElementsOf(s.attributes().keySet());
    assertThat((byte[]) back.attributes().get("bytes")).containsExactly(0, -1, 127, -128);
    assertThat((Double) back.attributes().get("nan")).isNaN();
    assertThat(back.attributes().get("whole.double")).isInstanceOf(Double.class).isEqualTo(2.0);
    assertThat(back.attributes().get("dollar.map")).isEqualTo(Map.of("$bytes", "not bytes"));
  }

  @Test
  void llmCallRoundTripsEveryFieldExactly() {
    String t = traceId(2);
    LlmCall call = fullCall(t, spanId(2));
    write(span(t, spanId(2), null, "POST /chat", "checkout", T0, T0 + 2_500 * MS, SpanStatus.OK, call));

    LlmCall back = store.calls(CallQuery.forTrace(t)).get(0);
    assertThat(back).usingRecursiveComparison(EXACT).isEqualTo(call);
    assertThat(back.cost().cacheWriteUsd()).isEqualByComparingTo("12345678901234567890.123456789012345678");
    assertThat(back.cost().reasoningUsd()).isEqualByComparingTo("0.000000000000000001");
    assertThat(store.trace(t).orElseThrow().spans().get(0).llm()).usingRecursiveComparison(EXACT).isEqualTo(call);
  }

  @Test
  void unpricedAndSparseCallsKeepTheirNulls() {
    String t = traceId(3);
    LlmCall unpriced = new LlmCall("vllm", "chat", "my-llama", null, null, Usage.rejected("negative bucket"),
        Timing.of(T0, T0 + MS), Cost.unpriced("no price for my-llama", new BigDecimal("0.5")), null,
        new CallContext(t, spanId(1), null, "r", null, null, null, null, null), null);
    LlmCall bare = new LlmCall(null, null, null, null, null, null, null, null, null, null, null);
    write(span(t, spanId(1), null, "r", "svc", T0, T0 + MS, SpanStatus.UNSET, unpriced),
        span(t, spanId(2), spanId(1), "bare", "svc", T0 + MS, T0 + 2 * MS, SpanStatus.UNSET, bare));

    List<LlmCall> back = store.calls(CallQuery.forTrace(t));
    assertThat(back).hasSize(2);
    LlmCall u = back.stream().filter(c -> "vllm".equals(c.provider())).findFirst().orElseThrow();
    assertThat(u).usingRecursiveComparison(EXACT).isEqualTo(unpriced);
    assertThat(u.cost().totalUsd()).isNull();
    assertThat(u.cost().status()).isEqualTo(CostStatus.UNPRICED);
    LlmCall b = back.stream().filter(c -> c.provider() == null).findFirst().orElseThrow();
    assertThat(b).usingRecursiveComparison(EXACT).isEqualTo(bare);
  }

  @Test
  void logsAndMetricsAreStoredWithSpans() {
    LogRecord log = new LogRecord(T0, T0 + 1, traceId(4), spanId(1), 9, "INFO", "gen_ai.user.message",
        Map.of("content", "hi"), "svc", "scope", Map.of("a", 1L), Map.of("service.name", "svc"));
    MetricPoint metric = new MetricPoint("gen_ai.client.token.usage", "tokens", "{token}", MetricType.HISTOGRAM, T0,
        T0 - 60_000 * MS, "svc", Map.of("gen_ai.token.type", "input"), null, 3L, 120.0, List.of(10.0, 100.0),
        List.of(1L, 1L, 1L), false);
    store.write(List.of(new TelemetryBatch("otlp-http",
        List.of(span(traceId(4), spanId(1), null, "root", "svc", T0, T0 + MS, SpanStatus.OK, null)),
        List.of(log), List.of(metric))));
    assertThat(store.spanCount()).isEqualTo(1);
    assertThat(store.callCount()).isZero();
  }

  // ------------------------------------------------------------------ commit and durability

  @Test
  void severalBatchesCommitTogether() {
    List<TelemetryBatch> batches = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = b * 100 + i;
        LlmCall c = call(traceId(n), spanId(1), "openai", "gpt-4o", "svc", "root", T0 + n * MS, T0 + n * MS + 100 * MS,
            null, 10, 5, new BigDecimal("0.001"), CallStatus.OK);
        spans.add(llmSpan(traceId(n), spanId(1), null, "svc", c));
      }
      batches.add(TelemetryBatch.ofSpans("test", spans));
    }
    store.write(batches);
    assertThat(store.spanCount()).isEqualTo(100);
    assertThat(store.callCount()).isEqualTo(100);
  }

  @Test
  void aFailedWriteCommitsNothingOfItsBatches() {
    write(span(traceId(1), spanId(1), null, "before", "svc", T0, T0 + MS, SpanStatus.OK, null));
    // many traces: an engine that writes traces in parallel parts (DuckDB's writer lanes) gets
    // some in every part, and the part that fails must take the others down with it
    List<Span> calls = new java.util.ArrayList<>();
    for (int i = 2; i < 22; i++) {
      calls.add(llmSpan(traceId(i), spanId(1), null, "svc", call(traceId(i), spanId(1), "openai", "m", "svc", null, T0,
          T0 + MS, null, 1, 1, BigDecimal.ONE, CallStatus.OK)));
    }
    TelemetryBatch good = TelemetryBatch.ofSpans("test", calls);
    TelemetryBatch bad = TelemetryBatch.ofSpans("test", List.of(
        span(null, spanId(2), null, "no trace id", "svc", T0, T0 + MS, SpanStatus.OK, null)));
    assertThatThrownBy(() -> store.write(List.of(good, bad))).isInstanceOf(RuntimeException.class);
    assertThat(store.spanCount()).isEqualTo(1);
    assertThat(store.callCount()).isZero();
    // and the store still works afterwards
    store.write(List.of(good));
    assertThat(store.callCount()).isEqualTo(20);
  }

  @Test
  void committedDataSurvivesCloseAndReopen() {
    String t = traceId(5);
    LlmCall call = fullCall(t, spanId(1));
    write(span(t, spanId(1), null, "POST /chat", "checkout", T0, T0 + 2_500 * MS, SpanStatus.OK, call));
    reopen();
    assertThat(store.spanCount()).isEqualTo(1);
    assertThat(store.calls(CallQuery.forTrace(t)).get(0)).usingRecursiveComparison(EXACT).isEqualTo(call);
    write(span(traceId(6), spanId(1), null, "later", "svc", T0, T0 + MS, SpanStatus.OK, null));
    reopen();
    assertThat(store.spanCount()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ traces

  /** Three traces: A (10:00, api, 2 calls, one unpriced), B (10:05, worker, error span), C (10:10, rootless). */
  private void writeThreeTraces() {
    String a = traceId(0xA);
    String b = traceId(0xB);
    String c = traceId(0xC);
    long ta = T0;
    long tb = T0 + 5 * 60_000 * MS;
    long tc = T0 + 10 * 60_000 * MS;
    LlmCall a1 = call(a, spanId(2), "openai", "gpt-4o", "api", "GET /a", ta + 10 * MS, ta + 500 * MS, 50 * MS,
        100, 20, new BigDecimal("0.0015"), CallStatus.OK);
    LlmCall a2 = call(a, spanId(3), "vllm", "llama", "api", "GET /a", ta + 600 * MS, ta + 900 * MS, null, 30, 10,
        null, CallStatus.OK);
    write(span(a, spanId(1), null, "GET /a", "api", ta, ta + 1_000 * MS, SpanStatus.OK, null),
        llmSpan(a, spanId(2), spanId(1), "api", a1), llmSpan(a, spanId(3), spanId(1), "api", a2));
    write(span(b, spanId(1), null, "job", "worker", tb, tb + 3_000 * MS, SpanStatus.UNSET, null),
        span(b, spanId(2), spanId(1), "db", "worker", tb + 100 * MS, tb + 4_000 * MS, SpanStatus.ERROR, null));
    write(span(c, spanId(5), spanId(99), "child late", "edge", tc + 50 * MS, tc + 60 * MS, SpanStatus.OK, null),
        span(c, spanId(4), spanId(99), "child early", "edge", tc, tc + 20 * MS, SpanStatus.OK, null));
  }

  @Test
  void traceListAggregatesAndOrdersNewestFirst() {
    writeThreeTraces();
    List<TraceSummary> list = store.traces(new TraceQuery(null, null, null, 10));
    assertThat(list).extracting(TraceSummary::traceId).containsExactly(traceId(0xC), traceId(0xB), traceId(0xA));

    TraceSummary a = list.get(2);
    assertThat(a.rootName()).isEqualTo("GET /a");
    assertThat(a.service()).isEqualTo("api");
    assertThat(a.startTime()).isEqualTo(Instant.parse("2025-01-15T10:00:00Z"));
    assertThat(a.durationMs()).isCloseTo(1_000.0, within(1e-9));
    assertThat(a.spanCount()).isEqualTo(3);
    assertThat(a.llmCalls()).isEqualTo(2);
    assertThat(a.inputTokens()).isEqualTo(130);
    assertThat(a.outputTokens()).isEqualTo(30);
    assertThat(a.costUsd()).isEqualByComparingTo("0.0015");
    assertThat(a.error()).isFalse();

    TraceSummary b = list.get(1);
    assertThat(b.error()).isTrue();
    assertThat(b.durationMs()).isCloseTo(4_000.0, within(1e-9));
    assertThat(b.costUsd()).isNull();
    assertThat(b.llmCalls()).isZero();

    TraceSummary c = list.get(0);
    assertThat(c.rootName()).isEqualTo("child early");
    assertThat(c.service()).isEqualTo("edge");
    assertThat(c.durationMs()).isCloseTo(60.0, within(1e-9));
  }

  @Test
  void traceListFiltersByWindowServiceAndLimit() {
    writeThreeTraces();
    Instant t0 = Instant.parse("2025-01-15T10:00:00Z");
    assertThat(store.traces(new TraceQuery(t0.plusSeconds(60), null, null, 10)))
        .extracting(TraceSummary::traceId).containsExactly(traceId(0xC), traceId(0xB));
    assertThat(store.traces(new TraceQuery(null, t0.plusSeconds(300), null, 10)))
        .extracting(TraceSummary::traceId).containsExactly(traceId(0xA));
    assertThat(store.traces(new TraceQuery(t0, t0.plusSeconds(301), null, 10)))
        .extracting(TraceSummary::traceId).containsExactly(traceId(0xB), traceId(0xA));
    assertThat(store.traces(new TraceQuery(null, null, "worker", 10)))
        .extracting(TraceSummary::traceId).containsExactly(traceId(0xB));
    assertThat(store.traces(new TraceQuery(null, null, "nobody", 10))).isEmpty();
    assertThat(store.traces(new TraceQuery(null, null, null, 1)))
        .extracting(TraceSummary::traceId).containsExactly(traceId(0xC));
  }

  @Test
  void callErrorMarksTheTrace() {
    String t = traceId(7);
    write(llmSpan(t, spanId(1), null, "svc", call(t, spanId(1), "openai", "m", "svc", null, T0, T0 + MS, null, 1, 1,
        BigDecimal.ONE, CallStatus.ERROR)).withEvents(List.of()));
    Span okSpan = new Span(t, spanId(2), spanId(1), "ok", SpanKind.CLIENT, T0, T0 + MS, SpanStatus.OK, null, "svc",
        null, null, null, null, null, null, null);
    write(okSpan);
    assertThat(store.traces(new TraceQuery(null, null, null, 10)).get(0).error()).isTrue();
  }

  @Test
  void traceDetailHasSpansInStartOrderWithTheirCalls() {
    writeThreeTraces();
    TraceDetail a = store.trace(traceId(0xA)).orElseThrow();
    assertThat(a.traceId()).isEqualTo(traceId(0xA));
    assertThat(a.spans()).extracting(Span::spanId).containsExactly(spanId(1), spanId(2), spanId(3));
    assertThat(a.spans().get(0).llm()).isNull();
    assertThat(a.spans().get(1).llm().provider()).isEqualTo("openai");
    assertThat(a.spans().get(2).llm().provider()).isEqualTo("vllm");
    assertThat(store.trace(traceId(0xC)).orElseThrow().spans()).extracting(Span::name)
        .containsExactly("child early", "child late");
    assertThat(store.trace(traceId(0xDEAD))).isEqualTo(Optional.empty());
  }

  @Test
  void traceListFiltersByRouteModelStatusDurationCostSessionUserAndText() {
    writeThreeTraces();
    String e = traceId(0xE);
    long te = T0 + 15 * 60_000 * MS;
    LlmCall base = call(e, spanId(2), "anthropic", "claude", "api", "POST /chat", te + MS, te + 300 * MS, null, 10, 5,
        new BigDecimal("0.25"), CallStatus.OK);
    LlmCall e1 = new LlmCall(base.provider(), base.operation(), base.requestModel(), null, false, base.usage(),
        base.timing(), base.cost(), base.outcome(),
        new CallContext(e, spanId(2), "api", "POST /chat", "sess-1", "user-7", null, null, List.of()),
        new Content("[{\"role\":\"user\",\"content\":\"Where is the Eiffel Tower?\"}]",
            "[{\"role\":\"assistant\",\"content\":\"In Paris.\"}]", null, null));
    write(span(e, spanId(1), null, "POST /chat", "api", te, te + 2_000 * MS, SpanStatus.OK, null),
        llmSpan(e, spanId(2), spanId(1), "api", e1));
    Instant t0 = Instant.parse("2025-01-15T10:00:00Z");
    java.util.function.Function<TraceQuery, List<String>> ids =
        q -> store.traces(q).stream().map(TraceSummary::traceId).toList();
    assertThat(ids.apply(new TraceQuery(null, null, null, "GET /a", null, null, null, null, null, null, null, 10)))
        .containsExactly(traceId(0xA));
    assertThat(ids.apply(new TraceQuery(null, null, null, null, "claude", null, null, null, null, null, null, 10)))
        .containsExactly(e);
    assertThat(ids.apply(new TraceQuery(null, null, null, null, "llama", null, null, null, null, null, null, 10)))
        .containsExactly(traceId(0xA));
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, "error", null, null, null, null, null, 10)))
        .containsExactly(traceId(0xB));
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, "ok", null, null, null, null, null, 10)))
        .containsExactly(e, traceId(0xC), traceId(0xA));
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, 1_500.0, null, null, null, null, 10)))
        .containsExactly(e, traceId(0xB));
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, new BigDecimal("0.1"), null, null,
        null, 10))).containsExactly(e);
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, new BigDecimal("0.001"), null, null,
        null, 10))).containsExactly(e, traceId(0xA));
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, null, "sess-1", null, null, 10)))
        .containsExactly(e);
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, null, null, "user-7", null, 10)))
        .containsExactly(e);
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, null, null, "nobody", null, 10)))
        .isEmpty();
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, null, null, null, "eiffel", 10)))
        .containsExactly(e);
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, null, null, null, "in paris", 10)))
        .containsExactly(e);
    assertThat(ids.apply(new TraceQuery(null, null, null, null, null, null, null, null, null, null, "%", 10)))
        .isEmpty();
    assertThat(ids.apply(new TraceQuery(t0.plusSeconds(60), null, "api", null, null, "ok", 100.0, null, null, null,
        null, 10))).containsExactly(e);

    List<LlmCall> bySession = store.calls(new CallQuery(null, null, null, null, null, null, "sess-1", null, null, null,
        null, null, false, 10));
    assertThat(bySession).extracting(c -> c.context().spanId()).containsExactly(spanId(2));
    assertThat(store.calls(new CallQuery(null, null, null, null, null, null, null, "user-7", null, "EIFFEL", null,
        null, false, 10))).hasSize(1);
    assertThat(store.calls(new CallQuery(null, null, null, null, null, "GET /a", null, null, null, null, null, null,
        true, 10))).extracting(LlmCall::provider).containsExactly("openai", "vllm");
    assertThat(store.calls(new CallQuery(traceId(0xA), spanId(3), null, null, null, null, null, null, null, null, null,
        null, false, 10))).extracting(LlmCall::provider).containsExactly("vllm");
  }

  @Test
  void aTraceReadsWithoutDetailsAndOneSpanReadsWhole() {
    String t = traceId(0x66);
    LlmCall base = call(t, spanId(2), "openai", "m", "svc", null, T0 + MS, T0 + 5 * MS, null, 1, 1, BigDecimal.ONE,
        CallStatus.OK);
    LlmCall withContent = new LlmCall(base.provider(), base.operation(), base.requestModel(), null, false, base.usage(),
        base.timing(), base.cost(), base.outcome(), base.context(), new Content("[\"in\"]", "[\"out\"]", null, null));
    Span root = new Span(t, spanId(1), null, "root", SpanKind.SERVER, T0, T0 + 10 * MS, SpanStatus.OK, null, "svc",
        "scope", Map.of("http.route", "/x"), Map.of("service.name", "svc"), List.of(), SpanCategory.HTTP, null, List.of());
    write(root, llmSpan(t, spanId(2), spanId(1), "svc", withContent));
    TraceDetail light = store.trace(t, false).orElseThrow();
    assertThat(light.spans()).extracting(Span::spanId).containsExactly(spanId(1), spanId(2));
    assertThat(light.spans().get(0).attributes()).isEmpty();
    assertThat(light.spans().get(0).resourceAttributes()).isEmpty();
    assertThat(light.spans().get(1).llm().usage().inputTokens()).isEqualTo(1);
    assertThat(light.spans().get(1).llm().content().inputMessagesJson()).isNull();
    Span one = store.span(t, spanId(1)).orElseThrow();
    assertThat(one.attributes()).containsEntry("http.route", "/x");
    assertThat(one.resourceAttributes()).containsEntry("service.name", "svc");
    assertThat(store.span(t, spanId(2)).orElseThrow().llm().content().inputMessagesJson()).isEqualTo("[\"in\"]");
    assertThat(store.span(t, spanId(9))).isEmpty();
    assertThat(store.span(traceId(0x67), spanId(1))).isEmpty();
  }

  @Test
  void tracesReadTogetherAreExactlyWhatEachReadsAlone() {
    writeThreeTraces();
    // the same span ids as trace A's calls, in another trace: a batch must not mix their calls up
    String d = traceId(0xD);
    LlmCall base = call(d, spanId(2), "anthropic", "claude", "api", "POST /d", T0 + 20 * MS, T0 + 90 * MS, null, 7, 3,
        BigDecimal.ONE, CallStatus.OK);
    LlmCall withContent = new LlmCall(base.provider(), base.operation(), base.requestModel(), null, false, base.usage(),
        base.timing(), base.cost(), base.outcome(), base.context(), new Content("[\"q\"]", "[\"a\"]", null, null));
    Span root = new Span(d, spanId(1), null, "POST /d", SpanKind.SERVER, T0, T0 + 100 * MS, SpanStatus.OK, null, "api",
        "scope", Map.of("http.route", "/d"), Map.of("service.name", "api"), List.of(), SpanCategory.HTTP, null,
        List.of());
    write(root, llmSpan(d, spanId(2), spanId(1), "api", withContent));
    // a trace whose rows lie in far-apart writes (several index ranges), read beside the others
    String far = traceId(0x88);
    write(span(far, spanId(1), null, "root", "svc", T0, T0 + 100 * MS, SpanStatus.OK, null));
    for (int i = 0; i < 200; i++) {
      write(span(traceId(0x2000 + i), spanId(1), null, "other", "svc", T0 + i * MS, T0 + i * MS + 1, SpanStatus.OK,
          null));
      if (i % 70 == 69) {
        write(llmSpan(far, spanId(10 + i), spanId(1), "svc", call(far, spanId(10 + i), "openai", "m", "svc", null,
            T0 + i * MS, T0 + i * MS + 5, null, 1, 1, BigDecimal.ONE, CallStatus.OK)));
      }
    }
    List<String> ids = Arrays.asList(traceId(0xC), traceId(0xA), traceId(0xDEAD), d, null, far, traceId(0xB),
        traceId(0xA), traceId(0x2005));
    for (boolean details : new boolean[] {true, false}) {
      Map<String, TraceDetail> together = store.traces(ids, details);
      Map<String, TraceDetail> alone = new LinkedHashMap<>();
      for (String id : ids) {
        if (id != null) {
          store.trace(id, details).ifPresent(t -> alone.put(id, t));
        }
      }
      assertThat(alone).hasSize(6).doesNotContainKey(traceId(0xDEAD));
      assertThat(together.keySet()).containsExactlyInAnyOrderElementsOf(alone.keySet());
      for (String id : alone.keySet()) {
        assertThat(together.get(id)).usingRecursiveComparison(EXACT).isEqualTo(alone.get(id));
      }
    }
    assertThat(store.traces(List.of(d), true).get(d).spans().get(1).llm().content().outputMessagesJson())
        .isEqualTo("[\"a\"]");
    assertThat(store.traces(List.of(far), true).get(far).spans()).filteredOn(sp -> sp.llm() != null).hasSize(2);
    assertThat(store.traces(List.of(traceId(0xDEAD)), true)).isEmpty();
    assertThat(store.traces(List.of(), true)).isEmpty();
    assertThat(store.traces(null, true)).isEmpty();
  }

  @Test
  void aTraceWrittenAcrossManyWritesIsReadWhole() {
    String t = traceId(0x77);
    write(span(t, spanId(1), null, "root", "svc", T0, T0 + 100 * MS, SpanStatus.OK, null));
    for (int i = 0; i < 300; i++) { // far-apart writes: the trace index splits them into several ranges
      String other = traceId(0x1000 + i);
      write(span(other, spanId(1), null, "other", "svc", T0 + i * MS, T0 + i * MS + 1, SpanStatus.OK, null));
      if (i % 100 == 99) {
        LlmCall c = call(t, spanId(10 + i), "openai", "m", "svc", null, T0 + i * MS, T0 + i * MS + 5, null, 1, 1,
            BigDecimal.ONE, CallStatus.OK);
        write(llmSpan(t, spanId(10 + i), spanId(1), "svc", c));
      }
    }
    TraceDetail d = store.trace(t).orElseThrow();
    assertThat(d.spans()).hasSize(4);
    assertThat(d.spans()).filteredOn(sp -> sp.llm() != null).hasSize(3);
    assertThat(store.calls(CallQuery.forTrace(t))).hasSize(3);
    assertThat(store.trace(traceId(0x1000)).orElseThrow().spans()).hasSize(1);
  }

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

  // ------------------------------------------------------------------ calls

  @Test
  void callListFiltersAndOrdersNewestFirst() {
    writeThreeTraces();
    String d = traceId(0xD);
    LlmCall d1 = call(d, spanId(1), "anthropic", "claude", "batch", null, T0 + 20 * 60_000 * MS,
        T0 + 20 * 60_000 * MS + 400 * MS, null, 5, 5, new BigDecimal("0.01"), CallStatus.ERROR);
    LlmCall d1b = new LlmCall(d1.provider(), d1.operation(), d1.requestModel(), "claude-2025", d1.streaming(),
        d1.usage(), d1.timing(), d1.cost(), d1.outcome(), d1.context(), d1.content());
    write(llmSpan(d, spanId(1), null, "batch", d1b));

    assertThat(store.calls(new CallQuery(null, null, null, null, null, null, null, 10)))
        .extracting(LlmCall::provider).containsExactly("anthropic", "vllm", "openai");
    assertThat(store.calls(new CallQuery(null, "openai", null, null, null, null, null, 10))).hasSize(1);
    assertThat(store.calls(new CallQuery(null, null, "claude", null, null, null, null, 10))).hasSize(1);
    assertThat(store.calls(new CallQuery(null, null, "claude-2025", null, null, null, null, 10))).hasSize(1);
    assertThat(store.calls(new CallQuery(null, null, "llama", null, null, null, null, 10)))
        .extracting(LlmCall::provider).containsExactly("vllm");
    assertThat(store.calls(new CallQuery(null, null, null, "batch", null, null, null, 10))).hasSize(1);
    assertThat(store.calls(new CallQuery(null, null, null, null, "error", null, null, 10)))
        .extracting(LlmCall::provider).containsExactly("anthropic");
    assertThat(store.calls(new CallQuery(null, null, null, null, "ok", null, null, 10))).hasSize(2);
    Instant t0 = Instant.parse("2025-01-15T10:00:00Z");
    assertThat(store.calls(new CallQuery(null, null, null, null, null, t0.plusMillis(100), null, 10)))
        .extracting(LlmCall::provider).containsExactly("anthropic", "vllm");
    assertThat(store.calls(new CallQuery(null, null, null, null, null, null, t0.plusMillis(600), 10)))
        .extracting(LlmCall::provider).containsExactly("openai");
    assertThat(store.calls(new CallQuery(traceId(0xA), null, null, null, null, null, null, 10))).hasSize(2);
    assertThat(store.calls(new CallQuery(null, null, null, null, null, null, null, 2))).hasSize(2);
  }

  // ------------------------------------------------------------------ summary

  /**
   * Model m1 (openai, svc-a, route R1): latencies 100..1000 ms (10 calls), TTFT 10..100 ms on the
   * odd ones, 2 errors, 1 unpriced. Model m2 (anthropic, svc-b, R2): 3 calls of 50, 60, 70 ms.
   */
  private void writeSummaryData() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String t = traceId(100 + i);
      long start = T0 + i * 1_000 * MS;
      long end = start + i * 100 * MS;
      Long ttft = i % 2 == 1 ? i * 10 * MS : null;
      BigDecimal cost = i == 10 ? null : new BigDecimal("0.001").multiply(BigDecimal.valueOf(i));
      CallStatus status = i == 3 || i == 7 ? CallStatus.ERROR : CallStatus.OK;
      spans.add(span(t, spanId(1), null, "R1", "svc-a", start, end, SpanStatus.OK, null));
      spans.add(llmSpan(t, spanId(2), spanId(1), "svc-a",
          call(t, spanId(2), "openai", "m1", "svc-a", "R1", start, end, ttft, 100 * i, 11, cost, status)));
    }
    for (int i = 1; i <= 3; i++) {
      String t = traceId(200 + i);
      long start = T0 + 30 * 60_000 * MS + i * MS;
      long end = start + (40 + 10 * i) * MS;
      spans.add(llmSpan(t, spanId(1), null, "svc-b",
          call(t, spanId(1), "anthropic", "m2", "svc-b", "R2", start, end, null, 7, 3, new BigDecimal("0.5"),
              CallStatus.OK)));
    }
    store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
  }

  /** percentile_cont over sorted values. */
  protected static double cont(double q, double... sorted) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
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

  // ------------------------------------------------------------------ routes

  @Test
  void routeIsFilledWhenTheRootSpanArrivesInALaterWrite() {
    String t = traceId(400);
    LlmCall c = call(t, spanId(2), "openai", "m", "svc", null, T0 + MS, T0 + 5 * MS, null, 1, 1, BigDecimal.ONE,
        CallStatus.OK);
    write(llmSpan(t, spanId(2), spanId(1), "svc", c));
    assertThat(store.calls(CallQuery.forTrace(t)).get(0).context().route()).isNull();

    write(span(t, spanId(1), null, "POST /ask", "svc", T0, T0 + 10 * MS, SpanStatus.OK, null));
    assertThat(store.calls(CallQuery.forTrace(t)).get(0).context().route()).isEqualTo("POST /ask");
    assertThat(store.summary(new SummaryQuery(GroupBy.ROUTE, null, null)))
        .extracting(SummaryRow::key).containsExactly("POST /ask");
  }

  @Test
  void routeIsFilledWhenTheRootSpanArrivedInAnEarlierWriteOrTheSameWrite() {
    String early = traceId(401);
    write(span(early, spanId(1), null, "GET /early", "svc", T0, T0 + 10 * MS, SpanStatus.OK, null));
    write(llmSpan(early, spanId(2), spanId(1), "svc", call(early, spanId(2), "openai", "m", "svc", null, T0 + MS,
        T0 + 2 * MS, null, 1, 1, BigDecimal.ONE, CallStatus.OK)));
    String same = traceId(402);
    store.write(List.of(
        TelemetryBatch.ofSpans("a", List.of(llmSpan(same, spanId(2), spanId(1), "svc", call(same, spanId(2), "openai",
            "m", "svc", null, T0 + MS, T0 + 2 * MS, null, 1, 1, BigDecimal.ONE, CallStatus.OK)))),
        TelemetryBatch.ofSpans("b", List.of(span(same, spanId(1), null, "GET /same", "svc", T0, T0 + 10 * MS,
            SpanStatus.OK, null)))));
    assertThat(store.calls(CallQuery.forTrace(early)).get(0).context().route()).isEqualTo("GET /early");
    assertThat(store.calls(CallQuery.forTrace(same)).get(0).context().route()).isEqualTo("GET /same");
  }

  @Test
  void aRouteSetByThePipelineIsKept() {
    String t = traceId(403);
    write(llmSpan(t, spanId(2), spanId(1), "svc", call(t, spanId(2), "openai", "m", "svc", "given", T0, T0 + MS, null,
        1, 1, BigDecimal.ONE, CallStatus.OK)));
    write(span(t, spanId(1), null, "root name", "svc", T0, T0 + 10 * MS, SpanStatus.OK, null));
    assertThat(store.calls(CallQuery.forTrace(t)).get(0).context().route()).isEqualTo("given");
  }

  // ------------------------------------------------------------------ hostile content

  @Test
  void hostileStringsAreStoredVerbatimAndLoneSurrogatesReplaced() {
    String quote = "it's \"quoted\" \\ back\\slash";
    String injection = "x'; DROP TABLE spans; --";
    String surrogates = "a\uD800b\uDC00c \uD83D\uDE42";
    String control = "tab\tnew\nline\u0000nul\u001b[31m";
    String huge = "é".repeat(1_000_000);
    String t = traceId(500);
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(injection, quote);
    attrs.put("surrogates", surrogates);
    attrs.put("control", control);
    attrs.put("huge", huge);
    attrs.put("key\uDFFF", List.of(surrogates));
    LlmCall call = call(t, spanId(1), injection, quote, injection, surrogates, T0, T0 + MS, null, 1, 1,
        BigDecimal.ONE, CallStatus.OK)
        .withContent(new Content(huge, control, injection, "not json at all {"));
    Span s = new Span(t, spanId(1), null, injection, SpanKind.SERVER, T0, T0 + MS, SpanStatus.OK, control,
        quote, surrogates, attrs, Map.of(), List.of(new SpanEvent(injection, T0, Map.of("q", quote), control)),
        SpanCategory.LLM, call, List.of(injection));
    write(s);

    assertThat(store.spanCount()).isEqualTo(1);
    Span back = store.trace(t).orElseThrow().spans().get(0);
    String cleaned = "a\uFFFDb\uFFFDc \uD83D\uDE42";
    assertThat(back.name()).isEqualTo(injection);
    assertThat(back.statusMessage()).isEqualTo(control);
    assertThat(back.service()).isEqualTo(quote);
    assertThat(back.scopeName()).isEqualTo(cleaned);
    assertThat(back.attributes().get(injection)).isEqualTo(quote);
    assertThat(back.attributes().get("surrogates")).isEqualTo(cleaned);
    assertThat(back.attributes().get("control")).isEqualTo(control);
    assertThat(back.attributes().get("huge")).isEqualTo(huge);
    assertThat(back.attributes().get("key\uFFFD")).isEqualTo(List.of(cleaned));
    assertThat(back.events().get(0).name()).isEqualTo(injection);
    assertThat(back.events().get(0).body()).isEqualTo(control);
    assertThat(back.unmappedAttributes()).containsExactly(injection);
    LlmCall c = back.llm();
    assertThat(c.provider()).isEqualTo(injection);
    assertThat(c.requestModel()).isEqualTo(quote);
    assertThat(c.context().route()).isEqualTo(cleaned);
    assertThat(c.content().inputMessagesJson()).isEqualTo(huge);
    assertThat(c.content().outputMessagesJson()).isEqualTo(control);
    assertThat(c.content().toolDefinitionsJson()).isEqualTo("not json at all {");

    // user input used as query values is never SQL
    assertThat(store.calls(new CallQuery(null, injection, null, null, null, null, null, 10))).hasSize(1);
    assertThat(store.traces(new TraceQuery(null, null, quote, 10))).hasSize(1);
    assertThat(store.trace(injection)).isEmpty();
    assertThat(store.calls(new CallQuery(null, null, null, null, null, null, null, 10))).hasSize(1);
  }

  @Test
  void unmappedAttributeKeysAreListedMostFrequentFirstWithinTheWindow() {
    Span a = span(traceId(900), spanId(1), null, "a", "svc", T0, T0 + 10 * MS, SpanStatus.OK, null)
        .withNormalized(SpanCategory.OTHER, null, List.of("vendor.x", "vendor.y"));
    Span b = span(traceId(900), spanId(2), spanId(1), "b", "svc", T0 + MS, T0 + 2 * MS, SpanStatus.OK, null)
        .withNormalized(SpanCategory.OTHER, null, List.of("vendor.x", "it's \"quoted\""));
    Span late = span(traceId(901), spanId(3), null, "c", "svc", T0 + 3_600_000 * MS, T0 + 3_600_001 * MS,
        SpanStatus.OK, null).withNormalized(SpanCategory.OTHER, null, List.of("vendor.z"));
    Span none = span(traceId(902), spanId(4), null, "d", "svc", T0, T0 + MS, SpanStatus.OK, null);
    write(a, b, late, none);
    List<UnmappedKey> all = store.unmappedAttributes(null, null, 100);
    assertThat(all).extracting(UnmappedKey::key).containsExactly("vendor.x", "it's \"quoted\"", "vendor.y", "vendor.z");
    assertThat(all.get(0).spans()).isEqualTo(2);
    assertThat(all.get(0).lastSeen()).isEqualTo(Instant.ofEpochSecond(0, T0 + MS));
    List<UnmappedKey> firstHour = store.unmappedAttributes(Instant.ofEpochSecond(0, T0),
        Instant.ofEpochSecond(0, T0 + 3_600_000 * MS), 2);
    assertThat(firstHour).extracting(UnmappedKey::key).containsExactly("vendor.x", "it's \"quoted\"");
  }

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

  // ------------------------------------------------------------------ cost analytics

  private static final long MIN = 60_000 * MS;

  /** A priced cost from its parts; the total is their sum. */
  private static Cost priced(String input, String cacheRead, String cacheWrite, String output, String reasoning) {
    BigDecimal[] p = {new BigDecimal(input), new BigDecimal(cacheRead), new BigDecimal(cacheWrite),
        new BigDecimal(output), new BigDecimal(reasoning)};
    BigDecimal total = Arrays.stream(p).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Cost(CostStatus.PRICED, total, p[0], p[1], p[2], p[3], p[4], "key", null, null);
  }

  private static Span costSpan(int n, String provider, String model, String service, String route, String user,
      String session, long startNs, Cost cost) {
    String t = traceId(3000 + n);
    LlmCall call = new LlmCall(provider, "chat", model, null, false, Usage.reported(10, 0, 0, 0, 5, 0),
        Timing.of(startNs, startNs + MS), cost, new Outcome(CallStatus.OK, 200, null, List.of("stop")),
        new CallContext(t, spanId(1), service, route, session, user, null, null, List.of()), Content.NONE);
    return llmSpan(t, spanId(1), null, service, call);
  }

  /**
   * T0 = 2025-01-15T10:00Z. Cost parts are (input, cache read, cache write, output, reasoning):
   * <pre>
   *  call  start            model    provider   service route       user session cost
   *  A     10:05            gpt-4o   openai     api     POST /chat  u1   s1      .0025+.00125+0+.01+0      = .01375
   *  B     11:10            gpt-4o   openai     api     POST /chat  u2   s2      .005+0+0+.02+0            = .025
   *  C     10:10            claude   anthropic  worker  /summarize  u1   s1      .003+.0003+.00375+.015+0  = .02205
   *  D     10:59:59.999999999 o3-mini openai    api     POST /chat  u1   s3      .0011+.00055+0+.0044+.0088 = .01485
   *  E     10:20            my-ft    vllm       worker  /summarize  -    -       unpriced
   *  F     16th 00:00       my-ft    vllm       worker  /summarize  -    -       unpriced
   *  G     16th 00:01       gpt-4o   openai     api     POST /chat  u2   s2      .0025+0+0+.005+0          = .0075
   *  H     10:15            claude   anthropic  worker  /summarize  -    -       no usage (price known, no tokens)
   *  I     09:59:59.999999999 gpt-4o openai     api     POST /chat  u1   s1      1 (just before the windows)
   * </pre>
   */
  private void writeCostData() {
    write(costSpan(1, "openai", "gpt-4o", "api", "POST /chat", "u1", "s1", T0 + 5 * MIN,
            priced("0.0025", "0.00125", "0", "0.01", "0")),
        costSpan(2, "openai", "gpt-4o", "api", "POST /chat", "u2", "s2", T0 + 70 * MIN,
            priced("0.005", "0", "0", "0.02", "0")),
        costSpan(3, "anthropic", "claude", "worker", "/summarize", "u1", "s1", T0 + 10 * MIN,
            priced("0.003", "0.0003", "0.00375", "0.015", "0")),
        costSpan(4, "openai", "o3-mini", "api", "POST /chat", "u1", "s3", T0 + 60 * MIN - 1,
            priced("0.0011", "0.00055", "0", "0.0044", "0.0088")),
        costSpan(5, "vllm", "my-ft", "worker", "/summarize", null, null, T0 + 20 * MIN,
            Cost.unpriced("no price for my-ft", null)),
        costSpan(6, "vllm", "my-ft", "worker", "/summarize", null, null, T0 + 14 * 60 * MIN,
            Cost.unpriced("no price for my-ft", null)),
        costSpan(7, "openai", "gpt-4o", "api", "POST /chat", "u2", "s2", T0 + 14 * 60 * MIN + MIN,
            priced("0.0025", "0", "0", "0.005", "0")),
        costSpan(8, "anthropic", "claude", "worker", "/summarize", null, null, T0 + 15 * MIN,
            Cost.noUsage("claude", "no token usage reported", null)),
        costSpan(9, "openai", "gpt-4o", "api", "POST /chat", "u1", "s1", T0 - 1, priced("1", "0", "0", "0", "0")));
  }

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static void assertFigures(CostFigures f, long calls, long priced, long unpriced, String cost) {
    assertThat(f.calls()).as("calls").isEqualTo(calls);
    assertThat(f.pricedCalls()).as("priced calls").isEqualTo(priced);
    assertThat(f.unpricedCalls()).as("unpriced calls").isEqualTo(unpriced);
    if (cost == null) {
      assertThat(f.costUsd()).as("cost").isNull();
    } else {
      assertThat(f.costUsd()).as("cost").isEqualByComparingTo(cost);
    }
  }

  private static void assertPoint(CostPoint p, String start, long calls, long priced, long unpriced, String cost) {
    assertThat(p.start()).isEqualTo(at(start));
    assertFigures(p.figures(), calls, priced, unpriced, cost);
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
