package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.sightline.model.Score;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built batches that use every field of every record, and the comparison the tests share. */
final class TestBatches {
  private TestBatches() {}

  static final long T0 = 1_760_000_000_123_456_789L;
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  /** Decodes what {@code batch} encodes to, and checks it is the same batch. */
  static TelemetryBatch roundTrip(TelemetryBatch batch) {
    TelemetryBatch back;
    try {
      back = BatchCodec.decode(BatchCodec.encode(batch));
    } catch (BatchFormatException e) {
      throw new AssertionError(e);
    }
    assertSame(back, batch);
    return back;
  }

  /**
   * Record equality, except that byte[] attribute values (which records compare by identity) are
   * compared by content; types are compared strictly, so a Long that came back as an Integer fails.
   */
  static void assertSame(TelemetryBatch actual, TelemetryBatch expected) {
    // Double.compare: exact, with NaN equal to NaN and -0.0 apart from 0.0 (AssertJ's default compares with a tolerance)
    assertThat(actual).usingRecursiveComparison().withStrictTypeChecking()
        .withComparatorForType(Double::compare, Double.class).isEqualTo(expected);
    if (!containsBytes(expected)) {
      assertThat(actual).isEqualTo(expected);
    }
  }

  private static boolean containsBytes(TelemetryBatch b) {
    for (Span s : b.spans()) {
      if (hasBytes(s.attributes()) || hasBytes(s.resourceAttributes())) {
        return true;
      }
      for (SpanEvent e : s.events()) {
        if (hasBytes(e.attributes()) || hasBytes(e.body())) {
          return true;
        }
      }
    }
    for (LogRecord r : b.logs()) {
      if (hasBytes(r.attributes()) || hasBytes(r.resourceAttributes()) || hasBytes(r.body())) {
        return true;
      }
    }
    for (MetricPoint p : b.metrics()) {
      if (hasBytes(p.attributes())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasBytes(Object v) {
    if (v instanceof byte[]) {
      return true;
    }
    if (v instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(TestBatches::hasBytes);
    }
    if (v instanceof List<?> l) {
      return l.stream().anyMatch(TestBatches::hasBytes);
    }
    return false;
  }

  static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Every field set, every value type, awkward values where the model allows them. */
  static TelemetryBatch everything() {
    Map<String, Object> resource = attrs("service.name", "checkout", "host.name", "node-7", "process.pid", 4242L);
    Map<String, Object> nested = attrs("inner", List.of(1L, "two", 3.5, true, attrs("deep", List.of(List.of()))),
        "empty.map", Map.of(), "empty.list", List.of());
    Map<String, Object> spanAttrs = attrs(
        "gen_ai.request.model", "gpt-4o",
        "gen_ai.usage.input_tokens", 1200L,
        "int.value", 7,
        "negative", Long.MIN_VALUE,
        "max", Long.MAX_VALUE,
        "int.min", Integer.MIN_VALUE,
        "double", 0.1,
        "nan", Double.NaN,
        "inf", Double.POSITIVE_INFINITY,
        "-inf", Double.NEGATIVE_INFINITY,
        "-zero", -0.0,
        "flag", true,
        "off", false,
        "null.value", null,
        "", "empty key",
        "empty.value", "",
        "unicode", "café ☕ 日本語 𝄞 emoji 🙂",
        "kvlist", nested,
        "array", List.of("a", "b", "a"));
    Map<String, Object> withBytes = new LinkedHashMap<>(spanAttrs);
    withBytes.put("bytes", new byte[] {0, 1, (byte) 0xFF, 127, -128});
    withBytes.put("bytes.empty", new byte[0]);

    Usage usage = new Usage(1000, 200, 50, 25, 300, 120, UsageSource.REPORTED, true, null);
    Timing timing = new Timing(T0 + 1_000, T0 + 2_500_000_000L, 350_000_000L, TtftSource.TIME_TO_FIRST_CHUNK,
        T0 + 2_400_000_000L, 80_000_000L);
    Cost cost = new Cost(CostStatus.PRICED, new BigDecimal("0.004625"), new BigDecimal("0.0025"),
        new BigDecimal("0.00025000"), new BigDecimal("1E-7"), new BigDecimal("0.003"),
        new BigDecimal("123456789012345678901234567890.123456789"), "openai/gpt-4o", "priced at 2025-01-01 prices",
        new BigDecimal("-0.0046"));
    Outcome outcome = new Outcome(CallStatus.ERROR, 429, "rate_limit_error", List.of("length", "stop"));
    CallContext context = new CallContext(TRACE, "b7ad6b7169203331", "checkout", "POST /cart", "sess-1", "user-9",
        "greeting", "v3", List.of("beta", "eu"));
    Content content = new Content("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"héllo\"}]}]",
        "[{\"role\":\"assistant\"}]", "[{\"type\":\"text\",\"content\":\"be brief\"}]", "[]");
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o", "gpt-4o-2024-08-06", true, usage, timing, cost, outcome,
        context, content, "flex");

    Span root = new Span(TRACE, "a000000000000001", null, "POST /cart", SpanKind.SERVER, T0, T0 + 3_000_000_000L,
        SpanStatus.OK, null, "checkout", "io.opentelemetry.http", Map.of("http.route", "/cart"), resource,
        List.of(), SpanCategory.HTTP, null, List.of());
    Span llm = new Span(TRACE, "b7ad6b7169203331", "a000000000000001", "chat gpt-4o", SpanKind.CLIENT, T0 + 1_000,
        T0 + 2_500_000_000L, SpanStatus.ERROR, "429 Too Many Requests", "checkout", "openai", withBytes, resource,
        List.of(new SpanEvent("gen_ai.choice", T0 + 2_000_000_000L, attrs("index", 0L), attrs("message", "hi")),
            new SpanEvent("exception", T0 - 5, Map.of(), "body as a string"),
            new SpanEvent(null, T0, null, List.of(1L, 2L))),
        SpanCategory.LLM, call, List.of("custom.key", "other"));
    Span bare = new Span(null, null, null, null, null, 0, 0, null, null, null, null, null, null, null, null, null,
        null);
    Span extremes = new Span(TRACE, "c000000000000003", "a000000000000001", "x".repeat(3_000), SpanKind.INTERNAL,
        Long.MAX_VALUE, Long.MIN_VALUE, SpanStatus.UNSET, "", "", "", Map.of("k", "v"), Map.of(), List.of(),
        SpanCategory.OTHER, new LlmCall(null, null, null, null, null, null, null, null, null, null, null), List.of());

    LogRecord log = new LogRecord(T0, T0 + 10, TRACE, "b7ad6b7169203331", 9, "INFO", "gen_ai.user.message",
        attrs("content", "what is 2+2?", "parts", List.of(attrs("type", "text"))), "checkout", "app",
        attrs("event.name", "gen_ai.user.message", "bytes", new byte[] {9, 8}), resource);
    LogRecord bareLog = new LogRecord(0, Long.MIN_VALUE, "", "", -3, null, null, null, null, null, null, null);

    List<MetricPoint> metrics = new ArrayList<>();
    metrics.add(new MetricPoint("vllm:num_requests_running", "running", "1", MetricType.GAUGE, T0, 0, "vllm",
        attrs("model", "llama"), 3.0, null, null, null, null, false));
    metrics.add(new MetricPoint("tokens", null, null, MetricType.SUM, T0, T0 - 60_000_000_000L, "vllm",
        Map.of(), 1e12, null, null, List.of(), List.of(), true, true));
    metrics.add(new MetricPoint("latency", "e2e", "s", MetricType.HISTOGRAM, T0, T0 - 1, "svc",
        attrs("le.note", "x"), null, 42L, 12.5, List.of(0.1, 0.5, 1.0, Double.POSITIVE_INFINITY),
        List.of(1L, 10L, 30L, 1L, 0L), false, false));
    metrics.add(new MetricPoint("expo", null, null, MetricType.EXPONENTIAL_HISTOGRAM, T0, T0, null, null, null,
        3L, 10.0, null, null, false, true));
    metrics.add(new MetricPoint("quantiles", null, null, MetricType.SUMMARY, T0, 0, null, null, Double.NaN,
        Long.MAX_VALUE, -0.0, null, null, true));
    metrics.add(new MetricPoint(null, null, null, null, Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, null,
        null, null, null, false));

    List<Score> scores = List.of(
        new Score(TRACE, "b7ad6b7169203331", "groundedness", 0.75, "supported", false, "3 of 4 sentences",
            Score.SOURCE_EVALUATOR, "groundedness", "2", "{\"sentences\":[]}", T0),
        new Score(null, null, "injection", null, "flagged", true, null, Score.SOURCE_CLIENT, null, null, null, 0),
        Score.notEvaluated(TRACE, "x", "commitment", "no answer", "commitment", "1", -1));
    return new TelemetryBatch("otlp-http", List.of(root, llm, bare, extremes), List.of(log, bareLog), metrics,
        scores, "acme");
  }
}
