package dev.sightline.engines;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A second scrape derived from a first: the same page later, with counters raised and observations added. */
final class Pages {
  private Pages() {}

  /** An observation of {@code value} seen {@code n} more times. */
  record Observed(double value, long n) {}

  static List<MetricPoint> later(List<MetricPoint> page, long timeNanos, Map<String, Double> counterAdds,
      Map<String, Observed> observations, Map<String, Double> gaugeValues) {
    List<MetricPoint> out = new ArrayList<>();
    for (MetricPoint p : page) {
      Double value = p.value();
      Long count = p.count();
      Double sum = p.sum();
      List<Long> buckets = p.bucketCounts();
      if (p.type() == MetricType.SUM && counterAdds.containsKey(p.name())) {
        value = value + counterAdds.get(p.name());
      } else if (p.type() == MetricType.GAUGE && gaugeValues.containsKey(p.name())) {
        value = gaugeValues.get(p.name());
      } else if (p.type() == MetricType.HISTOGRAM && observations.containsKey(p.name())) {
        Observed o = observations.get(p.name());
        count = count + o.n();
        sum = sum + o.value() * o.n();
        buckets = new ArrayList<>(buckets);
        int i = bucketOf(p.bucketBounds(), o.value());
        buckets.set(i, buckets.get(i) + o.n());
      }
      out.add(new MetricPoint(p.name(), p.description(), p.unit(), p.type(), timeNanos, p.startEpochNanos(),
          p.service(), p.attributes(), value, count, sum, p.bucketBounds(), buckets, p.monotonic(), p.delta()));
    }
    return out;
  }

  /** The index of the bucket (upper bound inclusive) holding {@code v}; the last index is +Inf. */
  static int bucketOf(List<Double> bounds, double v) {
    for (int i = 0; i < bounds.size(); i++) {
      if (v <= bounds.get(i)) {
        return i;
      }
    }
    return bounds.size();
  }

  /**
   * Where quantile {@code q} of observations that all fell in one bucket lies, interpolated linearly
   * inside that bucket (Prometheus' histogram_quantile, which the metric store follows).
   */
  static double quantile(List<Double> bounds, double v, double q) {
    int i = bucketOf(bounds, v);
    double lower = i == 0 ? 0 : bounds.get(i - 1);
    return lower + (bounds.get(i) - lower) * q;
  }

  static MetricPoint gauge(String name, String service, long timeNanos, double value, Map<String, Object> labels) {
    return new MetricPoint(name, null, null, MetricType.GAUGE, timeNanos, 0, service, labels, value, null, null,
        null, null, false);
  }

  static MetricPoint histogram(String name, String service, long timeNanos, List<Double> bounds, List<Long> counts,
      double sum) {
    long count = counts.stream().mapToLong(Long::longValue).sum();
    return new MetricPoint(name, null, null, MetricType.HISTOGRAM, timeNanos, 0, service, Map.of(), null, count, sum,
        bounds, counts, true);
  }
}
