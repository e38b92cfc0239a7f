package dev.sightline.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group's figures per time bucket, summed over its series, and the value each aggregation reads
 * from them. Gauges add per-series bucket summaries; counters, histograms and summaries add each
 * series' increase in the bucket.
 */
final class MetricBuckets {
  /** What one bucket of the group has gathered. */
  static final class Cell {
    // gauges: samples, their sum, extremes, and the series' last samples
    long samples;
    double sum;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    double lastSum;
    long lastSeries;
    // counters: the increase; histograms and summaries: observations and their sum
    double increase;
    double observations;
    double observedSum;
    /** Histogram bucket increases per bounds (the stored JSON text of the bounds). */
    Map<String, double[]> counts;
  }

  private final TreeMap<Long, Cell> cells = new TreeMap<>();
  /** Points of the group in the window: groups are ranked by it. */
  long points;
  /** Observations per histogram bounds over the whole window: the most observed bounds are the group's. */
  private final Map<String, Double> observationsByBounds = new HashMap<>();

  Cell at(long bucket) {
    return cells.computeIfAbsent(bucket, b -> new Cell());
  }

  void addGauge(long bucket, long n, double sum, double max, double min, double last) {
    Cell c = at(bucket);
    c.samples += n;
    c.sum += sum;
    c.max = Math.max(c.max, max);
    c.min = Math.min(c.min, min);
    c.lastSum += last;
    c.lastSeries++;
  }

  /**
   * Adds one series' increase in {@code bucket}: {@code v} holds the value for counters, else the
   * observation count, their sum, then the histogram's per-bucket counts (with {@code bounds}).
   */
  void addIncrease(long bucket, double[] v, String bounds) {
    Cell c = at(bucket);
    c.increase += v[0];
    c.observations += v[0];
    if (v.length > 1) {
      c.observedSum += v[1];
    }
    if (v.length > 2 && bounds != null) {
      if (c.counts == null) {
        c.counts = new HashMap<>();
      }
      double[] into = c.counts.computeIfAbsent(bounds, b -> new double[v.length - 2]);
      if (into.length == v.length - 2) {
        for (int i = 0; i < into.length; i++) {
          into[i] += v[i + 2];
        }
        observationsByBounds.merge(bounds, v[0], Double::sum);
      }
    }
  }

  /** The group's values under {@code agg}; buckets without a value (no observation, no sample) are left out. */
  List<MetricValue> values(String agg, MetricWindow w) {
    Double q = MetricWindow.quantile(agg);
    String bounds = null;
    double[] bounded = null;
    if (q != null) {
      bounds = observationsByBounds.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
          .orElse(null);
      bounded = bounds == null ? null : parseBounds(bounds);
    }
    List<MetricValue> out = new ArrayList<>(cells.size());
    for (Map.Entry<Long, Cell> e : cells.entrySet()) {
      Cell c = e.getValue();
      double value;
      if (q != null) {
        double[] counts = c.counts == null || bounds == null ? null : c.counts.get(bounds);
        value = counts == null ? Double.NaN : quantile(q, bounded, counts);
      } else {
        value = switch (agg) {
          case "avg" -> c.samples == 0 ? Double.NaN : c.sum / c.samples;
          case "max" -> c.max;
          case "min" -> c.min;
          case "sum" -> c.lastSum;
          case "last" -> c.lastSeries == 0 ? Double.NaN : c.lastSum / c.lastSeries;
          case "increase" -> c.increase;
          case "rate" -> c.observations / w.seconds(e.getKey());
          case "mean" -> c.observations <= 0 ? Double.NaN : c.observedSum / c.observations;
          default -> throw new IllegalStateException("agg " + agg);
        };
      }
      if (Double.isFinite(value)) {
        out.add(new MetricValue(Sql.instant(e.getKey()), value));
      }
    }
    return out;
  }

  private static double[] parseBounds(String json) {
    if (!(ValueJson.read(json) instanceof List<?> list)) {
      return new double[0];
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
    return out;
  }

  /**
   * The {@code q} quantile of per-bucket counts (the last one the +Inf bucket), interpolated linearly
   * inside the bucket that holds it, as Prometheus' histogram_quantile does: the first bucket starts
   * at 0 (or is its upper bound when that is not positive) and the +Inf bucket gives the highest
   * finite bound. NaN without observations, or without finite bounds.
   */
  static double quantile(double q, double[] bounds, double[] counts) {
    if (counts.length != bounds.length + 1) {
      return Double.NaN;
    }
    double total = 0;
    for (double c : counts) {
      total += Math.max(0, c);
    }
    if (total <= 0 || bounds.length == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double below = 0;
    for (int i = 0; i < counts.length; i++) {
      double c = Math.max(0, counts[i]);
      if (c > 0 && below + c >= rank) {
        if (i == bounds.length) {
          return bounds[bounds.length - 1];
        }
        double upper = bounds[i];
        if (i == 0 && upper <= 0) {
          return upper;
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        return lower + (upper - lower) * (rank - below) / c;
      }
      below += c;
    }
    return bounds[bounds.length - 1];
  }
}
