package dev.sightline.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link MetricQuery} checked and turned into what the SQL needs: names, the window in epoch
 * nanoseconds, the bucket grid ({@code origin} + k × {@code step}) and the aggregation. Every refusal
 * of a query is made here, with a message that says what to change.
 */
record MetricWindow(List<String> names, String service, Map<String, String> where, List<String> groupBy, long lo,
    long hi, long origin, long step, String agg) {

  static final int MAX_NAMES = 50;
  static final int MAX_GROUP_KEYS = 10;
  static final int MAX_BUCKETS = 10_000;
  private static final long DEFAULT_STEP = Duration.ofMinutes(1).toNanos();
  /** A century: longer steps could overflow the bucket arithmetic, and give one bucket anyway. */
  private static final long MAX_STEP = Duration.ofDays(36_500).toNanos();
  /**
   * Label keys: Prometheus label names plus the dots, colons, slashes and dashes of OTel attribute
   * keys. Nothing that could end a quoted JSON path ({@code "} or {@code \}) gets through.
   */
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:/-]{0,127}");
  private static final Pattern QUANTILE = Pattern.compile("p(\\d{1,3}(\\.\\d{1,6})?)");

  static final List<String> GAUGE_AGGS = List.of("avg", "max", "min", "sum", "last");
  static final List<String> COUNTER_AGGS = List.of("rate", "increase");
  static final List<String> SUMMARY_AGGS = List.of("mean", "rate");

  /** The checked window of {@code q}; {@code forSeries} false checks only what latestSamples reads. */
  static MetricWindow of(MetricQuery q, boolean forSeries) {
    if (q == null) {
      throw new IllegalArgumentException("a metric query needs at least one metric name");
    }
    Set<String> names = new LinkedHashSet<>();
    for (String n : q.names()) {
      if (n != null && !n.isBlank()) {
        names.add(n.strip());
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a metric query needs at least one metric name (name=…)");
    }
    if (names.size() > MAX_NAMES) {
      throw new IllegalArgumentException("a metric query reads at most " + MAX_NAMES + " names, got " + names.size());
    }
    for (String key : q.where().keySet()) {
      checkKey(key, "where");
    }
    List<String> groupBy = List.of();
    String agg = null;
    if (forSeries) {
      if (q.groupBy().size() > MAX_GROUP_KEYS) {
        throw new IllegalArgumentException("a metric query groups by at most " + MAX_GROUP_KEYS + " labels, got "
            + q.groupBy().size());
      }
      groupBy = new ArrayList<>(new LinkedHashSet<>(q.groupBy()));
      for (String key : groupBy) {
        checkKey(key, "groupBy");
      }
      agg = q.agg() == null || q.agg().isBlank() ? null : q.agg().strip().toLowerCase(Locale.ROOT);
      if (agg != null && !GAUGE_AGGS.contains(agg) && !COUNTER_AGGS.contains(agg) && !SUMMARY_AGGS.contains(agg)
          && quantile(agg) == null) {
        throw new IllegalArgumentException("unknown agg '" + q.agg() + "': " + aggsOfEveryKind());
      }
    }
    long lo = Sql.nanos(q.since(), Long.MIN_VALUE);
    long hi = Sql.nanos(q.until(), Long.MAX_VALUE);
    long step = q.step() == null || q.step().isNegative() || q.step().isZero() ? DEFAULT_STEP
        : q.step().compareTo(Duration.ofNanos(MAX_STEP)) > 0 ? MAX_STEP : q.step().toNanos();
    long origin = 0;
    if (q.since() != null && q.until() != null && hi > lo && hi - lo > 0 && hi - lo <= MAX_STEP && step >= hi - lo) {
      // one bucket that is the window itself, rather than two UTC-aligned halves
      origin = lo;
      step = hi - lo;
    }
    MetricWindow w = new MetricWindow(List.copyOf(names), q.service(), q.where(), List.copyOf(groupBy), lo, hi,
        origin, step, agg);
    if (forSeries && q.since() != null && q.until() != null && hi > lo) {
      w.checkBuckets(lo, hi - 1);
    }
    return w;
  }

  /** Refuses a grid with more than {@link #MAX_BUCKETS} buckets from {@code first} to {@code last} (inclusive). */
  void checkBuckets(long first, long last) {
    long n = Math.floorDiv(last - origin, step) - Math.floorDiv(first - origin, step) + 1;
    if (n > MAX_BUCKETS || n < 0) {
      long minStepS = Math.max(1, Math.ceilDiv(Math.ceilDiv(Math.max(0, last - first), MAX_BUCKETS), 1_000_000_000L));
      throw new IllegalArgumentException("a step of " + Duration.ofNanos(step) + " gives " + (n < 0 ? "too many" : n)
          + " buckets over this window; at most " + MAX_BUCKETS + ": use a step of at least " + minStepS
          + "s or a shorter window");
    }
  }

  /** The bucket start of {@code ns} on this window's grid. */
  long bucketOf(long ns) {
    return ns - Math.floorMod(ns - origin, step);
  }

  /** SQL for the bucket start of the BIGINT column {@code ns}: only numbers of ours go into it. */
  String bucketSql(String ns) {
    return ns + " - ((((" + ns + " - " + origin + ") % " + step + ") + " + step + ") % " + step + ")";
  }

  /** Seconds of the bucket starting at {@code bucket} that lie inside the window (the denominator of a rate). */
  double seconds(long bucket) {
    long start = Math.max(bucket, lo);
    long end = bucket > Long.MAX_VALUE - step ? hi : Math.min(bucket + step, hi);
    return Math.max(1, end - start) / 1e9;
  }

  /** Where the window starts looking for each series' last point before it: one step earlier. */
  long lookbackFrom() {
    return lo == Long.MIN_VALUE || lo < Long.MIN_VALUE + step ? Long.MIN_VALUE : lo - step;
  }

  /** The aggregation for {@code kind} (its default when none was asked), or a refusal naming the valid ones. */
  String aggFor(String kind) {
    List<String> valid = validAggs(kind);
    if (agg == null) {
      return valid.get(0);
    }
    if (valid.contains(agg) || (kind.equals("histogram") && quantile(agg) != null)) {
      return agg;
    }
    throw new IllegalArgumentException("agg '" + agg + "' does not apply to " + names + " (a " + kind + "): use "
        + String.join(", ", kind.equals("histogram") ? List.of("p50", "p95 (any pNN)", "mean", "rate") : valid));
  }

  private static List<String> validAggs(String kind) {
    return switch (kind) {
      case "counter" -> COUNTER_AGGS;
      case "histogram" -> List.of("p50", "mean", "rate");
      case "summary", "exponential_histogram" -> SUMMARY_AGGS;
      default -> GAUGE_AGGS;
    };
  }

  /** The quantile (0..1) of a {@code pNN} agg, or null when {@code agg} is not one. */
  static Double quantile(String agg) {
    var m = QUANTILE.matcher(agg);
    if (!m.matches()) {
      return null;
    }
    double p = Double.parseDouble(m.group(1));
    return p <= 100 ? p / 100 : null;
  }

  private static String aggsOfEveryKind() {
    return "gauges take " + String.join("|", GAUGE_AGGS) + ", counters " + String.join("|", COUNTER_AGGS)
        + ", histograms pNN|mean|rate (e.g. p50, p99.9), summaries and exponential histograms "
        + String.join("|", SUMMARY_AGGS);
  }

  private static void checkKey(String key, String where) {
    if (key == null || !LABEL_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(where + " label key '" + key + "' is not a label name: use letters, digits"
          + " and _ . : / - (starting with a letter or _), at most 128 characters");
    }
  }
}
