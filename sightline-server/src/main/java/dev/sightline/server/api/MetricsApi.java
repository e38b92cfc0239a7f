package dev.sightline.server.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.scrape.TargetHealth;
import dev.sightline.store.MetricName;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.MetricValue;
import dev.sightline.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric endpoints: series of any stored metric (OTLP or scraped) with rates for counters and
 * percentiles from histogram buckets, the names stored, and the scrape targets' health.
 */
public final class MetricsApi {
  private static final Pattern STEP = Pattern.compile("^(\\d{1,6})(s|m|h|d)$");
  /** The steps {@code auto} picks from, in seconds, smallest first: about 120 points per chart. */
  private static final long[] AUTO_STEPS = {5, 10, 15, 30, 60, 300, 900, 3600, 10800, 21600, 43200, 86400};
  private static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  /** Most buckets one series request may ask for. */
  static final long MAX_POINTS = 10_000;

  private final Store store;
  private final Executor blocking;
  private final Clock clock;
  private final Supplier<List<TargetHealth>> targets;

  /** {@code targets} gives the scrape targets' health (empty when nothing is scraped). */
  public MetricsApi(Store store, Executor blocking, Supplier<List<TargetHealth>> targets) {
    this(store, blocking, targets, Clock.systemUTC());
  }

  MetricsApi(Store store, Executor blocking, Supplier<List<TargetHealth>> targets, Clock clock) {
    this.store = store;
    this.blocking = blocking;
    this.targets = targets;
    this.clock = clock;
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/metrics/series", ApiEndpoints.get(blocking, clock, this::series,
        Set.of("name", "service", "where", "groupBy", "since", "until", "step", "agg")));
    sb.service("/api/v1/metrics/names", ApiEndpoints.get(blocking, clock, this::names,
        Set.of("prefix", "service", "since", "until", "limit")));
    sb.service("/api/v1/scrape/targets", ApiEndpoints.get(blocking, clock, r -> Map.of("targets", targets()),
        Set.of()));
  }

  private List<Object> targets() {
    List<Object> out = new ArrayList<>();
    for (TargetHealth t : targets.get()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("kind", t.kind());
      m.put("url", t.url());
      m.put("intervalMs", t.intervalMs());
      m.put("up", t.up());
      m.put("lastScrape", t.lastScrape() == null ? null : t.lastScrape().toString());
      m.put("lastDurationMs", t.lastDurationMs());
      m.put("lastError", t.lastError());
      m.put("samples", t.samples());
      m.put("pageErrors", t.pageErrors());
      m.put("scrapes", t.scrapes());
      m.put("failures", t.failures());
      m.put("consecutiveFailures", t.consecutiveFailures());
      m.put("skippedTicks", t.skippedTicks());
      m.put("sinkFailures", t.sinkFailures());
      out.add(m);
    }
    return out;
  }

  private Object series(ApiRequest r) {
    List<String> names = r.params("name");
    if (names.isEmpty()) {
      throw new ApiException(400, "missing_parameter", "'name' is required (repeat it to read renamed metrics as one"
          + " series), e.g. ?name=vllm:kv_cache_usage_perc&name=vllm:gpu_cache_usage_perc; /api/v1/metrics/names lists"
          + " the stored names");
    }
    SeriesWindow w = seriesWindow(r);
    Map<String, String> where = new LinkedHashMap<>();
    for (String condition : r.params("where")) {
      int i = condition.indexOf(':');
      if (i <= 0) {
        throw new ApiException(400, "invalid_parameter", "'where' must be label:value, e.g. where=model_name:llama3;"
            + " got '" + condition + "'");
      }
      where.put(condition.substring(0, i).trim(), condition.substring(i + 1).trim());
    }
    List<String> groupBy = new ArrayList<>();
    if (r.param("groupBy") != null) {
      for (String g : r.param("groupBy").split(",")) {
        if (!g.isBlank()) {
          groupBy.add(g.trim());
        }
      }
    }
    List<MetricSeries> result = store.metricSeries(new MetricQuery(names, r.param("service"), where, groupBy,
        w.since(), w.until(), w.step(), r.param("agg")));
    List<Object> out = new ArrayList<>();
    for (MetricSeries s : result) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", s.group());
      m.put("kind", s.kind());
      m.put("agg", s.agg());
      m.put("unit", s.unit());
      m.put("points", points(s.values()));
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("names", names);
    body.put("since", w.since().toString());
    body.put("until", w.until().toString());
    body.put("stepMs", w.step().toMillis());
    body.put("series", out);
    return body;
  }

  private Object names(ApiRequest r) {
    Instant until = r.param("until") == null ? null : TimeParam.parse("until", r.param("until"), r.now());
    Instant since = r.param("since") == null ? null : TimeParam.parse("since", r.param("since"), r.now());
    int limit = 1000;
    if (r.param("limit") != null) {
      try {
        limit = Integer.parseInt(r.param("limit"));
        if (limit < 1 || limit > 10_000) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ApiException(400, "invalid_parameter", "'limit' must be a whole number from 1 to 10000; got '"
            + r.param("limit") + "'");
      }
    }
    List<Object> out = new ArrayList<>();
    for (MetricName n : store.metricNames(r.param("prefix"), r.param("service"), since, until, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", n.name());
      m.put("kind", n.kind());
      m.put("unit", n.unit());
      m.put("description", n.description());
      m.put("series", n.series());
      m.put("points", n.points());
      m.put("lastSeen", n.lastSeen() == null ? null : n.lastSeen().toString());
      m.put("services", n.services());
      m.put("labelKeys", n.labelKeys());
      out.add(m);
    }
    return Map.of("names", out);
  }

  /** A series request's window: [since, until) in steps. */
  record SeriesWindow(Instant since, Instant until, Duration step) {}

  /**
   * {@code since} (default: {@code until} − 1 h), {@code until} (default: now) and {@code step}
   * (default auto), refused with a 400 when the window is empty or holds more than 10,000 steps.
   */
  static SeriesWindow seriesWindow(ApiRequest r) {
    Instant until = r.param("until") == null ? r.now() : TimeParam.parse("until", r.param("until"), r.now());
    Instant since = r.param("since") == null ? until.minus(DEFAULT_WINDOW)
        : TimeParam.parse("since", r.param("since"), r.now());
    if (!since.isBefore(until)) {
      throw new ApiException(400, "invalid_parameter", "'since' (" + since + ") must be before 'until' (" + until
          + "); the window is [since, until)");
    }
    Duration step = step(r.param("step"), Duration.between(since, until));
    long points = Duration.between(since, until).dividedBy(step) + 1;
    if (points > MAX_POINTS) {
      throw new ApiException(400, "too_many_points", "the window from " + since + " to " + until + " holds " + points
          + " steps of " + step + ", more than " + MAX_POINTS + "; widen 'step' or narrow the window");
    }
    return new SeriesWindow(since, until, step);
  }

  /** Bucket values as JSON points; a value that is not finite is null. */
  static List<Object> points(List<MetricValue> values) {
    List<Object> points = new ArrayList<>(values.size());
    for (MetricValue v : values) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("time", v.time().toString());
      p.put("value", Double.isFinite(v.value()) ? v.value() : null);
      points.add(p);
    }
    return points;
  }

  /** {@code auto}, or a step such as {@code 15s}, {@code 1m}, {@code 1h}, {@code 1d}. */
  static Duration step(String value, Duration window) {
    if (value == null || value.equals("auto")) {
      long seconds = Math.max(1, window.toSeconds());
      for (long s : AUTO_STEPS) {
        if (seconds / s <= 120) {
          return Duration.ofSeconds(s);
        }
      }
      return Duration.ofDays(Math.max(1, window.toDays() / 120 + 1));
    }
    Duration d = amount(value);
    if (d == null) {
      throw new ApiException(400, "invalid_parameter", "'step' must be auto or a step such as 15s, 1m, 5m, 1h, 1d;"
          + " got '" + value + "'");
    }
    return d;
  }

  /** {@code 15s}, {@code 5m}, {@code 1h}, {@code 7d} (up to six digits), or null when not such a positive amount. */
  static Duration amount(String value) {
    Matcher m = value == null ? null : STEP.matcher(value);
    if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
