package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LLM call list and its filters, and the route a call takes from its trace's root span. */
public abstract class CallConformanceSuite extends StoreConformanceSuite {

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
}
