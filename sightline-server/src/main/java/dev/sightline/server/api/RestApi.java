package dev.sightline.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.evaluators.Evaluations;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pipeline.PiiCounters;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.store.CallQuery;
import dev.sightline.store.CallRef;
import dev.sightline.store.QualityQuery;
import dev.sightline.store.QualityRow;
import dev.sightline.store.ResourceFilter;
import dev.sightline.store.ScoreFilter;
import dev.sightline.store.CostQuery;
import dev.sightline.store.GroupBy;
import dev.sightline.store.Store;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import dev.sightline.store.TraceQuery;
import dev.sightline.store.TraceSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The public REST API ({@code /api/v1/…}, documented in docs/api.md), health endpoints and
 * /metrics. Store reads run on the blocking executor, never on the event loop.
 */
public final class RestApi {
  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");
  private static final Pattern SPAN_ID = Pattern.compile("^[0-9a-f]{16}$");
  /** Most time buckets one cost request may span. */
  static final long MAX_COST_BUCKETS = 10_000;

  private final Store store;
  private final Supplier<PriceCatalog> prices;
  private final Pipeline pipeline;
  private final Executor blocking;
  private final Metrics metrics;
  private final Clock clock;

  /** {@code evaluations} may be null (evaluators off): scores clients send are still served. */
  public RestApi(Store store, Pipeline pipeline, IngestCounters counters, Evaluations evaluations,
      PiiCounters piiCounters, Executor blocking, Supplier<PriceCatalog> prices,
      Supplier<List<dev.sightline.scrape.TargetHealth>> scrapeHealth) {
    this(store, pipeline, counters, evaluations, piiCounters, blocking, prices, scrapeHealth, Clock.systemUTC());
  }

  RestApi(Store store, Pipeline pipeline, IngestCounters counters, Evaluations evaluations, PiiCounters piiCounters,
      Executor blocking, Supplier<PriceCatalog> prices, Supplier<List<dev.sightline.scrape.TargetHealth>> scrapeHealth,
      Clock clock) {
    this.store = store;
    this.prices = prices;
    this.pipeline = pipeline;
    this.blocking = blocking;
    this.metrics = new Metrics(counters, pipeline, evaluations, piiCounters, scrapeHealth);
    this.clock = clock;
  }

  /** Adds a section to /metrics (such as the alerts' families), rendered after the rest. */
  public RestApi withMetrics(java.util.function.Supplier<String> section) {
    metrics.add(section);
    return this;
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/traces", ApiEndpoints.get(blocking, clock, this::traces, Set.of("since", "until", "service", "route", "model", "status",
        "minDurationMs", "minCostUsd", "session", "user", "q", "limit", "resource")));
    sb.service("prefix:/api/v1/traces/", ApiEndpoints.get(blocking, clock, this::trace, Set.of("details")));
    sb.service("/api/v1/llm/calls", ApiEndpoints.get(blocking, clock, this::calls, Set.of("traceId", "spanId", "provider", "model", "service",
        "route", "session", "user", "status", "q", "since", "until", "order", "limit", "includeContent", "score")));
    sb.service("prefix:/api/v1/llm/calls/", ApiEndpoints.get(blocking, clock, this::call, Set.of()));
    sb.service("/api/v1/llm/summary", ApiEndpoints.get(blocking, clock, this::summary,
        Set.of("groupBy", "since", "until", "sort", "limit", "percentiles")));
    sb.service("/api/v1/llm/timeseries", ApiEndpoints.get(blocking, clock, this::timeseries,
        Set.of("groupBy", "interval", "since", "until", "limit", "percentiles")));
    sb.service("/api/v1/quality", ApiEndpoints.get(blocking, clock, this::quality, Set.of("groupBy", "name", "since", "until")));
    sb.service("/api/v1/quality/timeseries", ApiEndpoints.get(blocking, clock, this::qualitySeries, Set.of("name", "interval", "since", "until")));
    sb.service("/api/v1/cost", ApiEndpoints.get(blocking, clock, this::cost, Set.of("groupBy", "interval", "since", "until", "limit")));
    sb.service("/api/v1/attributes/unmapped", ApiEndpoints.get(blocking, clock, this::unmapped, Set.of("since", "until", "limit")));
    sb.service("/api/v1/pricing/resolve", ApiEndpoints.get(blocking, clock, this::resolvePrice, Set.of("provider", "model", "at")));
    sb.service("/api/v1/pricing/unpriced", ApiEndpoints.get(blocking, clock, this::unpriced, Set.of("since", "until")));
    sb.service("/api/openapi.json", (ctx, req) -> resource("/openapi.json", MediaType.JSON_UTF_8));
    sb.service("prefix:/api/", (ctx, req) -> ApiEndpoints.json(404, ApiJson.error("not_found",
        "no API endpoint at " + ctx.path() + "; see /api/openapi.json or docs/api.md")));
  }

  /**
   * Where the API and dashboard are not served (a process without the query role): every /api/ path
   * answers 404 saying why.
   */
  public static void bindElsewhere(ServerBuilder sb, String why) {
    sb.service("prefix:/api/", (ctx, req) -> ApiEndpoints.json(404, ApiJson.error("not_found",
        "no API endpoint at " + ctx.path() + ": " + why)));
  }

  /** /healthz, /readyz and /metrics: every process serves them, whatever its roles. */
  public void bindHealth(ServerBuilder sb) {
    sb.service("/healthz", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n"));
    sb.service("/readyz", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
        "ready; " + pipeline.queuedRecords() + " records queued\n"));
    sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.render()));
  }

  private Object traces(ApiRequest r) {
    String status = status(r);
    TraceQuery q = new TraceQuery(TimeParam.parse("since", r.param("since"), r.now()),
        TimeParam.parse("until", r.param("until"), r.now()), r.param("service"), r.param("route"), r.param("model"),
        status, number(r, "minDurationMs"), money(r, "minCostUsd"), r.param("session"), r.param("user"),
        r.param("q"), limit(r), resource(r));
    List<Object> out = new ArrayList<>();
    for (TraceSummary t : store.traces(q)) {
      out.add(ApiJson.traceSummary(t));
    }
    return Map.of("traces", out);
  }

  /**
   * {@code /api/v1/traces/{traceId}} (with {@code details=false}: spans without attributes, events
   * or content, for large traces) and {@code /api/v1/traces/{traceId}/spans/{spanId}}.
   */
  private Object trace(ApiRequest r) {
    String[] parts = r.ctx().mappedPath().replaceFirst("^/", "").toLowerCase(java.util.Locale.ROOT).split("/", -1);
    String id = parts[0];
    if (!TRACE_ID.matcher(id).matches()) {
      throw new ApiException(400, "invalid_trace_id", "a trace id is 32 hexadecimal characters; got '" + id + "'");
    }
    if (parts.length == 3 && parts[1].equals("spans")) {
      if (!SPAN_ID.matcher(parts[2]).matches()) {
        throw new ApiException(400, "invalid_span_id", "a span id is 16 hexadecimal characters; got '" + parts[2] + "'");
      }
      return store.span(id, parts[2]).map(ApiJson::span).orElseThrow(() -> new ApiException(404, "span_not_found",
          "no span " + parts[2] + " is stored in trace " + id));
    }
    if (parts.length != 1) {
      throw new ApiException(404, "not_found", "no API endpoint at " + r.ctx().path()
          + "; a trace is /api/v1/traces/{traceId}, one of its spans /api/v1/traces/{traceId}/spans/{spanId}");
    }
    String details = r.param("details");
    if (details != null && !details.equals("true") && !details.equals("false")) {
      throw new ApiException(400, "invalid_parameter", "'details' must be true or false; got '" + details + "'");
    }
    boolean full = !"false".equals(details);
    return store.trace(id, full).map(t -> full ? ApiJson.traceDetail(t) : ApiJson.traceOutline(t))
        .orElseThrow(() -> new ApiException(404, "trace_not_found", "no trace " + id + " is stored"));
  }

  /** {@code resource=KEY=VALUE}: traces with a span whose resource attribute KEY is VALUE. */
  private static ResourceFilter resource(ApiRequest r) {
    String v = r.param("resource");
    if (v == null) {
      return null;
    }
    int eq = v.indexOf('=');
    if (eq <= 0) {
      throw new ApiException(400, "invalid_parameter", "'resource' must be KEY=VALUE, a resource attribute and the"
          + " value a span must carry, such as resource=k8s.pod.name=chat-7d9f; got '" + v + "'");
    }
    return new ResourceFilter(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
  }

  private static String status(ApiRequest r) {
    String status = r.param("status");
    if (status != null && !status.equals("ok") && !status.equals("error")) {
      throw new ApiException(400, "invalid_parameter", "'status' must be ok or error; got '" + status + "'");
    }
    return status;
  }

  private Object calls(ApiRequest r) {
    String order = r.param("order");
    if (order != null && !order.equals("asc") && !order.equals("desc")) {
      throw new ApiException(400, "invalid_parameter", "'order' must be asc (oldest first) or desc; got '" + order
          + "'");
    }
    CallQuery q = new CallQuery(r.param("traceId"), r.param("spanId"), r.param("provider"), r.param("model"),
        r.param("service"), r.param("route"), r.param("session"), r.param("user"), status(r), r.param("q"),
        TimeParam.parse("since", r.param("since"), r.now()), TimeParam.parse("until", r.param("until"), r.now()),
        "asc".equals(order), limit(r), scoreFilter(r));
    boolean content = "true".equals(r.param("includeContent"));
    List<LlmCall> calls = store.calls(q);
    List<CallRef> refs = new ArrayList<>(calls.size());
    for (LlmCall c : calls) {
      if (c.context() != null) {
        refs.add(new CallRef(c.context().traceId(), c.context().spanId()));
      }
    }
    Map<CallRef, List<Score>> scores = refs.isEmpty() ? Map.of() : store.latestScores(refs);
    List<Object> out = new ArrayList<>();
    for (LlmCall c : calls) {
      Map<String, Object> m = ApiJson.call(c, content);
      List<Score> own = c.context() == null ? null
          : scores.get(new CallRef(c.context().traceId(), c.context().spanId()));
      m.put("scores", QualityJson.scores(own == null ? List.of() : own, false));
      out.add(m);
    }
    return Map.of("calls", out);
  }

  /** One call with its content: {@code /api/v1/llm/calls/{traceId}/{spanId}}. */
  private Object call(ApiRequest r) {
    String[] parts = r.ctx().mappedPath().replaceFirst("^/", "").split("/", -1);
    if (parts.length != 2 || !TRACE_ID.matcher(parts[0].toLowerCase(java.util.Locale.ROOT)).matches()
        || !SPAN_ID.matcher(parts[1].toLowerCase(java.util.Locale.ROOT)).matches()) {
      throw new ApiException(400, "invalid_call_id", "a call is addressed as /api/v1/llm/calls/{traceId}/{spanId}"
          + " (32 and 16 hexadecimal characters); got '" + r.ctx().mappedPath() + "'");
    }
    String traceId = parts[0].toLowerCase(java.util.Locale.ROOT);
    String spanId = parts[1].toLowerCase(java.util.Locale.ROOT);
    List<LlmCall> found = store.calls(new CallQuery(traceId, spanId, null, null, null, null, null, null, null, null,
        null, null, false, 1));
    if (found.isEmpty()) {
      throw new ApiException(404, "call_not_found", "no LLM call " + spanId + " is stored in trace " + traceId);
    }
    Map<String, Object> m = ApiJson.call(found.get(0), true);
    m.put("scores", QualityJson.scores(store.scores(traceId, spanId), true));
    return m;
  }

  private static ScoreFilter scoreFilter(ApiRequest r) {
    String f = r.param("score");
    try {
      return f == null ? null : ScoreFilter.parse(f);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_parameter", "'score': " + e.getMessage());
    }
  }

  /** Quality per score name, and per group with {@code groupBy}: evaluated, flagged, rates, means. */
  private Object quality(ApiRequest r) {
    String g = r.param("groupBy");
    GroupBy groupBy = g == null ? null : GroupBy.parse(g);
    List<Object> rows = new ArrayList<>();
    for (QualityRow row : store.quality(new QualityQuery(groupBy, r.param("name"),
        TimeParam.parse("since", r.param("since"), r.now()), TimeParam.parse("until", r.param("until"), r.now()),
        null))) {
      rows.add(QualityJson.row(row));
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("groupBy", groupBy == null ? null : groupBy.name().toLowerCase(java.util.Locale.ROOT));
    m.put("rows", rows);
    return m;
  }

  /** Quality over time: the overview's chart. Window and interval as for the LLM time series. */
  private Object qualitySeries(ApiRequest r) {
    SeriesWindow w = seriesWindow(r);
    return QualityJson.series(w.step(), w.since(), w.until(), store.qualitySeries(new QualityQuery(null,
        r.param("name"), w.since(), w.until(), java.time.Duration.ofNanos(w.step()))));
  }

  private record SeriesWindow(Instant since, Instant until, long step) {}

  /**
   * A time series' window: {@code until} defaults to now, {@code since} to 24 hours before it;
   * {@code interval} to {@code auto} (about 60–120 points); at most {@link #MAX_SERIES_POINTS}.
   */
  private static SeriesWindow seriesWindow(ApiRequest r) {
    Instant until = r.param("until") == null ? r.now() : TimeParam.parse("until", r.param("until"), r.now());
    Instant since = r.param("since") == null ? until.minus(java.time.Duration.ofHours(24))
        : TimeParam.parse("since", r.param("since"), r.now());
    if (!since.isBefore(until)) {
      throw new ApiException(400, "invalid_parameter", "'since' (" + since + ") must be before 'until' (" + until
          + "); the window is [since, until)");
    }
    long step = Interval.parse(r.param("interval"), java.time.Duration.between(since, until));
    long points = java.time.Duration.between(since, until).toNanos() / step + 1;
    if (points > MAX_SERIES_POINTS) {
      throw new ApiException(400, "too_many_points", "the window from " + since + " to " + until + " holds " + points
          + " intervals, more than " + MAX_SERIES_POINTS + "; widen 'interval' or narrow the window");
    }
    return new SeriesWindow(since, until, step);
  }

  private Object summary(ApiRequest r) {
    String g = r.param("groupBy");
    GroupBy groupBy = g == null ? GroupBy.MODEL : GroupBy.parse(g);
    SummaryQuery.Sort sort = r.param("sort") == null ? SummaryQuery.Sort.CALLS : SummaryQuery.Sort.parse(r.param("sort"));
    SummaryQuery q = new SummaryQuery(groupBy, TimeParam.parse("since", r.param("since"), r.now()),
        TimeParam.parse("until", r.param("until"), r.now()), sort, r.param("limit") == null ? 1000 : limit(r),
        bool(r, "percentiles", true));
    Map<String, Map<String, Object>> quality = QualityJson.byKey(store.quality(new QualityQuery(groupBy, null,
        q.since(), q.until(), null)));
    List<Object> out = new ArrayList<>();
    for (SummaryRow row : store.summary(q)) {
      Map<String, Object> m = ApiJson.summaryRow(row);
      m.put("quality", quality.getOrDefault(row.key(), Map.of()));
      out.add(m);
    }
    return Map.of("groupBy", groupBy.name().toLowerCase(java.util.Locale.ROOT), "groups", out);
  }

  /** Most points one series request may return per group. */
  static final long MAX_SERIES_POINTS = 2_000;

  /**
   * LLM aggregates over time. {@code until} defaults to now, {@code since} to 24 hours before it;
   * {@code interval} defaults to {@code auto}: about 60–120 points, 1 minute to 1 day.
   */
  private Object timeseries(ApiRequest r) {
    SeriesWindow w = seriesWindow(r);
    Instant since = w.since();
    Instant until = w.until();
    long step = w.step();
    String g = r.param("groupBy");
    GroupBy groupBy = g == null ? null : GroupBy.parse(g);
    int groups = r.param("limit") == null ? 10 : Math.min(limit(r), 1000);
    var result = store.series(new dev.sightline.store.SeriesQuery(groupBy, since, until, step, groups,
        bool(r, "percentiles", true)));
    return ApiJson.series(groupBy == null ? null : groupBy.name().toLowerCase(java.util.Locale.ROOT), step, since,
        until, result);
  }

  private static boolean bool(ApiRequest r, String name, boolean fallback) {
    String v = r.param(name);
    if (v == null) {
      return fallback;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new ApiException(400, "invalid_parameter", "'" + name + "' must be true or false; got '" + v + "'");
    }
    return v.equals("true");
  }

  private static Double number(ApiRequest r, String name) {
    String v = r.param(name);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d) || d < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid_parameter", "'" + name + "' must be a non-negative number; got '" + v + "'");
    }
  }

  private static java.math.BigDecimal money(ApiRequest r, String name) {
    String v = r.param(name);
    if (v == null) {
      return null;
    }
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(v);
      if (d.signum() < 0 || d.precision() > 30) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid_parameter", "'" + name + "' must be a non-negative amount in USD such as"
          + " 0.05; got '" + v + "'");
    }
  }

  /**
   * Cost over time and per group. {@code until} defaults to now and {@code since} to 24 hours (for
   * 1h buckets) or 30 days (for 1d buckets) before {@code until}: a time series needs a bounded window.
   */
  private Object cost(ApiRequest r) {
    CostQuery.Dimension groupBy;
    CostQuery.Interval interval;
    try {
      groupBy = r.param("groupBy") == null ? CostQuery.Dimension.MODEL : CostQuery.Dimension.parse(r.param("groupBy"));
      interval = r.param("interval") == null ? CostQuery.Interval.HOUR : CostQuery.Interval.parse(r.param("interval"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_parameter", e.getMessage());
    }
    Instant until = r.param("until") == null ? r.now() : TimeParam.parse("until", r.param("until"), r.now());
    Instant since;
    try {
      since = r.param("since") != null ? TimeParam.parse("since", r.param("since"), r.now())
          : until.minus(interval == CostQuery.Interval.HOUR ? java.time.Duration.ofHours(24) : java.time.Duration.ofDays(30));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new ApiException(400, "invalid_parameter", "'until' (" + until + ") is too early to count back a default"
          + " window from; give 'since' too");
    }
    if (!since.isBefore(until)) {
      throw new ApiException(400, "invalid_parameter", "'since' (" + since + ") must be before 'until' (" + until
          + "); the window is [since, until)");
    }
    long buckets = bucketCount(since, until, interval);
    if (buckets > MAX_COST_BUCKETS) {
      throw new ApiException(400, "too_many_buckets", "the window from " + since + " to " + until + " spans " + buckets
          + " buckets of " + interval.wire() + ", more than " + MAX_COST_BUCKETS + "; narrow 'since'/'until'"
          + (interval == CostQuery.Interval.HOUR ? " or use interval=1d" : ""));
    }
    return ApiJson.costReport(store.cost(new CostQuery(groupBy, interval, since, until, limit(r))), since, until);
  }

  /** How many UTC-aligned buckets {@code [since, until)} touches (saturating for absurd windows). */
  static long bucketCount(Instant since, Instant until, CostQuery.Interval interval) {
    long stepSeconds = interval.nanos() / 1_000_000_000L;
    long first = Math.floorDiv(since.getEpochSecond(), stepSeconds);
    // the last instant inside the window is just before until
    Instant last = until.minusNanos(1);
    long lastBucket = Math.floorDiv(last.getEpochSecond(), stepSeconds);
    try {
      return Math.addExact(Math.subtractExact(lastBucket, first), 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private Object unmapped(ApiRequest r) {
    List<Object> out = new ArrayList<>();
    for (dev.sightline.store.UnmappedKey k : store.unmappedAttributes(TimeParam.parse("since", r.param("since"), r.now()),
        TimeParam.parse("until", r.param("until"), r.now()), limit(r))) {
      out.add(ApiJson.unmappedKey(k));
    }
    return Map.of("attributes", out);
  }

  private Object resolvePrice(ApiRequest r) {
    String model = r.param("model");
    if (model == null) {
      throw new ApiException(400, "missing_parameter", "'model' is required, e.g. ?provider=openai&model=gpt-4o");
    }
    Instant at = r.param("at") == null ? r.now() : TimeParam.parse("at", r.param("at"), r.now());
    return ApiJson.priceExplanation(prices.get().explain(r.param("provider"), model, at));
  }

  private Object unpriced(ApiRequest r) {
    List<Object> out = new ArrayList<>();
    for (dev.sightline.store.UnpricedModel m : store.unpricedModels(TimeParam.parse("since", r.param("since"), r.now()),
        TimeParam.parse("until", r.param("until"), r.now()))) {
      out.add(ApiJson.unpricedModel(m));
    }
    return Map.of("models", out);
  }

  private static int limit(ApiRequest r) {
    String l = r.param("limit");
    if (l == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(l);
      if (n < 1 || n > 10_000) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid_parameter", "'limit' must be a whole number from 1 to 10000; got '" + l + "'");
    }
  }

  private static HttpResponse resource(String name, MediaType type) {
    try (InputStream in = RestApi.class.getResourceAsStream(name)) {
      if (in == null) {
        return ApiEndpoints.json(404, ApiJson.error("not_found", name + " is not bundled"));
      }
      return HttpResponse.of(HttpStatus.OK, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return ApiEndpoints.json(500, ApiJson.error("internal", e.getMessage()));
    }
  }
}
