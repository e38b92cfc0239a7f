package dev.sightline.engines;

import dev.sightline.engines.EngineCatalog.Shape;
import dev.sightline.engines.EngineCatalog.Source;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.MetricValue;
import dev.sightline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one engine's figures through the alias table: every stored alias of a figure is queried as
 * one series (so a rename between engine versions reads as one figure), restricted to the engine's
 * service and model label. The "now" figures are one bucket as long as the window.
 */
final class FigureReader {
  private final Store store;

  FigureReader(Store store) {
    this.store = store;
  }

  EngineFigures now(EngineRef e, Instant now, Duration window) {
    Instant since = now.minus(window);
    Duration step = oneBucket(window);
    return new EngineFigures(
        last(series(e, Figure.KV_CACHE_USAGE, null, since, now, step)),
        last(series(e, Figure.REQUESTS_RUNNING, null, since, now, step)),
        last(series(e, Figure.REQUESTS_WAITING, null, since, now, step)),
        last(series(e, Figure.PREEMPTIONS, null, since, now, step)),
        last(series(e, Figure.PREFIX_CACHE_HIT_RATE, null, since, now, step)),
        last(series(e, Figure.PROMPT_TOKENS, null, since, now, step)),
        last(series(e, Figure.GENERATION_TOKENS, null, since, now, step)),
        last(series(e, Figure.TTFT, 0.5, since, now, step)),
        last(series(e, Figure.TTFT, 0.95, since, now, step)),
        last(series(e, Figure.ITL, 0.5, since, now, step)),
        last(series(e, Figure.ITL, 0.95, since, now, step)),
        last(series(e, Figure.E2E, 0.5, since, now, step)),
        last(series(e, Figure.E2E, 0.95, since, now, step)));
  }

  /**
   * A step that makes [since, until) one bucket: the metric query gives one bucket for a step longer
   * than its window.
   */
  static Duration oneBucket(Duration window) {
    return window.plusMillis(1);
  }

  /**
   * The figure over time in the figure's unit ({@code quantile} for latencies, 0..1); empty when the
   * engine stores none of the figure's names.
   */
  List<MetricValue> series(EngineRef e, Figure figure, Double quantile, Instant since, Instant until, Duration step) {
    List<Source> present = EngineCatalog.sources(e.kind(), figure).stream()
        .filter(s -> e.names().contains(s.name())).toList();
    if (present.isEmpty()) {
      return List.of();
    }
    List<Source> hits = shaped(present, Shape.HITS);
    List<Source> queries = shaped(present, Shape.QUERIES);
    if (!hits.isEmpty() && !queries.isEmpty()) {
      return ratio(read(e, hits, "increase", since, until, step), read(e, queries, "increase", since, until, step));
    }
    List<Source> gauges = shaped(present, Shape.GAUGE);
    if (!gauges.isEmpty()) {
      // counts add up over series (data-parallel ranks); a ratio is their mean
      boolean count = figure == Figure.REQUESTS_RUNNING || figure == Figure.REQUESTS_WAITING;
      return read(e, gauges, count ? "sum" : "last", since, until, step);
    }
    List<Source> counters = shaped(present, Shape.COUNTER);
    if (!counters.isEmpty()) {
      return read(e, counters, "rate", since, until, step);
    }
    List<Source> histograms = shaped(present, Shape.HISTOGRAM);
    if (!histograms.isEmpty()) {
      String agg = "p" + stripZeros(100 * (quantile == null ? 0.95 : quantile));
      return scale(read(e, histograms, agg, since, until, step), 1000);
    }
    List<Source> sums = shaped(present, Shape.HISTOGRAM_SUM);
    if (!sums.isEmpty()) {
      // mean per request × requests per second = Σ tokens per second
      return product(read(e, sums, "mean", since, until, step), read(e, sums, "rate", since, until, step));
    }
    return List.of();
  }

  private List<MetricValue> read(EngineRef e, List<Source> sources, String agg, Instant since, Instant until,
      Duration step) {
    Map<String, String> where = e.model() == null || e.kind().modelLabel() == null ? Map.of()
        : Map.of(e.kind().modelLabel(), e.model());
    List<String> names = sources.stream().map(Source::name).distinct().toList();
    List<MetricSeries> out = store.metricSeries(
        new MetricQuery(names, e.service(), where, List.of(), since, until, step, agg));
    if (out.isEmpty()) {
      return List.of();
    }
    // every alias shares one scale within a figure; the table's scales are 1 today
    return scale(out.get(0).values(), sources.get(0).scale());
  }

  private static List<Source> shaped(List<Source> sources, Shape shape) {
    return sources.stream().filter(s -> s.shape() == shape).toList();
  }

  static Double last(List<MetricValue> values) {
    if (values.isEmpty()) {
      return null;
    }
    double v = values.get(values.size() - 1).value();
    return Double.isFinite(v) ? v : null;
  }

  private static List<MetricValue> scale(List<MetricValue> values, double factor) {
    if (factor == 1) {
      return values;
    }
    return values.stream().map(v -> new MetricValue(v.time(), v.value() * factor)).toList();
  }

  /** Bucket by bucket; a bucket without queries has no rate. */
  private static List<MetricValue> ratio(List<MetricValue> hits, List<MetricValue> queries) {
    Map<Instant, Double> h = byTime(hits);
    List<MetricValue> out = new ArrayList<>();
    for (MetricValue q : queries) {
      Double hit = h.get(q.time());
      if (q.value() > 0 && hit != null) {
        out.add(new MetricValue(q.time(), Math.min(1.0, hit / q.value())));
      }
    }
    return out;
  }

  /** Bucket by bucket; no requests in a bucket is zero tokens per second even though the mean is undefined. */
  private static List<MetricValue> product(List<MetricValue> means, List<MetricValue> rates) {
    Map<Instant, Double> m = byTime(means);
    List<MetricValue> out = new ArrayList<>();
    for (MetricValue r : rates) {
      Double mean = m.get(r.time());
      if (r.value() == 0) {
        out.add(new MetricValue(r.time(), 0));
      } else if (mean != null) {
        out.add(new MetricValue(r.time(), mean * r.value()));
      }
    }
    return out;
  }

  private static Map<Instant, Double> byTime(List<MetricValue> values) {
    Map<Instant, Double> out = new TreeMap<>();
    values.forEach(v -> out.put(v.time(), v.value()));
    return out;
  }

  private static String stripZeros(double percent) {
    return java.math.BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString();
  }
}
