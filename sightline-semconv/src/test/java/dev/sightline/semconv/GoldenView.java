package dev.sightline.semconv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.CallContext;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.io.IOException;
import java.util.List;

/** The readable JSON form of a normalized span that golden files hold. */
final class GoldenView {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private GoldenView() {}

  static ObjectNode span(Span s) {
    ObjectNode o = F.objectNode();
    o.put("name", s.name());
    o.put("traceId", s.traceId());
    o.put("spanId", s.spanId());
    o.put("category", s.category().wire());
    ArrayNode unmapped = o.putArray("unmappedAttributes");
    s.unmappedAttributes().forEach(unmapped::add);
    o.set("llm", s.llm() == null ? F.nullNode() : llm(s.llm()));
    return o;
  }

  static ObjectNode llm(LlmCall c) {
    ObjectNode o = F.objectNode();
    o.put("provider", c.provider());
    o.put("operation", c.operation());
    o.put("requestModel", c.requestModel());
    o.put("responseModel", c.responseModel());
    if (c.streaming() == null) {
      o.putNull("streaming");
    } else {
      o.put("streaming", c.streaming());
    }
    o.put("serviceTier", c.serviceTier());
    o.set("usage", usage(c.usage()));
    o.set("timing", timing(c.timing()));
    o.set("cost", cost(c.cost()));
    o.set("outcome", outcome(c.outcome()));
    o.set("context", context(c.context()));
    o.set("content", content(c.content()));
    return o;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode o = F.objectNode();
    o.put("source", u.source().wire());
    o.put("inputUncached", u.inputUncached());
    o.put("inputCacheRead", u.inputCacheRead());
    o.put("inputCacheWrite5m", u.inputCacheWrite5m());
    o.put("inputCacheWrite1h", u.inputCacheWrite1h());
    o.put("outputText", u.outputText());
    o.put("outputReasoning", u.outputReasoning());
    o.put("inputTokens", u.inputTokens());
    o.put("outputTokens", u.outputTokens());
    o.put("inferredExclusive", u.inferredExclusive());
    o.put("rejectedReason", u.rejectedReason());
    return o;
  }

  static ObjectNode timing(Timing t) {
    ObjectNode o = F.objectNode();
    o.put("startEpochNanos", t.startEpochNanos());
    o.put("endEpochNanos", t.endEpochNanos());
    o.put("ttftNanos", t.ttftNanos());
    o.put("ttftSource", t.ttftSource() == null ? null : t.ttftSource().wire());
    return o;
  }

  static JsonNode cost(Cost c) {
    if (c == null) {
      return F.nullNode();
    }
    ObjectNode o = F.objectNode();
    o.put("status", c.status().wire());
    o.put("reason", c.reason());
    o.put("reportedUsd", c.reportedUsd() == null ? null : c.reportedUsd().toPlainString());
    return o;
  }

  static ObjectNode outcome(Outcome oc) {
    ObjectNode o = F.objectNode();
    o.put("status", oc.status().wire());
    o.put("httpStatus", oc.httpStatus());
    o.put("errorType", oc.errorType());
    ArrayNode f = o.putArray("finishReasons");
    oc.finishReasons().forEach(f::add);
    return o;
  }

  static ObjectNode context(CallContext c) {
    ObjectNode o = F.objectNode();
    o.put("traceId", c.traceId());
    o.put("spanId", c.spanId());
    o.put("service", c.service());
    o.put("route", c.route());
    o.put("sessionId", c.sessionId());
    o.put("userId", c.userId());
    o.put("promptName", c.promptName());
    o.put("promptVersion", c.promptVersion());
    ArrayNode tags = o.putArray("tags");
    c.tags().forEach(tags::add);
    return o;
  }

  /** Content JSON strings shown parsed, so a golden diff reads as structure, not escaped text. */
  static ObjectNode content(Content c) {
    ObjectNode o = F.objectNode();
    o.set("inputMessages", parsed(c.inputMessagesJson()));
    o.set("outputMessages", parsed(c.outputMessagesJson()));
    o.set("systemInstructions", parsed(c.systemInstructionsJson()));
    o.set("toolDefinitions", parsed(c.toolDefinitionsJson()));
    return o;
  }

  static JsonNode parsed(String json) {
    if (json == null) {
      return F.nullNode();
    }
    try {
      return Fixtures.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("normalizer produced invalid JSON: " + json, e);
    }
  }

  static ObjectNode logEvent(LogRecord l) {
    SpanEvent e = l.toSpanEvent();
    ObjectNode o = F.objectNode();
    o.put("name", e.name());
    o.put("timeEpochNanos", e.timeEpochNanos());
    o.put("joinsSpanId", l.spanId());
    o.put("bodyType", e.body() == null ? null : e.body() instanceof List<?> ? "list"
        : e.body() instanceof java.util.Map<?, ?> ? "map" : "string");
    return o;
  }
}
