package dev.sightline.pipeline;

import dev.sightline.model.CallContext;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.semconv.ClientScores;
import dev.sightline.semconv.SpanNormalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor chain for one batch: mask credentials, read the scores clients send, join GenAI log events to
 * their spans, normalize (semconv → canonical), derive the route from the trace's root span, price every LLM
 * call, and mask personal data in content ({@link PiiMode}). Pure: records in, records out; the only state is the
 * bounded cache of events whose span has not arrived yet (and the PII counters).
 */
public final class BatchProcessor {
  private final SpanNormalizer normalizer;
  private final CostCalculator pricer;
  private final PendingEvents pendingEvents;
  private final PiiMode piiMode;
  private final PiiCounters piiCounters = new PiiCounters();
  private final PiiRedaction pii;

  /** A processor that masks personal data in content ({@link PiiMode#MASK}). */
  public BatchProcessor(SpanNormalizer normalizer, CostCalculator pricer) {
    this(normalizer, pricer, PiiMode.MASK);
  }

  /** A processor that treats content as {@code piiMode} says (null: {@link PiiMode#MASK}). */
  public BatchProcessor(SpanNormalizer normalizer, CostCalculator pricer, PiiMode piiMode) {
    this(normalizer, pricer, piiMode, new PendingEvents(10_000, 120_000_000_000L));
  }

  BatchProcessor(SpanNormalizer normalizer, CostCalculator pricer, PendingEvents pendingEvents) {
    this(normalizer, pricer, PiiMode.MASK, pendingEvents);
  }

  BatchProcessor(SpanNormalizer normalizer, CostCalculator pricer, PiiMode piiMode, PendingEvents pendingEvents) {
    this.normalizer = normalizer;
    this.pricer = pricer;
    this.pendingEvents = pendingEvents;
    this.piiMode = piiMode == null ? PiiMode.MASK : piiMode;
    this.pii = new PiiRedaction(this.piiMode, piiCounters);
  }

  public PiiMode piiMode() {
    return piiMode;
  }

  /** What PII masking has masked and dropped so far, for {@code /metrics}. */
  public PiiCounters piiCounters() {
    return piiCounters;
  }

  /**
   * The batch normalized and priced, then with content masked (or dropped) as the PII mode says:
   * masking comes last so that it covers the canonical content normalization derived as well as
   * the attributes it was derived from.
   */
  public TelemetryBatch process(TelemetryBatch batch) {
    return pii.apply(normalizeAndPrice(batch));
  }

  private TelemetryBatch normalizeAndPrice(TelemetryBatch batch) {
    batch = SecretRedactor.redact(batch);
    // scores clients send: read from each log as it arrives (its call may be stored already) and from
    // each span before log events are joined to it, so that no score is read twice
    List<Score> scores = null;
    for (LogRecord log : batch.logs()) {
      scores = add(scores, ClientScores.fromLog(log));
    }
    if (batch.spans().isEmpty()) {
      parkSpanLogs(batch.logs(), Map.of());
      return withScores(batch, scores);
    }
    Map<String, List<SpanEvent>> joined = new HashMap<>();
    Map<String, Integer> spanIndex = new HashMap<>();
    for (int i = 0; i < batch.spans().size(); i++) {
      spanIndex.put(batch.spans().get(i).spanId(), i);
    }
    parkSpanLogs(batch.logs(), spanIndex);
    for (LogRecord log : batch.logs()) {
      if (log.spanId() != null && spanIndex.containsKey(log.spanId())) {
        joined.computeIfAbsent(log.spanId(), k -> new ArrayList<>()).add(log.toSpanEvent());
      }
    }
    Map<String, String> routes = new HashMap<>();
    List<Span> out = new ArrayList<>(batch.spans().size());
    for (Span raw : batch.spans()) {
      scores = add(scores, ClientScores.fromSpan(raw));
      List<SpanEvent> extra = joined.get(raw.spanId());
      List<SpanEvent> parked = pendingEvents.take(raw.spanId());
      if (extra != null || parked != null) {
        List<SpanEvent> events = new ArrayList<>(raw.events());
        if (parked != null) {
          events.addAll(parked);
        }
        if (extra != null) {
          events.addAll(extra);
        }
        raw = raw.withEvents(events);
      }
      if (raw.isRoot()) {
        routes.put(raw.traceId(), raw.name());
      }
      // A span that already carries its LLM call (the gateway measured it on the wire) keeps it:
      // re-deriving it from attributes would lose what only the wire shows (last token, max gap).
      out.add(raw.llm() != null ? raw : normalizer.normalize(raw));
    }
    for (int i = 0; i < out.size(); i++) {
      Span s = out.get(i);
      LlmCall call = s.llm();
      if (call == null) {
        continue;
      }
      CallContext ctx = call.context();
      String route = routes.get(s.traceId());
      if (route != null && ctx != null && ctx.route() == null) {
        call = call.withContext(ctx.withRoute(route));
      }
      out.set(i, s.withLlm(pricer.price(call)));
    }
    return withScores(batch.withSpans(out), scores);
  }

  private static List<Score> add(List<Score> to, List<Score> more) {
    if (more.isEmpty()) {
      return to;
    }
    List<Score> out = to == null ? new ArrayList<>() : to;
    out.addAll(more);
    return out;
  }

  private static TelemetryBatch withScores(TelemetryBatch batch, List<Score> clientScores) {
    if (clientScores == null) {
      return batch;
    }
    List<Score> all = new ArrayList<>(batch.scores());
    all.addAll(clientScores);
    return batch.withScores(all);
  }

  /** Keeps span-bound log events whose span is not in this batch, for a span that comes later. */
  private void parkSpanLogs(List<LogRecord> logs, Map<String, Integer> spanIndex) {
    for (LogRecord log : logs) {
      if (log.spanId() != null && !spanIndex.containsKey(log.spanId()) && log.effectiveEventName() != null) {
        pendingEvents.put(log.spanId(), log.toSpanEvent());
      }
    }
  }
}
