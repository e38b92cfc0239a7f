package dev.sightline.store;

import dev.sightline.model.LlmCall;
import dev.sightline.model.TelemetryBatch;
import java.util.List;
import java.util.Optional;

/**
 * Where Sightline's records live. Writes come in batches; reads by query objects. Nothing outside
 * this package writes SQL. Every engine passes the same conformance suite
 * ({@code StoreConformanceSuite} in this module's test-jar).
 */
public interface Store extends BusTarget, AutoCloseable {

  /**
   * Writes the batches in one transaction and commits it (group commit): when this returns, every
   * record of every batch is durable. On failure nothing of these batches is committed.
   *
   * <p>Scores are written with the spans of the same write (a batch may carry scores only). A
   * score without a trace id or span id is left out rather than failing the write; an explanation
   * longer than 4,096 chars is cut, ending with {@code …[truncated]}; details that are not one JSON
   * object (or exceed 1 MiB) are stored as null, the rest of the score kept.
   */
  void write(List<TelemetryBatch> batches);

  /** {@inheritDoc} An engine that keeps no bus positions throws UnsupportedOperationException. */
  @Override
  default void write(List<TelemetryBatch> batches, BusRead read) {
    throw new UnsupportedOperationException("this store does not keep ingest bus positions");
  }

  /** {@inheritDoc} An engine that keeps no bus positions throws UnsupportedOperationException. */
  @Override
  default List<BusPosition> busPositions(String group) {
    throw new UnsupportedOperationException("this store does not keep ingest bus positions");
  }

  /**
   * Optional head start for {@link #write}: an engine may do per-batch work here (such as encoding)
   * on the caller's thread, so the single writer thread does less. Calling it is never required,
   * and a batch prepared but never written must not leak for long.
   */
  default void prepare(TelemetryBatch batch) {}

  /**
   * Upkeep that writes can leave for later (e.g. folding calls into rollups, checkpointing), for a
   * caller that wants its acknowledgements not to wait for it: call it after answering the writes'
   * senders. A store whose writers never call it does the same work inside {@link #write}.
   */
  default void maintain() {}

  /** Traces whose root (or earliest) span starts in the window, newest first. */
  List<TraceSummary> traces(TraceQuery query);

  /** One trace with all its spans (and their LLM calls), or empty if no span of it is stored. */
  default Optional<TraceDetail> trace(String traceId) {
    return trace(traceId, true);
  }

  /**
   * One trace; without {@code details} the spans come without their attributes, resource
   * attributes, events and unmapped keys, and the calls without their content: what a waterfall of
   * thousands of spans needs, at a fraction of the size.
   */
  Optional<TraceDetail> trace(String traceId, boolean details);

  /**
   * Several traces, each as {@link #trace(String, boolean)} reads it, by trace id; ids with no stored
   * span are absent. An engine may read them together (the evaluators read their calls' traces in
   * batches); this default reads them one by one.
   */
  default java.util.Map<String, TraceDetail> traces(java.util.Collection<String> traceIds, boolean details) {
    java.util.Map<String, TraceDetail> out = new java.util.LinkedHashMap<>();
    if (traceIds != null) {
      for (String id : traceIds) {
        if (id != null && !out.containsKey(id)) {
          trace(id, details).ifPresent(t -> out.put(id, t));
        }
      }
    }
    return out;
  }

  /** One span with everything stored of it (and its LLM call), or empty. */
  Optional<dev.sightline.model.Span> span(String traceId, String spanId);

  /** LLM calls matching the query, newest first. */
  List<LlmCall> calls(CallQuery query);

  /** Per-group aggregates of LLM calls in the window. */
  List<SummaryRow> summary(SummaryQuery query);

  /**
   * Aggregates of LLM calls over time, per group: the overview's charts. Percentiles come from
   * mergeable histograms (within 1%), not from the raw values.
   */
  List<SeriesGroup> series(SeriesQuery query);

  /**
   * Attribute keys that no mapping understood, with how many spans in the window carried each,
   * most frequent first: what a new instrumentation sends that Sightline does not read yet.
   */
  List<UnmappedKey> unmappedAttributes(java.time.Instant since, java.time.Instant until, int limit);

  /**
   * Models whose calls in the window could not be priced (cost status unpriced), with their call and
   * token counts, most calls first: the list to add to a price file.
   */
  List<UnpricedModel> unpricedModels(java.time.Instant since, java.time.Instant until);

  /**
   * Cost of the LLM calls that started in the window, over time (UTC-aligned buckets) and per
   * group, split by token bucket, with unpriced calls counted and never summed as $0. Sums are
   * exact.
   */
  CostReport cost(CostQuery query);

  /**
   * Prices the stored LLM calls the request selects again with {@code pricer} (which returns the
   * call with its new cost) and stores every cost that changed, in committed chunks; the summary's
   * rollups follow. Running it twice changes nothing the second time.
   */
  default RepriceResult reprice(RepriceRequest request, java.util.function.UnaryOperator<LlmCall> pricer) {
    throw new UnsupportedOperationException("this store cannot re-price stored calls");
  }

  /**
   * Scores of one LLM call ({@code spanId} given) or of every call of the trace ({@code spanId}
   * null), newest first (by time, then the later write); every score kept, older evaluator
   * versions included. At most 10,000; empty for a null trace id.
   */
  List<dev.sightline.model.Score> scores(String traceId, String spanId);

  /**
   * The latest score of each name for each of these calls (what a list of calls shows beside each
   * one); calls without scores are absent from the map.
   */
  default java.util.Map<CallRef, List<dev.sightline.model.Score>> latestScores(java.util.Collection<CallRef> calls) {
    java.util.Map<CallRef, List<dev.sightline.model.Score>> out = new java.util.LinkedHashMap<>();
    for (CallRef c : calls) {
      java.util.Map<String, dev.sightline.model.Score> latest = new java.util.LinkedHashMap<>();
      for (dev.sightline.model.Score s : scores(c.traceId(), c.spanId())) {
        latest.putIfAbsent(s.name(), s); // newest first
      }
      if (!latest.isEmpty()) {
        out.put(c, List.copyOf(latest.values()));
      }
    }
    return out;
  }

  /**
   * Quality per score name (and per group): evaluated, not evaluated, flagged, mean value, over
   * each call's latest score of a name (by time, then the later write). Calls count in the window
   * by their start; a score whose call is not stored counts at its own time, with a null group key
   * when grouped. Ordered by name, then the groups with most scored calls; at most 10,000 rows.
   */
  List<QualityRow> quality(QualityQuery query);

  /**
   * Quality per score name over time: UTC-aligned buckets of {@code query.step()} (one hour when
   * null or not positive) by the call's start, counted as in {@link #quality}, ordered by time then
   * name. The grouping is ignored (a point has no key). A bucket whose scores all say
   * not evaluated has a point with no evaluated call.
   */
  List<QualityPoint> qualitySeries(QualityQuery query);

  /**
   * Metric values over time, per group, as {@link MetricQuery} describes. At most 1,000 groups
   * (the largest by number of points, most points first, then by their label values); a query without
   * names, with an unknown {@code agg} for the kind, with more than 50 names or 10 group keys, with a
   * label key that is not a label name, or whose step gives more than 10,000 buckets (over the window,
   * or over the data where a bound is open) is refused with an {@link IllegalArgumentException} whose
   * message says why.
   */
  List<MetricSeries> metricSeries(MetricQuery query);

  /**
   * The latest point of each series of the query's names in its window (service and {@code where}
   * applied; step, groupBy and agg ignored), newest first, at most {@code limit} (and 10,000).
   */
  List<MetricSample> latestSamples(MetricQuery query, int limit);

  /**
   * Metric names with points in [since, until) (null bounds open), those starting with {@code prefix}
   * when given, of one {@code service} when given, sorted by name, at most {@code limit} (and 10,000).
   */
  List<MetricName> metricNames(String prefix, String service, java.time.Instant since, java.time.Instant until,
      int limit);

  /**
   * Saves an alert rule, replacing the one of the same id; committed when this returns. The id must
   * be 1 to 128 chars and the JSON one JSON object (at most 1 MiB), else IllegalArgumentException
   * saying which; the store does not interpret the JSON.
   */
  void saveRule(StoredRule rule);

  /**
   * Deletes the alert rule of this id (1 to 128 chars, else IllegalArgumentException); false when
   * there was none. Its history stays.
   */
  boolean deleteRule(String id);

  /** Every saved alert rule, by id. */
  List<StoredRule> rules();

  /**
   * Appends alert state transitions in one transaction, committed when this returns; nothing is
   * written when one is invalid (IllegalArgumentException: a rule id of 1 to 128 chars, the new
   * state and the time are required, a value must be below 10^20 in magnitude). Values are kept to
   * 18 decimals; a message longer than 4,096 chars is cut, ending with {@code …[truncated]}.
   */
  void appendAlerts(List<AlertRecord> records);

  /**
   * Alert transitions matching the query, newest first (by time, then the later write), at most
   * {@code query.limit()} and 10,000; a limit below 1 is an IllegalArgumentException.
   */
  List<AlertRecord> alertHistory(AlertHistoryQuery query);

  /**
   * The service map of the window: services (browser apps among them) and LLM providers as nodes,
   * calls between them as edges, with counts, errors and latency percentiles (exact, as
   * {@code percentile_cont}).
   */
  ServiceMap serviceMap(ServiceMapQuery query);

  /**
   * What real users saw in the window, from the real-user agent's browser spans: Web Vitals and load
   * time per page route, and per API request the TTFT the user saw beside the server's.
   */
  RumSummary realUsers(RumQuery query);

  /**
   * Values of one resource attribute on the spans that start in the window, with their span and trace
   * counts, most spans first, at most {@code limit} (and 10,000). A key that is not 1 to 128 of
   * {@code A-Z a-z 0-9 _ . -} is refused with an IllegalArgumentException saying so.
   */
  List<ResourceValue> resourceValues(java.time.Instant since, java.time.Instant until, String key, int limit);

  /**
   * Applies retention: deletes the spans, LLM calls, logs, metric points and scores older than
   * {@code dataBefore} (and the summary's rollup rows of those hours), and clears the captured
   * content (prompts, completions, messages, tool arguments and results, GenAI event payloads) of
   * spans, calls and logs older than {@code contentBefore}, keeping their tokens, cost and timing
   * and marking them with the span/log attribute {@code sightline.content_expired = true}. Both
   * cutoffs are floored to the hour (so an hour is kept or deleted whole and the summary stays
   * exact); null keeps that kind. Work is committed in chunks: an interrupted run leaves a
   * consistent store and the next run finishes it. Running it twice changes nothing the second time.
   */
  default RetentionResult applyRetention(java.time.Instant dataBefore, java.time.Instant contentBefore) {
    throw new UnsupportedOperationException("this store does not apply retention");
  }

  /** The store's disk usage: files, free space inside them, and per table rows and bytes. */
  default StoreDiskUsage diskUsage() {
    throw new UnsupportedOperationException("this store does not report its disk usage");
  }

  /** Number of stored spans (all kinds). */
  long spanCount();

  /** Number of stored LLM calls. */
  long callCount();

  @Override
  void close();
}
