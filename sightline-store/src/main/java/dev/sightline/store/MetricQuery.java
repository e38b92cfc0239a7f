package dev.sightline.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Metric points of the given names (several names read as one series: a metric renamed between
 * engine versions) whose time is in [since, until), null bounds open, in UTC-aligned buckets of
 * {@code step} (one minute when null or not positive; a step longer than the window gives one
 * bucket), optionally only of one {@code service} and only where each label in {@code where} has
 * that value, grouped by the labels in {@code groupBy} (the keys {@code service} and {@code name}
 * read the point's service and metric name; an absent label groups under null).
 *
 * <p>{@code agg} says what each bucket's value is, by the kind of metric (null: the kind's default,
 * first in each list):
 * <ul>
 *   <li>gauges (and non-monotonic sums, and summaries' {@code .quantile} gauges): {@code avg} (of all
 *       samples in the bucket and group), {@code max}, {@code min}, {@code sum} (Σ over series of each
 *       series' last sample in the bucket), {@code last} (mean over series of each series' last sample);
 *   <li>counters (monotonic sums): {@code rate} (per second, Σ over series), {@code increase};
 *       a value that drops (or a new start time) is a reset and counts from zero; delta points add up;
 *   <li>histograms: {@code p50}, or any {@code pNN} / {@code pNN.N} quantile of the bucket counts
 *       observed in the bucket (linear within a bucket, as Prometheus' histogram_quantile), {@code mean}
 *       (Δsum ÷ Δcount), {@code rate} (observations per second);
 *   <li>summaries and exponential histograms: {@code mean}, {@code rate}.
 * </ul>
 *
 * <p>In detail: the kind is that of the first name (in the given order) with points in the window;
 * points of the other names of another kind are left out. {@code where} keys {@code service} and
 * {@code name} test the point's service and name, like {@code groupBy}; label keys are letters,
 * digits and {@code _ . : / -}. Non-finite gauge samples (NaN, ±Inf) are left out. A series (name +
 * service + label set) counts its increase in the first bucket from its last point in the step before
 * {@code since}, else from its own first point in the window, unless that point's start time lies
 * after that step's start (a counter created inside the window: it counts from zero). A rate divides
 * by the seconds of the bucket that lie inside the window. A histogram whose bounds change counts
 * from zero; a group's quantiles are taken over the bounds with most observations in the window, and
 * points with other bounds count in {@code mean} and {@code rate} only. A bucket without observations
 * has no quantile and no mean.
 */
public record MetricQuery(
    List<String> names,
    String service,
    Map<String, String> where,
    List<String> groupBy,
    Instant since,
    Instant until,
    Duration step,
    String agg) {

  public MetricQuery {
    names = names == null ? List.of() : List.copyOf(names);
    where = where == null ? Map.of() : Map.copyOf(where);
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
  }

  /** One name, no filter, no grouping, the kind's default aggregation. */
  public static MetricQuery of(String name, Instant since, Instant until, Duration step) {
    return new MetricQuery(List.of(name), null, Map.of(), List.of(), since, until, step, null);
  }
}
