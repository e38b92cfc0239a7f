package dev.sightline.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sightline.alerts.anomaly.CostAnomaly;
import dev.sightline.alerts.anomaly.CostAnomalyDetector;
import dev.sightline.alerts.anomaly.Explanation;
import dev.sightline.alerts.notify.Delivery;
import dev.sightline.alerts.notify.Notifier;
import dev.sightline.alerts.notify.WebhookTarget;
import dev.sightline.alerts.rules.AlertState;
import dev.sightline.alerts.rules.RuleParser;
import dev.sightline.alerts.watch.AlertWatch;
import dev.sightline.alerts.watch.FiringAlert;
import dev.sightline.alerts.watch.RuleChange;
import dev.sightline.alerts.watch.RuleView;
import dev.sightline.store.AlertHistoryQuery;
import dev.sightline.store.AlertRecord;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts endpoints: rules (list, create, replace, delete), what is firing, history, webhook
 * deliveries and test-fire, and cost anomalies; plus the alert families of /metrics. Refusals are
 * {@code {"error":{"code","message","problems":[…]}}} with 400, 404 or 409.
 */
public final class AlertsApi {
  private static final Logger log = LoggerFactory.getLogger(AlertsApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULE_PREFIX = "/api/v1/alerts/rules/";
  private static final int MAX_BODY = 64 * 1024;
  private static final Duration DEFAULT_ANOMALY_WINDOW = Duration.ofDays(7);

  private final AlertWatch watch;
  private final Store store;
  private final Executor blocking;
  private final Clock clock;

  public AlertsApi(AlertWatch watch, Store store, Executor blocking) {
    this(watch, store, blocking, Clock.systemUTC());
  }

  AlertsApi(AlertWatch watch, Store store, Executor blocking, Clock clock) {
    this.watch = watch;
    this.store = store;
    this.blocking = blocking;
    this.clock = clock;
  }

  /** A handler of one endpoint: the method, the request, its body (empty for none). */
  private interface Handler {
    Reply handle(String method, ApiRequest r, String body);
  }

  private record Reply(int status, Object body) {}

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/alerts/rules", endpoint(Set.of("GET", "POST"), Set.of(), this::rules));
    sb.service("prefix:" + RULE_PREFIX, endpoint(Set.of("GET", "PUT", "DELETE"), Set.of(), this::rule));
    sb.service("/api/v1/alerts", endpoint(Set.of("GET"), Set.of(), (m, r, b) -> new Reply(200, firing())));
    sb.service("/api/v1/alerts/history", endpoint(Set.of("GET"), Set.of("ruleId", "since", "until", "limit"),
        (m, r, b) -> new Reply(200, history(r))));
    sb.service("/api/v1/alerts/deliveries", endpoint(Set.of("GET"), Set.of(), (m, r, b) -> new Reply(200, deliveries())));
    sb.service("/api/v1/alerts/test", endpoint(Set.of("POST"), Set.of("target"), (m, r, b) -> testFire(r)));
    sb.service("/api/v1/anomalies", endpoint(Set.of("GET"), Set.of("since", "until"),
        (m, r, b) -> new Reply(200, anomalies(r))));
  }

  private Reply rules(String method, ApiRequest r, String body) {
    if (method.equals("POST")) {
      return change(watch.save(body, null));
    }
    List<Object> out = new ArrayList<>();
    watch.rules().forEach(v -> out.add(ruleJson(v)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rules", out);
    m.put("problems", watch.lastRound() == null ? List.of() : watch.lastRound().problems());
    return new Reply(200, m);
  }

  private Reply rule(String method, ApiRequest r, String body) {
    String id = r.ctx().decodedPath().substring(RULE_PREFIX.length());
    if (id.isEmpty() || id.contains("/")) {
      throw new ApiException(404, "not_found", "no API endpoint at " + r.ctx().path()
          + "; a rule is addressed as /api/v1/alerts/rules/{id}");
    }
    return switch (method) {
      case "PUT" -> change(watch.save(withId(body, id), id));
      case "DELETE" -> change(watch.delete(id));
      default -> new Reply(200, ruleJson(watch.rule(id).orElseThrow(() ->
          new ApiException(404, "rule_not_found", "no alert rule '" + id + "'"))));
    };
  }

  /** A PUT body may leave out the id: the path gives it. */
  private static String withId(String body, String id) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n instanceof ObjectNode o && !o.has("id")) {
        o.put("id", id);
        return o.toString();
      }
    } catch (Exception e) {
      // not JSON: the parser says so
    }
    return body;
  }

  private static Reply change(RuleChange c) {
    return switch (c.status()) {
      case CREATED -> new Reply(201, ruleJson(c.rule()));
      case UPDATED -> new Reply(200, ruleJson(c.rule()));
      case DELETED -> new Reply(204, null);
      case INVALID -> new Reply(400, error("invalid_rule", c.message(), c.problems()));
      case NOT_FOUND -> new Reply(404, error("rule_not_found", c.message(), c.problems()));
      case CONFLICT -> new Reply(409, error("rule_conflict", c.message(), c.problems()));
    };
  }

  private static Map<String, Object> error(String code, String message, List<String> problems) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", problems.isEmpty() ? message : message + ": " + String.join("; ", problems));
    e.put("problems", problems);
    return Map.of("error", e);
  }

  static Object ruleJson(RuleView v) {
    ObjectNode n;
    if (v.rule() != null) {
      n = RuleParser.toJson(v.rule());
    } else {
      n = JSON.createObjectNode();
      n.put("id", v.id());
      n.put("json", v.json());
    }
    n.put("source", v.source());
    n.put("updatedAt", v.updatedAt() == null ? null : v.updatedAt().toString());
    n.put("state", v.state());
    n.put("firing", v.firing());
    if (!v.problems().isEmpty()) {
      v.problems().forEach(n.putArray("problems")::add);
    }
    return n;
  }

  private Map<String, Object> firing() {
    List<Object> out = new ArrayList<>();
    for (FiringAlert f : watch.firing()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ruleId", f.ruleId());
      m.put("ruleName", f.ruleName());
      m.put("group", f.group());
      m.put("state", f.state().wire());
      m.put("since", f.since() == null ? null : f.since().toString());
      m.put("value", plain(f.value()));
      m.put("severity", f.severity());
      m.put("summary", f.summary());
      out.add(m);
    }
    return Map.of("firing", out);
  }

  private Map<String, Object> history(ApiRequest r) {
    Instant since = TimeParam.parse("since", r.param("since"), r.now());
    Instant until = TimeParam.parse("until", r.param("until"), r.now());
    String ruleId = r.param("ruleId");
    if (ruleId != null && ruleId.length() > 128) {
      throw new ApiException(400, "invalid_parameter", "'ruleId' is at most 128 characters");
    }
    int limit = 100;
    String l = r.param("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 10_000) {
        throw new ApiException(400, "invalid_parameter", "'limit' must be a whole number from 1 to 10000; got '" + l + "'");
      }
    }
    List<Object> out = new ArrayList<>();
    for (AlertRecord a : store.alertHistory(new AlertHistoryQuery(ruleId, null, since, until, limit))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ruleId", a.ruleId());
      m.put("group", a.group());
      m.put("from", a.from());
      m.put("to", a.to());
      m.put("at", a.at().toString());
      m.put("value", plain(a.value()));
      m.put("message", a.message());
      out.add(m);
    }
    return Map.of("events", out);
  }

  private Map<String, Object> deliveries() {
    Notifier n = watch.notifier();
    List<Object> targets = new ArrayList<>();
    List<Object> out = new ArrayList<>();
    if (n != null) {
      for (WebhookTarget t : n.targets()) {
        targets.add(Map.of("name", t.name(), "url", t.safeUrl(), "format", format(t)));
      }
      n.deliveries().forEach(d -> out.add(delivery(d)));
    }
    return Map.of("targets", targets, "deliveries", out);
  }

  private Reply testFire(ApiRequest r) {
    Notifier n = watch.notifier();
    if (n == null || n.targets().isEmpty()) {
      throw new ApiException(400, "no_webhook", "no webhook is configured; add one with --webhook NAME=URL");
    }
    String name = r.param("target");
    if (name == null) {
      throw new ApiException(400, "missing_parameter", "'target' is required: one of "
          + n.targets().stream().map(WebhookTarget::name).toList());
    }
    WebhookTarget target = n.targets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
        new ApiException(404, "target_not_found", "no webhook named '" + name + "'; configured: "
            + n.targets().stream().map(WebhookTarget::name).toList()));
    return new Reply(200, delivery(n.testFire(target)));
  }

  private static String format(WebhookTarget t) {
    return t.format() == WebhookTarget.Format.SLACK ? "slack" : "json";
  }

  /** delivered; retrying (a later attempt follows); failed (given up). */
  static String outcome(Delivery d) {
    return Notifier.outcome(d);
  }

  private static Map<String, Object> delivery(Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("messageId", d.messageId());
    m.put("target", d.target());
    m.put("alertKeys", d.alertKeys());
    m.put("attempt", d.attempt());
    m.put("statusCode", d.statusCode());
    m.put("outcome", outcome(d));
    m.put("error", d.error());
    m.put("at", d.at() == null ? null : d.at().toString());
    m.put("test", d.test());
    return m;
  }

  private Map<String, Object> anomalies(ApiRequest r) {
    Instant until = TimeParam.parse("until", r.param("until"), r.now());
    until = until == null ? r.now() : until;
    Instant since = TimeParam.parse("since", r.param("since"), r.now());
    since = since == null ? until.minus(DEFAULT_ANOMALY_WINDOW) : since;
    if (!since.isBefore(until)) {
      throw new ApiException(400, "invalid_parameter", "'since' (" + since + ") must be before 'until' (" + until + ")");
    }
    if (Duration.between(since, until).toDays() > 366) {
      throw new ApiException(400, "invalid_parameter", "the window from " + since + " to " + until
          + " is longer than 366 days; ask for less");
    }
    CostAnomalyDetector d = watch.detector();
    List<Object> out = new ArrayList<>();
    if (d != null) {
      d.scan(since, until).forEach(a -> out.add(anomaly(a)));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", d != null);
    m.put("anomalies", out);
    return m;
  }

  private static Map<String, Object> anomaly(CostAnomaly a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
    m.put("start", a.start().toString());
    m.put("end", a.end().toString());
    m.put("ratio", finite(a.ratio()));
    m.put("observedUsd", a.observedUsd());
    m.put("baselineUsd", a.baselineUsd());
    m.put("summary", a.summary());
    Explanation x = a.explanation();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("text", x.text());
    e.put("callsEffectUsd", x.callsEffectUsd());
    e.put("costPerCallEffectUsd", x.costPerCallEffectUsd());
    List<Object> contributors = new ArrayList<>();
    for (Explanation.Contributor c : x.contributors()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("dimension", c.dimension().name().toLowerCase(Locale.ROOT));
      cm.put("key", c.key());
      cm.put("baselineUsd", c.baselineUsd());
      cm.put("observedUsd", c.observedUsd());
      cm.put("shareOfRise", c.shareOfRise());
      cm.put("newKey", c.newKey());
      contributors.add(cm);
    }
    e.put("contributors", contributors);
    List<Object> shifts = new ArrayList<>();
    for (Explanation.BucketShift s : x.shifts()) {
      shifts.add(Map.of("name", s.name(), "baselineShare", s.baselineShare(), "observedShare", s.observedShare()));
    }
    e.put("shifts", shifts);
    m.put("explanation", e);
    return m;
  }

  /** The alert families of /metrics: alerts firing per rule, and webhook deliveries per target and outcome. */
  public String metrics() {
    StringBuilder b = new StringBuilder();
    b.append("# HELP sightline_alerts_firing Alert groups firing now, by rule.\n");
    b.append("# TYPE sightline_alerts_firing gauge\n");
    Map<String, Long> byRule = new TreeMap<>();
    watch.rules().forEach(v -> byRule.put(v.id(), (long) v.firing()));
    // alerts raised by sources (anomalies, budgets) have no rule in the list: count them from what fires
    Set<String> ruleIds = Set.copyOf(byRule.keySet());
    watch.firing().stream().filter(f -> f.state() == AlertState.FIRING && !ruleIds.contains(f.ruleId()))
        .forEach(f -> byRule.merge(f.ruleId(), 1L, Long::sum));
    byRule.forEach((rule, n) -> b.append("sightline_alerts_firing{rule=\"").append(PrometheusLabels.escape(rule)).append("\"} ")
        .append(n).append('\n'));
    b.append("# HELP sightline_alert_deliveries_total Webhook delivery attempts, by target and outcome.\n");
    b.append("# TYPE sightline_alert_deliveries_total counter\n");
    Map<String, Long> counts = new TreeMap<>();
    if (watch.notifier() != null) {
      watch.notifier().attemptCounts().forEach((target, byOutcome) -> byOutcome.forEach((outcome, n) ->
          counts.put("target=\"" + PrometheusLabels.escape(target) + "\",outcome=\"" + outcome + "\"", n)));
    }
    counts.forEach((k, n) -> b.append("sightline_alert_deliveries_total{").append(k).append("} ").append(n).append('\n'));
    return b.toString();
  }


  private static String plain(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros().toPlainString();
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private HttpService endpoint(Set<String> methods, Set<String> allowed, Handler handler) {
    return (ctx, req) -> {
      String method = req.method().name();
      if (method.equals("HEAD") && methods.contains("GET")) {
        method = "GET";
      }
      if (!methods.contains(method)) {
        return ApiEndpoints.json(405, ApiJson.error("method_not_allowed", req.method()
            + " is not supported here; use " + String.join(" or ", new java.util.TreeSet<>(methods))));
      }
      QueryParams params = QueryParams.fromQueryString(ctx.query());
      for (String name : params.names()) {
        if (!allowed.contains(name)) {
          return ApiEndpoints.json(400, ApiJson.error("unknown_parameter", "unknown query parameter '" + name + "'"
              + (allowed.isEmpty() ? "" : "; this endpoint takes " + String.join(", ", new java.util.TreeSet<>(allowed)))));
        }
      }
      String m = method;
      return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> answer(ctx, agg, m, params, handler), ctx.makeContextAware(blocking)));
    };
  }

  private HttpResponse answer(ServiceRequestContext ctx, AggregatedHttpRequest agg, String method, QueryParams params,
      Handler handler) {
    try {
      if (agg.content().length() > MAX_BODY) {
        return ApiEndpoints.json(413, ApiJson.error("too_large", "a rule is at most " + MAX_BODY + " bytes"));
      }
      Reply reply = handler.handle(method, new ApiRequest(ctx, params, clock.instant()),
          agg.content().toString(StandardCharsets.UTF_8));
      if (reply.status() == 204) {
        return HttpResponse.of(com.linecorp.armeria.common.HttpStatus.NO_CONTENT);
      }
      return ApiEndpoints.json(reply.status(), reply.body());
    } catch (ApiException e) {
      return ApiEndpoints.json(e.status, ApiJson.error(e.code, e.getMessage()));
    } catch (IllegalArgumentException e) {
      return ApiEndpoints.json(400, ApiJson.error("invalid_parameter", e.getMessage()));
    } catch (RuntimeException e) {
      log.error("API request {} failed", ctx.path(), e);
      return ApiEndpoints.json(500, ApiJson.error("internal", "Sightline failed to answer this request: " + e));
    }
  }
}
