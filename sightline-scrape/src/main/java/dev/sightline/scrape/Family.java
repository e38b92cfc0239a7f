package dev.sightline.scrape;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric family (the samples under one {@code # TYPE}), gathered per label set and then turned
 * into {@link MetricPoint}s.
 */
final class Family {

  /** The text formats' metric types, with the sample-name suffixes each one owns. */
  enum Kind {
    COUNTER(true, "_total", "_created"),
    GAUGE(true),
    HISTOGRAM(false, "_bucket", "_count", "_sum", "_created"),
    GAUGEHISTOGRAM(false, "_bucket", "_gcount", "_gsum"),
    SUMMARY(true, "_count", "_sum", "_created"),
    INFO(false, "_info"),
    UNTYPED(true);

    final boolean bareName;
    final List<String> suffixes;

    Kind(boolean bareName, String... suffixes) {
      this.bareName = bareName;
      this.suffixes = List.of(suffixes);
    }

    static Kind of(String word) {
      return switch (word.toLowerCase(Locale.ROOT)) {
        case "counter" -> COUNTER;
        case "gauge", "stateset" -> GAUGE;
        case "histogram" -> HISTOGRAM;
        case "gaugehistogram" -> GAUGEHISTOGRAM;
        case "summary" -> SUMMARY;
        case "info" -> INFO;
        case "untyped", "unknown" -> UNTYPED;
        default -> null;
      };
    }
  }

  /** The samples of one label set (histogram {@code le} and summary {@code quantile} left out). */
  private static final class Series {
    final Map<String, String> labels;
    final int line;
    final long time;
    Double value;
    Double count;
    Double sum;
    Long created;
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    final TreeMap<Double, Double> quantiles = new TreeMap<>();

    Series(Map<String, String> labels, int line, long time) {
      this.labels = labels;
      this.line = line;
      this.time = time;
    }
  }

  final String name;
  Kind kind = Kind.UNTYPED;
  boolean typed;
  String help = "";
  String unit = "";

  /** The OpenMetrics UNIT, or null when the page declares none. */
  private String unitOrNull() {
    return unit.isEmpty() ? null : unit;
  }
  boolean hasSamples;
  private final Map<Map<String, String>, Series> series = new LinkedHashMap<>();

  Family(String name) {
    this.name = name;
  }

  /** The suffix this family owns on {@code sampleName}, "" for the bare name, or null if not its sample. */
  String suffixOf(String sampleName) {
    if (sampleName.equals(name)) {
      return kind.bareName ? "" : null;
    }
    for (String suffix : kind.suffixes) {
      if (sampleName.length() == name.length() + suffix.length() && sampleName.startsWith(name)
          && sampleName.endsWith(suffix)) {
        return suffix;
      }
    }
    return null;
  }

  /** Adds one sample; a message if it does not fit this family, else null. */
  String add(SampleLine s, String suffix, int line, long time) {
    hasSamples = true;
    Map<String, String> labels = new TreeMap<>(s.labels());
    String special = switch (kind) {
      case HISTOGRAM, GAUGEHISTOGRAM -> suffix.equals("_bucket") ? "le" : null;
      case SUMMARY -> suffix.isEmpty() ? "quantile" : null;
      default -> null;
    };
    Double at = null;
    if (special != null) {
      String raw = labels.remove(special);
      if (raw == null) {
        return "sample of " + kind.name().toLowerCase(Locale.ROOT) + " " + SampleLine.clip(name)
            + " has no '" + special + "' label";
      }
      try {
        at = SampleLine.number(raw.strip());
      } catch (SampleLine.BadLine e) {
        return "label " + special + " is " + e.getMessage();
      }
    }
    Series x = series.computeIfAbsent(labels, k -> new Series(Collections.unmodifiableMap(k), line, time));
    double v = s.value();
    boolean duplicate = switch (suffix) {
      case "", "_total", "_info" -> {
        if (kind == Kind.SUMMARY) {
          yield x.quantiles.put(at, v) != null;
        }
        boolean seen = x.value != null;
        x.value = v;
        yield seen;
      }
      case "_bucket" -> x.buckets.put(at, v) != null;
      case "_count", "_gcount" -> {
        boolean seen = x.count != null;
        x.count = v;
        yield seen;
      }
      case "_sum", "_gsum" -> {
        boolean seen = x.sum != null;
        x.sum = v;
        yield seen;
      }
      case "_created" -> {
        boolean seen = x.created != null;
        x.created = secondsToNanos(v);
        yield seen;
      }
      default -> false;
    };
    return duplicate ? "duplicate sample " + SampleLine.clip(s.name()) + labelText(s.labels()) : null;
  }

  /** Takes this (0.0.4 style {@code x_created} gauge) family's values as start times of {@code target}. */
  void giveCreatedTo(Family target) {
    for (Series s : series.values()) {
      Series t = target.series.get(s.labels);
      if (t != null && s.value != null && t.created == null) {
        t.created = secondsToNanos(s.value);
      }
    }
  }

  /** The family's points; series that cannot become a point add a message to {@code errors}. */
  void emit(String service, List<MetricPoint> out, List<String> errors) {
    for (Series s : series.values()) {
      long start = s.created == null ? 0L : s.created;
      Map<String, Object> attrs = Collections.unmodifiableMap(new LinkedHashMap<>(s.labels));
      switch (kind) {
        case COUNTER -> {
          if (s.value != null) {
            out.add(new MetricPoint(name, help, unitOrNull(), MetricType.SUM, s.time, start, service, attrs,
                s.value, null, null, null, null, true));
          } else {
            errors.add(where(s) + "counter " + SampleLine.clip(name) + labelText(s.labels) + " has no value");
          }
        }
        case GAUGE, UNTYPED, INFO -> {
          if (s.value != null) {
            out.add(new MetricPoint(name, help, unitOrNull(), MetricType.GAUGE, s.time, 0L, service, attrs,
                s.value, null, null, null, null, false));
          }
        }
        case HISTOGRAM, GAUGEHISTOGRAM -> histogram(s, start, attrs, service, out, errors);
        case SUMMARY -> {
          out.add(new MetricPoint(name, help, unitOrNull(), MetricType.SUMMARY, s.time, start, service, attrs,
              null, s.count == null ? null : toCount(s.count), s.sum, null, null, false));
          for (Map.Entry<Double, Double> q : s.quantiles.entrySet()) {
            Map<String, Object> qa = new LinkedHashMap<>(s.labels);
            qa.put("quantile", q.getKey());
            out.add(new MetricPoint(name + ".quantile", help, unitOrNull(), MetricType.GAUGE, s.time, 0L, service,
                Collections.unmodifiableMap(qa), q.getValue(), null, null, null, null, false));
          }
        }
      }
    }
  }

  private void histogram(Series s, long start, Map<String, Object> attrs, String service,
      List<MetricPoint> out, List<String> errors) {
    String what = "histogram " + SampleLine.clip(name) + labelText(s.labels);
    Double inf = s.buckets.get(Double.POSITIVE_INFINITY);
    if (inf == null) {
      errors.add(where(s) + what + " has no +Inf bucket; it was dropped");
      return;
    }
    List<Double> bounds = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    double previous = 0;
    for (Map.Entry<Double, Double> b : s.buckets.entrySet()) {
      double cumulative = b.getValue();
      if (!(cumulative >= previous) || Double.isInfinite(cumulative) || b.getKey().isNaN()) {
        errors.add(where(s) + what + " has buckets that are not cumulative; it was dropped");
        return;
      }
      if (!b.getKey().isInfinite()) {
        bounds.add(b.getKey());
      } else if (b.getKey() < 0) {
        continue;
      }
      counts.add(toCount(cumulative) - toCount(previous));
      previous = cumulative;
    }
    Long count = s.count != null && s.count >= 0 && !s.count.isNaN() ? toCount(s.count) : toCount(inf);
    out.add(new MetricPoint(name, help, unitOrNull(), MetricType.HISTOGRAM, s.time, start, service, attrs,
        null, count, s.sum, List.copyOf(bounds), List.copyOf(counts), kind == Kind.HISTOGRAM));
  }

  private static long toCount(double v) {
    return v >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0L, Math.round(v));
  }

  private static Long secondsToNanos(double seconds) {
    return Double.isFinite(seconds) && Math.abs(seconds) < 9.2e9 ? Math.round(seconds * 1e9) : null;
  }

  private static String where(Series s) {
    return "line " + s.line + ": ";
  }

  static String labelText(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"")
        .append(SampleLine.clip(v)).append('"'));
    return SampleLine.clip(b.append('}').toString());
  }
}
