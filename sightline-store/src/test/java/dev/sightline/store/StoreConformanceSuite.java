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
 * What the core conformance suites share: opening and reopening the engine's store, fixtures and
 * the data sets several families read. The behaviour lives in one suite per family of the
 * {@link Store} interface ({@link WriteConformanceSuite}, {@link TraceConformanceSuite},
 * {@link CallConformanceSuite}, {@link SummaryConformanceSuite}, {@link CostConformanceSuite});
 * an engine's tests extend each of them and supply {@link #openStore}, and the engine is done when
 * they all pass.
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

  protected static final RecursiveComparisonConfiguration EXACT = RecursiveComparisonConfiguration.builder()
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

  protected static Map<String, Object> allValueTypes() {
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

  // ------------------------------------------------------------------ traces

  /** Three traces: A (10:00, api, 2 calls, one unpriced), B (10:05, worker, error span), C (10:10, rootless). */
  protected void writeThreeTraces() {
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

  // ------------------------------------------------------------------ summary

  /**
   * Model m1 (openai, svc-a, route R1): latencies 100..1000 ms (10 calls), TTFT 10..100 ms on the
   * odd ones, 2 errors, 1 unpriced. Model m2 (anthropic, svc-b, R2): 3 calls of 50, 60, 70 ms.
   */
  protected void writeSummaryData() {
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

  // ------------------------------------------------------------------ cost analytics

  protected static final long MIN = 60_000 * MS;

  /** A priced cost from its parts; the total is their sum. */
  protected static Cost priced(String input, String cacheRead, String cacheWrite, String output, String reasoning) {
    BigDecimal[] p = {new BigDecimal(input), new BigDecimal(cacheRead), new BigDecimal(cacheWrite),
        new BigDecimal(output), new BigDecimal(reasoning)};
    BigDecimal total = Arrays.stream(p).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Cost(CostStatus.PRICED, total, p[0], p[1], p[2], p[3], p[4], "key", null, null);
  }

  protected static Span costSpan(int n, String provider, String model, String service, String route, String user,
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
  protected void writeCostData() {
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

  protected static Instant at(String iso) {
    return Instant.parse(iso);
  }

  protected static void assertFigures(CostFigures f, long calls, long priced, long unpriced, String cost) {
    assertThat(f.calls()).as("calls").isEqualTo(calls);
    assertThat(f.pricedCalls()).as("priced calls").isEqualTo(priced);
    assertThat(f.unpricedCalls()).as("unpriced calls").isEqualTo(unpriced);
    if (cost == null) {
      assertThat(f.costUsd()).as("cost").isNull();
    } else {
      assertThat(f.costUsd()).as("cost").isEqualByComparingTo(cost);
    }
  }

  protected static void assertPoint(CostPoint p, String start, long calls, long priced, long unpriced, String cost) {
    assertThat(p.start()).isEqualTo(at(start));
    assertFigures(p.figures(), calls, priced, unpriced, cost);
  }

}
