package dev.sightline.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.Timing;
import dev.sightline.model.TraceBreakdown;
import dev.sightline.model.Usage;
import dev.sightline.pricing.ModelPrice;
import dev.sightline.pricing.PriceExplanation;
import dev.sightline.pricing.ReportedCost;
import dev.sightline.store.CostFigures;
import dev.sightline.store.CostGroup;
import dev.sightline.store.CostPoint;
import dev.sightline.store.CostReport;
import dev.sightline.store.Percentiles;
import dev.sightline.store.SummaryRow;
import dev.sightline.store.TraceDetail;
import dev.sightline.store.TraceSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API's JSON shapes (docs/api.md): camelCase, times ISO-8601 UTC, durations in
 * milliseconds, money in USD as plain decimal numbers.
 */
final class ApiJson {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private ApiJson() {}

  static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String time(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
        .toString();
  }

  static Map<String, Object> error(String code, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    return Map.of("error", e);
  }

  static Map<String, Object> traceSummary(TraceSummary t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", t.traceId());
    m.put("rootName", t.rootName());
    m.put("service", t.service());
    m.put("startTime", t.startTime() == null ? null : t.startTime().toString());
    m.put("durationMs", t.durationMs());
    m.put("spanCount", t.spanCount());
    m.put("llmCalls", t.llmCalls());
    m.put("inputTokens", t.inputTokens());
    m.put("outputTokens", t.outputTokens());
    m.put("costUsd", t.costUsd());
    m.put("error", t.error());
    return m;
  }

  static Map<String, Object> traceDetail(TraceDetail t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", t.traceId());
    List<Object> spans = new ArrayList<>(t.spans().size());
    for (Span s : t.spans()) {
      spans.add(span(s));
    }
    m.put("spans", spans);
    m.put("breakdown", breakdown(t));
    return m;
  }

  /** The trace's wall time per span category, overlaps counted once (TraceBreakdown). */
  private static Map<String, Object> breakdown(TraceDetail t) {
    Map<String, Object> breakdown = new LinkedHashMap<>();
    for (Map.Entry<SpanCategory, Double> e : TraceBreakdown.of(t.spans()).entrySet()) {
      breakdown.put(e.getKey().wire(), e.getValue());
    }
    return breakdown;
  }

  /** A trace for its waterfall: each span's shape and its call's headline figures, nothing bulky. */
  static Map<String, Object> traceOutline(TraceDetail t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", t.traceId());
    List<Object> spans = new ArrayList<>(t.spans().size());
    for (Span s : t.spans()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("spanId", s.spanId());
      sm.put("parentSpanId", s.parentSpanId());
      sm.put("name", s.name());
      sm.put("category", (s.category() == null ? SpanCategory.OTHER : s.category()).wire());
      sm.put("service", s.service());
      sm.put("startTime", time(s.startEpochNanos()));
      sm.put("durationMs", s.durationMs());
      sm.put("status", s.status() == null ? "unset" : s.status().name().toLowerCase(java.util.Locale.ROOT));
      LlmCall c = s.llm();
      if (c != null) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("provider", c.provider());
        cm.put("model", c.responseModel() != null ? c.responseModel() : c.requestModel());
        cm.put("status", c.outcome().status().wire());
        cm.put("inputTokens", c.usage().inputTokens());
        cm.put("outputTokens", c.usage().outputTokens());
        cm.put("costUsd", c.cost() == null ? null : c.cost().totalUsd());
        cm.put("ttftMs", c.timing() == null ? null : c.timing().ttftMs());
        sm.put("llm", cm);
      } else {
        sm.put("llm", null);
      }
      spans.add(sm);
    }
    m.put("spans", spans);
    m.put("breakdown", breakdown(t));
    return m;
  }

  static Map<String, Object> span(Span s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spanId", s.spanId());
    m.put("parentSpanId", s.parentSpanId());
    m.put("name", s.name());
    m.put("kind", s.kind() == null ? null : s.kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("category", (s.category() == null ? SpanCategory.OTHER : s.category()).wire());
    m.put("service", s.service());
    m.put("startTime", time(s.startEpochNanos()));
    m.put("durationMs", s.durationMs());
    m.put("status", s.status() == null ? "unset" : s.status().name().toLowerCase(java.util.Locale.ROOT));
    m.put("statusMessage", s.statusMessage());
    m.put("attributes", s.attributes());
    m.put("resourceAttributes", s.resourceAttributes());
    List<Object> events = new ArrayList<>();
    for (SpanEvent e : s.events()) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("name", e.name());
      em.put("time", time(e.timeEpochNanos()));
      em.put("attributes", e.attributes());
      if (e.body() != null) {
        em.put("body", e.body());
      }
      events.add(em);
    }
    m.put("events", events);
    m.put("unmappedAttributes", s.unmappedAttributes());
    m.put("llm", s.llm() == null ? null : call(s.llm(), true));
    return m;
  }

  static Map<String, Object> call(LlmCall c, boolean withContent) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", c.context() == null ? null : c.context().traceId());
    m.put("spanId", c.context() == null ? null : c.context().spanId());
    m.put("provider", c.provider());
    m.put("operation", c.operation());
    m.put("requestModel", c.requestModel());
    m.put("responseModel", c.responseModel());
    m.put("streaming", c.streaming());
    m.put("serviceTier", c.serviceTier());
    Timing t = c.timing();
    Usage u = c.usage();
    m.put("startTime", t == null ? null : time(t.startEpochNanos()));
    m.put("durationMs", t == null ? null : t.durationMs());
    m.put("ttftMs", t == null ? null : t.ttftMs());
    m.put("ttftSource", t == null || t.ttftSource() == null ? null : t.ttftSource().wire());
    m.put("tpotMs", t == null ? null : t.tpotMs(u.outputTokens()));
    m.put("outputTokensPerSecond", t == null ? null : t.outputTokensPerSecond(u.outputTokens()));
    m.put("maxInterTokenGapMs", t == null ? null : t.maxInterTokenGapMs());
    m.put("usage", usage(u));
    Cost cost = c.cost();
    m.put("costUsd", cost == null ? null : cost.totalUsd());
    m.put("costStatus", cost == null ? null : cost.status().wire());
    m.put("reportedCostUsd", cost == null ? null : cost.reportedUsd());
    m.put("costMismatch", ReportedCost.mismatch(cost));
    m.put("cost", cost == null ? null : cost(cost));
    m.put("status", c.outcome().status().wire());
    m.put("httpStatus", c.outcome().httpStatus());
    m.put("errorType", c.outcome().errorType());
    m.put("finishReasons", c.outcome().finishReasons());
    m.put("sessionId", c.context() == null ? null : c.context().sessionId());
    m.put("userId", c.context() == null ? null : c.context().userId());
    m.put("service", c.context() == null ? null : c.context().service());
    m.put("route", c.context() == null ? null : c.context().route());
    m.put("promptName", c.context() == null ? null : c.context().promptName());
    m.put("promptVersion", c.context() == null ? null : c.context().promptVersion());
    m.put("tags", c.context() == null ? List.of() : c.context().tags());
    if (withContent) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("inputMessages", c.content().inputMessagesJson());
      content.put("outputMessages", c.content().outputMessagesJson());
      content.put("systemInstructions", c.content().systemInstructionsJson());
      content.put("toolDefinitions", c.content().toolDefinitionsJson());
      m.put("content", content);
    }
    return m;
  }

  static Map<String, Object> usage(Usage u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputTokens", u.inputTokens());
    m.put("outputTokens", u.outputTokens());
    m.put("totalTokens", u.totalTokens());
    m.put("cacheReadInputTokens", u.inputCacheRead());
    m.put("cacheWriteInputTokens", u.cacheWriteTokens());
    m.put("reasoningOutputTokens", u.outputReasoning());
    Map<String, Object> buckets = new LinkedHashMap<>();
    buckets.put("inputUncached", u.inputUncached());
    buckets.put("inputCacheRead", u.inputCacheRead());
    buckets.put("inputCacheWrite5m", u.inputCacheWrite5m());
    buckets.put("inputCacheWrite1h", u.inputCacheWrite1h());
    buckets.put("outputText", u.outputText());
    buckets.put("outputReasoning", u.outputReasoning());
    m.put("buckets", buckets);
    m.put("source", u.source().wire());
    m.put("inferredExclusive", u.inferredExclusive());
    m.put("rejectedReason", u.rejectedReason());
    return m;
  }

  static Map<String, Object> cost(Cost c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputUsd", c.inputUsd());
    m.put("cacheReadUsd", c.cacheReadUsd());
    m.put("cacheWriteUsd", c.cacheWriteUsd());
    m.put("outputUsd", c.outputUsd());
    m.put("reasoningUsd", c.reasoningUsd());
    m.put("priceKey", c.priceKey());
    m.put("reason", c.reason());
    m.put("reportedUsd", c.reportedUsd());
    m.put("mismatch", ReportedCost.mismatch(c));
    return m;
  }

  static Map<String, Object> summaryRow(SummaryRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", r.key());
    m.put("calls", r.calls());
    m.put("errors", r.errors());
    m.put("errorRate", r.errorRate());
    m.put("latencyMs", percentiles(r.latencyMs()));
    m.put("ttftMs", percentiles(r.ttftMs()));
    m.put("tpotMs", percentiles(r.tpotMs()));
    m.put("inputTokens", r.inputTokens());
    m.put("outputTokens", r.outputTokens());
    m.put("costUsd", r.costUsd());
    m.put("unpricedCalls", r.unpricedCalls());
    m.put("errors4xx", r.errors4xx());
    m.put("errors5xx", r.errors5xx());
    m.put("cacheReadTokens", r.cacheReadTokens());
    m.put("cacheWriteTokens", r.cacheWriteTokens());
    m.put("reasoningTokens", r.reasoningTokens());
    m.put("outputTokensPerSecond", r.outputTokensPerSecond());
    return m;
  }

  static Map<String, Object> series(String groupBy, long stepNanos, Instant since, Instant until,
      List<dev.sightline.store.SeriesGroup> groups) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("groupBy", groupBy);
    m.put("intervalSeconds", stepNanos / 1_000_000_000L);
    m.put("since", since.toString());
    m.put("until", until.toString());
    List<Object> out = new ArrayList<>(groups.size());
    for (dev.sightline.store.SeriesGroup g : groups) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("key", g.key());
      gm.put("total", summaryRow(g.total()));
      List<Object> points = new ArrayList<>(g.points().size());
      for (dev.sightline.store.SeriesPoint p : g.points()) {
        Map<String, Object> pm = summaryRow(p.values());
        pm.remove("key");
        Map<String, Object> withTime = new LinkedHashMap<>();
        withTime.put("start", p.time().toString());
        withTime.putAll(pm);
        points.add(withTime);
      }
      gm.put("points", points);
      out.add(gm);
    }
    m.put("groups", out);
    return m;
  }

  static Map<String, Object> costReport(CostReport r, Instant since, Instant until) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("groupBy", r.query().groupBy().wire());
    m.put("interval", r.query().interval().wire());
    m.put("since", since.toString());
    m.put("until", until.toString());
    m.put("totals", costFigures(r.totals(), new LinkedHashMap<>()));
    m.put("series", costSeries(r.series()));
    List<Object> groups = new ArrayList<>(r.groups().size());
    for (CostGroup g : r.groups()) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("key", g.key());
      costFigures(g.totals(), gm);
      gm.put("series", costSeries(g.series()));
      groups.add(gm);
    }
    m.put("groups", groups);
    m.put("totalGroups", r.totalGroups());
    m.put("truncated", r.truncated());
    return m;
  }

  private static List<Object> costSeries(List<CostPoint> points) {
    List<Object> out = new ArrayList<>(points.size());
    for (CostPoint p : points) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("start", p.start().toString());
      out.add(costFigures(p.figures(), pm));
    }
    return out;
  }

  private static Map<String, Object> costFigures(CostFigures f, Map<String, Object> m) {
    m.put("calls", f.calls());
    m.put("pricedCalls", f.pricedCalls());
    m.put("unpricedCalls", f.unpricedCalls());
    m.put("costUsd", f.costUsd());
    m.put("costPerCallUsd", f.costPerCallUsd());
    m.put("costPer1kCallsUsd", f.costPer1kCallsUsd());
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("inputUsd", f.inputUsd());
    b.put("cacheReadUsd", f.cacheReadUsd());
    b.put("cacheWriteUsd", f.cacheWriteUsd());
    b.put("outputUsd", f.outputUsd());
    b.put("reasoningUsd", f.reasoningUsd());
    m.put("breakdown", b);
    return m;
  }

  static Map<String, Object> percentiles(Percentiles p) {
    Percentiles q = p == null ? Percentiles.EMPTY : p;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", q.p50());
    m.put("p95", q.p95());
    m.put("p99", q.p99());
    return m;
  }

  static Map<String, Object> unmappedKey(dev.sightline.store.UnmappedKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", k.key());
    m.put("spans", k.spans());
    m.put("lastSeen", k.lastSeen().toString());
    return m;
  }

  static Map<String, Object> unpricedModel(dev.sightline.store.UnpricedModel u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", u.provider());
    m.put("model", u.model());
    m.put("calls", u.calls());
    m.put("inputTokens", u.inputTokens());
    m.put("outputTokens", u.outputTokens());
    m.put("firstSeen", u.firstSeen().toString());
    m.put("lastSeen", u.lastSeen().toString());
    return m;
  }

  static Map<String, Object> priceExplanation(PriceExplanation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", e.provider());
    m.put("model", e.model());
    m.put("at", e.at().toString());
    m.put("matched", e.matched());
    m.put("step", e.step().name().toLowerCase(java.util.Locale.ROOT));
    m.put("key", e.key());
    m.put("source", e.source() == null ? null : e.source().name().toLowerCase(java.util.Locale.ROOT));
    m.put("effectiveFrom", e.effectiveFrom() == null ? null : e.effectiveFrom().toString());
    m.put("entryProvider", e.entryProvider());
    m.put("reason", e.reason());
    m.put("notes", e.notes());
    if (e.price() != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("unit", "USD per token");
      p.put("base", rates(e.price().base()));
      List<Object> tiers = new ArrayList<>();
      for (ModelPrice.Tier t : e.price().tiers()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("aboveInputTokens", t.aboveInputTokens());
        tm.put("rates", rates(t.rates()));
        tiers.add(tm);
      }
      p.put("tiers", tiers);
      m.put("prices", p);
    } else {
      m.put("prices", null);
    }
    return m;
  }

  private static Map<String, Object> rates(ModelPrice.Rates r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", r.input());
    m.put("cacheRead", r.cacheRead());
    m.put("cacheWrite5m", r.cacheWrite5m());
    m.put("cacheWrite1h", r.cacheWrite1h());
    m.put("output", r.output());
    m.put("reasoning", r.reasoning());
    return m;
  }
}
