package dev.sightline.bus;

import dev.sightline.model.CallContext;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Outcome;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.util.List;

/**
 * Writes a batch's records in the field order docs/bus-format.md fixes for the current version.
 * {@link BatchDecoder} reads them back in the same order; the two change together, with the version.
 */
final class BatchEncoder {
  private final ByteSink out;

  BatchEncoder(ByteSink out) {
    this.out = out;
  }

  void batch(TelemetryBatch b) {
    out.writeString(b.receiver());
    out.writeString(b.project());
    out.writeVarint(b.spans().size());
    for (Span s : b.spans()) {
      span(s);
    }
    out.writeVarint(b.logs().size());
    for (LogRecord r : b.logs()) {
      log(r);
    }
    out.writeVarint(b.metrics().size());
    for (MetricPoint p : b.metrics()) {
      metric(p);
    }
    out.writeVarint(b.scores().size());
    for (Score s : b.scores()) {
      score(s);
    }
  }

  private void span(Span s) {
    out.writeString(s.traceId());
    out.writeString(s.spanId());
    out.writeString(s.parentSpanId());
    out.writeString(s.name());
    out.writeByte(WireCodes.code(s.kind()));
    // times inside a span are written as differences from its start: small varints, and exact
    // for any longs because the difference wraps the same way on both sides
    long start = s.startEpochNanos();
    out.writeFixed64(start);
    out.writeZigzag(s.endEpochNanos() - start);
    out.writeByte(WireCodes.code(s.status()));
    out.writeString(s.statusMessage());
    out.writeString(s.service());
    out.writeString(s.scopeName());
    out.writeAttributes(s.attributes(), 1);
    out.writeAttributes(s.resourceAttributes(), 1);
    List<SpanEvent> events = s.events();
    out.writeVarint(events.size());
    for (SpanEvent e : events) {
      out.writeString(e.name());
      out.writeZigzag(e.timeEpochNanos() - start);
      out.writeAttributes(e.attributes(), 1);
      out.writeValue(e.body(), 0);
    }
    out.writeByte(WireCodes.code(s.category()));
    if (s.llm() == null) {
      out.writeByte(0);
    } else {
      out.writeByte(1);
      llm(s.llm(), start);
    }
    List<String> unmapped = s.unmappedAttributes();
    out.writeVarint(unmapped.size());
    for (String k : unmapped) {
      out.writeString(k);
    }
  }

  private void llm(LlmCall c, long spanStart) {
    out.writeString(c.provider());
    out.writeString(c.operation());
    out.writeString(c.requestModel());
    out.writeString(c.responseModel());
    out.writeNullableBoolean(c.streaming());
    usage(c.usage());
    timing(c.timing(), spanStart);
    cost(c.cost());
    outcome(c.outcome());
    context(c.context());
    Content content = c.content();
    out.writeString(content.inputMessagesJson());
    out.writeString(content.outputMessagesJson());
    out.writeString(content.systemInstructionsJson());
    out.writeString(content.toolDefinitionsJson());
    out.writeString(c.serviceTier());
  }

  private void usage(Usage u) {
    out.writeVarint(u.inputUncached());
    out.writeVarint(u.inputCacheRead());
    out.writeVarint(u.inputCacheWrite5m());
    out.writeVarint(u.inputCacheWrite1h());
    out.writeVarint(u.outputText());
    out.writeVarint(u.outputReasoning());
    out.writeByte(WireCodes.code(u.source()));
    out.writeBoolean(u.inferredExclusive());
    out.writeString(u.rejectedReason());
  }

  private void timing(Timing t, long spanStart) {
    if (t == null) {
      out.writeByte(0);
      return;
    }
    int present = (t.ttftNanos() != null ? 1 : 0) | (t.lastTokenEpochNanos() != null ? 2 : 0)
        | (t.maxInterTokenGapNanos() != null ? 4 : 0);
    out.writeByte(0x80 | present);
    long start = t.startEpochNanos();
    out.writeZigzag(start - spanStart);
    out.writeZigzag(t.endEpochNanos() - start);
    if (t.ttftNanos() != null) {
      out.writeZigzag(t.ttftNanos());
    }
    out.writeByte(WireCodes.code(t.ttftSource()));
    if (t.lastTokenEpochNanos() != null) {
      out.writeZigzag(t.lastTokenEpochNanos() - start);
    }
    if (t.maxInterTokenGapNanos() != null) {
      out.writeZigzag(t.maxInterTokenGapNanos());
    }
  }

  private void cost(Cost c) {
    if (c == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    out.writeByte(WireCodes.code(c.status()));
    out.writeDecimal(c.totalUsd());
    out.writeDecimal(c.inputUsd());
    out.writeDecimal(c.cacheReadUsd());
    out.writeDecimal(c.cacheWriteUsd());
    out.writeDecimal(c.outputUsd());
    out.writeDecimal(c.reasoningUsd());
    out.writeString(c.priceKey());
    out.writeString(c.reason());
    out.writeDecimal(c.reportedUsd());
  }

  private void outcome(Outcome o) {
    out.writeByte(WireCodes.code(o.status()));
    out.writeNullableInt(o.httpStatus());
    out.writeString(o.errorType());
    out.writeVarint(o.finishReasons().size());
    for (String r : o.finishReasons()) {
      out.writeRequiredString(r, "a finish reason");
    }
  }

  private void context(CallContext c) {
    if (c == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    out.writeString(c.traceId());
    out.writeString(c.spanId());
    out.writeString(c.service());
    out.writeString(c.route());
    out.writeString(c.sessionId());
    out.writeString(c.userId());
    out.writeString(c.promptName());
    out.writeString(c.promptVersion());
    out.writeVarint(c.tags().size());
    for (String t : c.tags()) {
      out.writeRequiredString(t, "a call's tag");
    }
  }

  private void log(LogRecord r) {
    long time = r.timeEpochNanos();
    out.writeFixed64(time);
    out.writeZigzag(r.observedEpochNanos() - time);
    out.writeString(r.traceId());
    out.writeString(r.spanId());
    out.writeZigzag(r.severityNumber());
    out.writeString(r.severityText());
    out.writeString(r.eventName());
    out.writeValue(r.body(), 0);
    out.writeString(r.service());
    out.writeString(r.scopeName());
    out.writeAttributes(r.attributes(), 1);
    out.writeAttributes(r.resourceAttributes(), 1);
  }

  private void metric(MetricPoint p) {
    out.writeString(p.name());
    out.writeString(p.description());
    out.writeString(p.unit());
    out.writeByte(WireCodes.code(p.type()));
    long time = p.timeEpochNanos();
    out.writeFixed64(time);
    out.writeZigzag(p.startEpochNanos() - time);
    out.writeString(p.service());
    out.writeAttributes(p.attributes(), 1);
    int flags = (p.value() != null ? 1 : 0) | (p.count() != null ? 2 : 0) | (p.sum() != null ? 4 : 0)
        | (p.monotonic() ? 8 : 0) | (p.delta() ? 16 : 0);
    out.writeByte(flags);
    if (p.value() != null) {
      out.writeDouble(p.value());
    }
    if (p.count() != null) {
      out.writeZigzag(p.count());
    }
    if (p.sum() != null) {
      out.writeDouble(p.sum());
    }
    out.writeVarint(p.bucketBounds().size());
    for (Double b : p.bucketBounds()) {
      if (b == null) {
        throw new IllegalArgumentException("metric " + p.name() + " has a null bucket bound");
      }
      out.writeDouble(b);
    }
    out.writeVarint(p.bucketCounts().size());
    for (Long c : p.bucketCounts()) {
      if (c == null) {
        throw new IllegalArgumentException("metric " + p.name() + " has a null bucket count");
      }
      out.writeZigzag(c);
    }
  }

  private void score(Score s) {
    out.writeString(s.traceId());
    out.writeString(s.spanId());
    out.writeString(s.name());
    int flags = (s.value() != null ? 1 : 0) | (s.flagged() != null ? 2 : 0)
        | (Boolean.TRUE.equals(s.flagged()) ? 4 : 0);
    out.writeByte(flags);
    if (s.value() != null) {
      out.writeDouble(s.value());
    }
    out.writeString(s.label());
    out.writeString(s.explanation());
    out.writeString(s.source());
    out.writeString(s.evaluator());
    out.writeString(s.evaluatorVersion());
    out.writeString(s.detailsJson());
    out.writeFixed64(s.timeEpochNanos());
  }
}
