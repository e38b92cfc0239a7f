package dev.sightline.bus;

import static dev.sightline.bus.TestBatches.T0;
import static dev.sightline.bus.TestBatches.TRACE;
import static dev.sightline.bus.TestBatches.attrs;
import static dev.sightline.bus.TestBatches.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A writer node reads back exactly the batch an ingest node published. */
class BatchRoundTripTest {

  @Test
  void everyFieldOfEveryRecordComesBack() {
    TelemetryBatch back = roundTrip(TestBatches.everything());
    Span llm = back.spans().get(1);
    // the awkward values, spelled out so that a lenient comparison could not hide them
    assertThat((byte[]) llm.attributes().get("bytes")).containsExactly(0, 1, 0xFF, 127, -128);
    assertThat(llm.attributes().get("int.value")).isInstanceOf(Integer.class).isEqualTo(7);
    assertThat(llm.attributes().get("gen_ai.usage.input_tokens")).isInstanceOf(Long.class).isEqualTo(1200L);
    assertThat(Double.doubleToRawLongBits((Double) llm.attributes().get("-zero")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat((Double) llm.attributes().get("nan")).isNaN();
    assertThat(llm.attributes()).containsKey("null.value").containsEntry("null.value", null);
    assertThat(List.copyOf(llm.attributes().keySet())).isEqualTo(List.copyOf(
        TestBatches.everything().spans().get(1).attributes().keySet()));
    assertThat(llm.llm().cost().reasoningUsd()).isEqualTo(new BigDecimal("123456789012345678901234567890.123456789"));
    assertThat(llm.llm().cost().cacheReadUsd().scale()).isEqualTo(8);
    assertThat(back.spans().get(3).name()).hasSize(3_000);
    assertThat(back.spans().get(3).startEpochNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(back.spans().get(3).endEpochNanos()).isEqualTo(Long.MIN_VALUE);
    assertThat(back.project()).isEqualTo("acme");
  }

  @Test
  void anEmptyBatchIsSeventeenBytesAndComesBack() {
    TelemetryBatch empty = new TelemetryBatch(null, null, null, null, null, null);
    // header, null receiver, "default" with its length, four empty counts
    assertThat(BatchCodec.encode(empty)).hasSize(4 + 1 + 8 + 4);
    roundTrip(empty);
    roundTrip(TelemetryBatch.ofSpans("gateway", List.of()));
  }

  @Test
  void theHeaderIsTheMagicAndTheVersion() {
    byte[] b = BatchCodec.encode(TelemetryBatch.ofSpans("x", List.of()));
    assertThat(new String(b, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SLB");
    assertThat(b[3]).isEqualTo((byte) 1);
    assertThat(BatchCodec.VERSION).isEqualTo(1);
  }

  @Test
  void stringsOfEveryKindComeBack() {
    List<String> values = List.of("", " ", "ascii", "é", "日本語", "𝄞 outside the BMP", "🙂🙃", "nul\u0000inside",
        "a".repeat(127), "a".repeat(128), "b".repeat(129), "z".repeat(1 << 20), "ü".repeat(100_000));
    List<Span> spans = new ArrayList<>();
    for (String v : values) {
      spans.add(Span.received(TRACE, "s", null, v, SpanKind.INTERNAL, T0, T0, SpanStatus.UNSET, v, v, v,
          attrs(v, v, "again", v), Map.of(), List.of()));
    }
    TelemetryBatch back = roundTrip(TelemetryBatch.ofSpans("otlp-grpc", spans));
    for (int i = 0; i < values.size(); i++) {
      assertThat(back.spans().get(i).name()).isEqualTo(values.get(i));
    }
  }

  @Test
  void aRepeatedStringIsWrittenOnceAndASharedMapOnce() {
    Map<String, Object> resource = attrs("service.name", "checkout", "telemetry.sdk.language", "java",
        "host.name", "a-rather-long-host-name.eu-west-1.compute.internal");
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      spans.add(Span.received(TRACE, "%016x".formatted(i), null, "GET /items", SpanKind.SERVER, T0 + i, T0 + i + 5,
          SpanStatus.OK, null, "checkout", "lib", attrs("http.route", "/items"), resource, List.of()));
    }
    byte[] shared = BatchCodec.encode(TelemetryBatch.ofSpans("otlp-http", spans));
    List<Span> copies = spans.stream().map(s -> Span.received(s.traceId(), s.spanId(), null, s.name(), s.kind(),
        s.startEpochNanos(), s.endEpochNanos(), s.status(), null, s.service(), s.scopeName(), Map.copyOf(
            s.attributes()), new java.util.LinkedHashMap<>(resource), List.of())).toList();
    byte[] unshared = BatchCodec.encode(TelemetryBatch.ofSpans("otlp-http", copies));
    // a new 16-character span id and an 8-byte start a span; the rest are references and one-byte fields
    assertThat(shared.length / 100).isLessThan(17 + 8 + 22);
    assertThat(unshared.length).isGreaterThan(shared.length);
    TelemetryBatch back = roundTrip(TelemetryBatch.ofSpans("otlp-http", spans));
    assertThat(back.spans().get(0).resourceAttributes()).isSameAs(back.spans().get(99).resourceAttributes());
    roundTrip(TelemetryBatch.ofSpans("otlp-http", copies));
  }

  @Test
  void decodedMapsAreReadOnlyBecauseRecordsMayShareThem() throws Exception {
    TelemetryBatch back = roundTrip(TestBatches.everything());
    assertThatThrownBy(() -> back.spans().get(0).resourceAttributes().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @EnumSource(SpanKind.class)
  void everySpanKind(SpanKind kind) {
    roundTrip(TelemetryBatch.ofSpans("r", List.of(Span.received(TRACE, "s", null, "n", kind, T0, T0,
        SpanStatus.UNSET, null, "svc", null, null, null, null))));
  }

  @ParameterizedTest
  @EnumSource(SpanStatus.class)
  void everySpanStatus(SpanStatus status) {
    roundTrip(TelemetryBatch.ofSpans("r", List.of(Span.received(TRACE, "s", null, "n", SpanKind.CLIENT, T0, T0,
        status, "m", "svc", null, null, null, null))));
  }

  @ParameterizedTest
  @EnumSource(SpanCategory.class)
  void everySpanCategory(SpanCategory category) {
    Span s = Span.received(TRACE, "s", null, "n", SpanKind.CLIENT, T0, T0 + 1, SpanStatus.OK, null, "svc", null,
        null, null, null).withNormalized(category, null, List.of());
    roundTrip(TelemetryBatch.ofSpans("r", List.of(s)));
  }

  @ParameterizedTest
  @EnumSource(UsageSource.class)
  void everyUsageSource(UsageSource source) {
    roundTrip(withCall(call().withUsage(new Usage(1, 2, 3, 4, 5, 6, source, false, "reason"))));
  }

  @ParameterizedTest
  @EnumSource(TtftSource.class)
  void everyTtftSource(TtftSource source) {
    LlmCall c = new LlmCall("p", "chat", "m", null, false, null,
        new Timing(T0, T0 + 9, 4L, source, null, null), null, null, null, null);
    assertThat(roundTrip(withCall(c)).spans().get(0).llm().timing().ttftSource()).isEqualTo(source);
  }

  @ParameterizedTest
  @EnumSource(CostStatus.class)
  void everyCostStatus(CostStatus status) {
    roundTrip(withCall(call().withCost(new Cost(status, null, null, null, null, null, null, null, "r", null))));
  }

  @ParameterizedTest
  @EnumSource(CallStatus.class)
  void everyCallStatus(CallStatus status) {
    roundTrip(withCall(new LlmCall("p", "chat", "m", null, null, null, null, null,
        new Outcome(status, null, null, null), null, null)));
  }

  @ParameterizedTest
  @EnumSource(MetricType.class)
  void everyMetricType(MetricType type) {
    roundTrip(TelemetryBatch.ofMetrics("scrape", List.of(new MetricPoint("m", "d", "u", type, T0, T0 - 1, "svc",
        attrs("k", "v"), 1.5, 2L, 3.5, List.of(1.0), List.of(1L, 2L), true, true))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.00", "1E+3", "-1.5", "0.000000001", "12345678901234567890123456789",
      "-9223372036854775808", "9223372036854775807", "9223372036854775808", "1E-2147483647", "3.14E+2147483647"})
  void costsComeBackWithTheirScaleAndUnscaledValue(String decimal) {
    BigDecimal d = new BigDecimal(decimal);
    BigDecimal back = roundTrip(withCall(call().withCost(new Cost(CostStatus.PRICED, d, d, d, d, d, d, "k", null,
        d)))).spans().get(0).llm().cost().totalUsd();
    assertThat(back.scale()).isEqualTo(d.scale());
    assertThat(back.unscaledValue()).isEqualTo(d.unscaledValue());
  }

  @Test
  void hugeUnscaledCostsComeBack() {
    BigDecimal d = new BigDecimal(BigInteger.TWO.pow(5000).negate(), -17);
    roundTrip(withCall(call().withCost(new Cost(CostStatus.PRICED, d, null, null, null, null, null, null, null,
        null))));
  }

  @Test
  void nullableNumbersAndExtremesInTimingAndOutcome() {
    for (Integer http : new Integer[] {null, 0, 200, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      roundTrip(withCall(new LlmCall("p", "chat", "m", null, null, null,
          new Timing(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, TtftSource.GATEWAY, Long.MAX_VALUE, -1L),
          null, new Outcome(CallStatus.OK, http, null, List.of()), null, null)));
    }
    roundTrip(withCall(new LlmCall("p", "chat", "m", null, null, null,
        new Timing(T0, T0, null, null, null, 0L), null, null, new CallContext(null, null, null, null, null, null,
        null, null, null), null)));
  }

  @Test
  void deeplyNestedValuesUpToTheLimitComeBack() {
    Object v = "leaf";
    for (int i = 0; i < Tags.MAX_DEPTH; i++) {
      v = i % 2 == 0 ? List.of(v) : Map.of("k", v);
    }
    roundTrip(TelemetryBatch.ofLogs("otlp-http", List.of(new dev.sightline.model.LogRecord(T0, T0, null, null, 0,
        null, null, v, null, null, null, null))));
  }

  @Test
  void valuesTheModelDoesNotAllowAreRefusedWhenEncoding() {
    Object tooDeep = "leaf";
    for (int i = 0; i <= Tags.MAX_DEPTH; i++) {
      tooDeep = List.of(tooDeep);
    }
    for (Object bad : new Object[] {new BigDecimal("1"), 1.5f, java.util.Set.of("a"), tooDeep,
        Map.of(1, "integer key")}) {
      TelemetryBatch b = TelemetryBatch.ofSpans("r", List.of(Span.received(TRACE, "s", null, "n", SpanKind.CLIENT, T0,
          T0, SpanStatus.OK, null, "svc", null, attrs("k", bad), null, null)));
      assertThatThrownBy(() -> BatchCodec.encode(b)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad == tooDeep ? "deeper than 128" : bad instanceof Map ? "key of type"
              : bad.getClass().getName());
    }
    Map<String, Object> cyclic = new java.util.HashMap<>();
    cyclic.put("self", cyclic);
    TelemetryBatch b = TelemetryBatch.ofLogs("r", List.of(new dev.sightline.model.LogRecord(T0, T0, null, null, 0,
        null, null, null, null, null, cyclic, null)));
    assertThatThrownBy(() -> BatchCodec.encode(b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refers to itself");
  }

  private static LlmCall call() {
    return new LlmCall("anthropic", "chat", "claude", "claude-3", true, Usage.reported(1, 2, 3, 4, 5, 6),
        Timing.of(T0, T0 + 100), null, Outcome.OK, null, null);
  }

  private static TelemetryBatch withCall(LlmCall c) {
    Span s = Span.received(TRACE, "s", null, "chat", SpanKind.CLIENT, T0, T0 + 100, SpanStatus.OK, null, "svc",
        "lib", attrs("gen_ai.system", "x"), null, null).withNormalized(SpanCategory.LLM, c, List.of());
    return TelemetryBatch.ofSpans("gateway", List.of(s));
  }
}
