package dev.sightline.alerts.budget;

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
import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Priced calls as the pipeline hands them to the ledger, and a clock the tests move. */
final class Calls {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private Calls() {}

  static TelemetryBatch batch(Instant start, String service, String route, String user, String usd) {
    return TelemetryBatch.ofSpans("test", List.of(span(start, service, route, user, usd)));
  }

  static Span span(Instant start, String service, String route, String user, String usd) {
    int n = SEQ.incrementAndGet();
    String trace = String.format("%032x", n);
    String id = String.format("%016x", n);
    long s = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    Cost cost = new Cost(CostStatus.PRICED, new BigDecimal(usd), new BigDecimal(usd), null, null, BigDecimal.ZERO,
        null, "gpt-4o", null, null);
    LlmCall c = new LlmCall("openai", "chat", "gpt-4o", null, false, Usage.reported(100, 0, 0, 0, 20, 0),
        new Timing(s, s + 1_000_000, null, null, null, null), cost,
        new Outcome(CallStatus.OK, 200, null, List.of("stop")),
        new CallContext(trace, id, service, route, null, user, null, null, List.of()), Content.NONE);
    return new Span(trace, id, null, "chat gpt-4o", SpanKind.CLIENT, s, s + 1_000_000, SpanStatus.OK, null, service,
        "scope", Map.of(), Map.of(), List.of(), SpanCategory.LLM, c, List.of());
  }

  /** A clock that stands still until moved. */
  static final class Clock implements InstantSource {
    private final AtomicReference<Instant> now;

    Clock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void set(Instant t) {
      now.set(t);
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
