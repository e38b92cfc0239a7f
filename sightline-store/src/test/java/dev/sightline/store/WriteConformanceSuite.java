package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes: every field round-trips, a write commits whole or not at all, hostile strings stay data. */
public abstract class WriteConformanceSuite extends StoreConformanceSuite {

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
}
