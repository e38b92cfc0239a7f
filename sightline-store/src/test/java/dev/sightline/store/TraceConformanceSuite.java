package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trace reads: the trace list and its filters, one trace or span, traces read together, unmapped keys. */
public abstract class TraceConformanceSuite extends StoreConformanceSuite {

  // ------------------------------------------------------------------ traces
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
}
