package dev.sightline.store;

import static dev.sightline.store.StoreConformanceSuite.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric query behaviour every {@link Store} engine must have (series per group and bucket,
 * latest samples, names): an engine's test extends this class and supplies {@link #openStore}. Times
 * are seconds from T0 = 2025-01-15T10:00Z; most queries read [T0, T0 + 3 min) in 1-minute buckets.
 */
public abstract class MetricConformanceSuite {

  /** Opens (or reopens) the engine's store with its data in {@code dir}. */
  protected abstract Store openStore(Path dir);

  @TempDir
  protected Path dir;
  protected Store store;

  protected static final long S = 1_000_000_000L;
  protected static final Instant SINCE = Instant.ofEpochSecond(T0 / S);
  protected static final Instant UNTIL = SINCE.plusSeconds(180);
  protected static final Duration MINUTE = Duration.ofMinutes(1);
  /** Histogram bounds of every histogram below (plus the +Inf bucket). */
  protected static final List<Double> BOUNDS = List.of(0.1, 0.5, 1.0);

  @BeforeEach
  void openFresh() {
    store = openStore(dir);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ fixtures

  protected static MetricPoint gauge(String name, String service, Map<String, Object> labels, long sec, double v) {
    return new MetricPoint(name, "a gauge", "1", MetricType.GAUGE, T0 + sec * S, 0, service, labels, v, null, null,
        null, null, false);
  }

  /** A cumulative counter point whose counter started at {@code startNs} (0: unknown). */
  protected static MetricPoint counter(String name, Map<String, Object> labels, long sec, double v, long startNs) {
    return new MetricPoint(name, "a counter", "1", MetricType.SUM, T0 + sec * S, startNs, "vllm", labels, v, null,
        null, null, null, true);
  }

  /** An OTLP delta counter point: {@code v} happened in (startSec, sec]. */
  protected static MetricPoint deltaCounter(String name, long startSec, long sec, double v) {
    return new MetricPoint(name, "a delta counter", "1", MetricType.SUM, T0 + sec * S, T0 + startSec * S, "otel",
        Map.of(), v, null, null, null, null, true, true);
  }

  protected static MetricPoint histogram(String name, Map<String, Object> labels, long sec, long count, double sum,
      List<Double> bounds, Long... counts) {
    return new MetricPoint(name, "a histogram", "s", MetricType.HISTOGRAM, T0 + sec * S, 0, "vllm", labels, null,
        count, sum, bounds, List.of(counts), true);
  }

  protected static MetricPoint summary(String name, long sec, long count, double sum) {
    return new MetricPoint(name, "a summary", "s", MetricType.SUMMARY, T0 + sec * S, 0, "vllm", Map.of(), null,
        count, sum, null, null, false);
  }

  protected void write(MetricPoint... points) {
    store.write(List.of(TelemetryBatch.ofMetrics("test", List.of(points))));
  }

  protected static MetricQuery query(List<String> names, String service, Map<String, String> where,
      List<String> groupBy, String agg) {
    return new MetricQuery(names, service, where, groupBy, SINCE, UNTIL, MINUTE, agg);
  }

  protected static MetricQuery query(String name, String agg) {
    return query(List.of(name), null, Map.of(), List.of(), agg);
  }

  protected List<MetricSeries> series(MetricQuery q) {
    return store.metricSeries(q);
  }

  /** The only series of {@code q}. */
  protected MetricSeries one(MetricQuery q) {
    List<MetricSeries> all = series(q);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  /** Asserts the series' buckets (seconds from T0) and values (within 1e-9). */
  protected static void assertValues(MetricSeries s, long[] secs, double... values) {
    assertThat(s.values()).extracting(v -> v.time().getEpochSecond() - T0 / S)
        .containsExactly(Arrays.stream(secs).boxed().toArray(Long[]::new));
    for (int i = 0; i < values.length; i++) {
      assertThat(s.values().get(i).value()).as("bucket %s", secs[i]).isCloseTo(values[i], within(1e-9));
    }
  }

  protected static long[] at(long... secs) {
    return secs;
  }

  // ------------------------------------------------------------------ gauges

  /**
   * Two series of one gauge. Bucket 0: a = 1, 3; b = 10, 20 (and a NaN, left out). Bucket 1: a = 5;
   * b = 30, 40. avg = 34 / 4 = 8.5 and 75 / 3 = 25; sum of last = 3 + 20 = 23 and 5 + 40 = 45.
   */
  private void twoGaugeSeries() {
    Map<String, Object> a = Map.of("model", "a");
    Map<String, Object> b = Map.of("model", "b");
    write(gauge("running", "vllm", a, 0, 1), gauge("running", "vllm", a, 30, 3), gauge("running", "vllm", a, 60, 5),
        gauge("running", "vllm", b, 10, 10), gauge("running", "vllm", b, 40, 20), gauge("running", "vllm", b, 50,
            Double.NaN), gauge("running", "vllm", b, 70, 30), gauge("running", "vllm", b, 80, 40),
        gauge("running", "vllm", b, 180, 99)); // at the window's end: outside
  }

  @Test
  void gaugeAggregationsOverTwoSeries() {
    twoGaugeSeries();
    MetricSeries avg = one(query("running", null));
    assertThat(avg.kind()).isEqualTo("gauge");
    assertThat(avg.agg()).isEqualTo("avg");
    assertThat(avg.unit()).isEqualTo("1");
    assertThat(avg.group()).isEmpty();
    assertValues(avg, at(0, 60), 8.5, 25);
    assertValues(one(query("running", "max")), at(0, 60), 20, 40);
    assertValues(one(query("running", "min")), at(0, 60), 1, 5);
    assertValues(one(query("running", "sum")), at(0, 60), 23, 45);
    // mean over series of each one's last: (3 + 20) / 2, (5 + 40) / 2
    assertValues(one(query("running", "last")), at(0, 60), 11.5, 22.5);
  }

  @Test
  void gaugeGroupedByALabelPutsTheGroupWithMostPointsFirst() {
    twoGaugeSeries();
    List<MetricSeries> byModel = series(query(List.of("running"), null, Map.of(), List.of("model"), "avg"));
    assertThat(byModel).extracting(MetricSeries::group).containsExactly(Map.of("model", "b"), Map.of("model", "a"));
    assertValues(byModel.get(0), at(0, 60), 15, 35);
    assertValues(byModel.get(1), at(0, 60), 2, 5);
    // a label no point has groups under null
    MetricSeries none = one(query(List.of("running"), null, Map.of(), List.of("gpu"), "max"));
    assertThat(none.group()).containsEntry("gpu", null).hasSize(1);
  }

  @Test
  void whereAndServiceFilterTheSeries() {
    twoGaugeSeries();
    write(gauge("running", "sglang", Map.of("model", "a"), 20, 100));
    assertValues(one(query(List.of("running"), null, Map.of("model", "a"), List.of(), "max")), at(0, 60), 100, 5);
    assertValues(one(query(List.of("running"), "vllm", Map.of("model", "a"), List.of(), "max")), at(0, 60), 3, 5);
    assertValues(one(query(List.of("running"), "sglang", Map.of(), List.of(), "max")), at(0), 100);
    assertThat(series(query(List.of("running"), null, Map.of("model", "zzz"), List.of(), null))).isEmpty();
    assertThat(series(query(List.of("running"), "tgi", Map.of(), List.of(), null))).isEmpty();
  }

  @Test
  void groupByServiceAndName() {
    write(gauge("kv_old", "vllm-1", Map.of(), 10, 0.2), gauge("kv_new", "vllm-2", Map.of(), 20, 0.4),
        gauge("kv_new", "vllm-2", Map.of(), 30, 0.6));
    List<MetricSeries> byName = series(query(List.of("kv_new", "kv_old"), null, Map.of(), List.of("name"), "avg"));
    assertThat(byName).extracting(MetricSeries::group).containsExactly(Map.of("name", "kv_new"),
        Map.of("name", "kv_old"));
    assertValues(byName.get(0), at(0), 0.5);
    List<MetricSeries> byService = series(query(List.of("kv_new", "kv_old"), null, Map.of(), List.of("service"),
        "max"));
    assertThat(byService).extracting(MetricSeries::group).containsExactly(Map.of("service", "vllm-2"),
        Map.of("service", "vllm-1"));
    assertValues(byService.get(1), at(0), 0.2);
  }

  @Test
  void twoNamesReadAsOneSeries() {
    // an engine upgrade renamed the gauge between the two minutes
    write(gauge("vllm:gpu_cache_usage_perc", "vllm", Map.of(), 10, 0.5),
        gauge("vllm:kv_cache_usage_perc", "vllm", Map.of(), 70, 0.7));
    MetricSeries s = one(query(List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"), null, Map.of(),
        List.of(), "last"));
    assertValues(s, at(0, 60), 0.5, 0.7);
  }

  @Test
  void aStepLongerThanTheWindowGivesOneBucketAtItsStart() {
    twoGaugeSeries();
    Instant since = SINCE.plusSeconds(30);
    MetricSeries s = one(new MetricQuery(List.of("running"), null, Map.of(), List.of(), since, since.plusSeconds(60),
        Duration.ofHours(1), "max"));
    // the points at 30..89 s: a = 3, 5; b = 20, 30, 40
    assertValues(s, at(30), 40);
  }

  @Test
  void anEmptyWindowGivesNoSeries() {
    twoGaugeSeries();
    assertThat(series(query("absent", null))).isEmpty();
    assertThat(series(new MetricQuery(List.of("running"), null, Map.of(), List.of(), UNTIL, UNTIL, MINUTE, null)))
        .isEmpty();
    assertThat(series(new MetricQuery(List.of("running"), null, Map.of(), List.of(), SINCE.minusSeconds(3600),
        SINCE.minusSeconds(60), MINUTE, null))).isEmpty();
  }

  @Test
  void atMostAThousandGroupsTheLargestFirst() {
    List<MetricPoint> points = new ArrayList<>();
    IntStream.range(0, 1_001).forEach(i -> points.add(gauge("g", "s", Map.of("id", "id" + i), 5, i)));
    points.add(gauge("g", "s", Map.of("id", "big"), 6, 1));
    points.add(gauge("g", "s", Map.of("id", "big"), 7, 2));
    write(points.toArray(MetricPoint[]::new));
    List<MetricSeries> all = series(query(List.of("g"), null, Map.of(), List.of("id"), "sum"));
    assertThat(all).hasSize(MetricReader.MAX_GROUPS);
    assertThat(all.get(0).group()).containsEntry("id", "big");
    assertValues(all.get(0), at(0), 2);
  }

  // ------------------------------------------------------------------ counters

  /**
   * 100 at -30 s (the last point before the window, within one step), 130 and 160 in minute 0:
   * increase 60. Minute 1: drops to 20 (a reset, counts from zero) then 50: 20 + 30 = 50. Minute 2:
   * 70 (+20), reset to 5 (+5), 65 (+60): 85. A point 90 s before the window is never read.
   */
  @Test
  void counterIncreaseAndRateAcrossResets() {
    Map<String, Object> l = Map.of("model", "m");
    write(counter("tokens", l, -90, 1, 0), counter("tokens", l, -30, 100, 0), counter("tokens", l, 15, 130, 0),
        counter("tokens", l, 45, 160, 0), counter("tokens", l, 75, 20, 0), counter("tokens", l, 105, 50, 0),
        counter("tokens", l, 135, 70, 0), counter("tokens", l, 150, 5, 0), counter("tokens", l, 170, 65, 0));
    MetricSeries inc = one(query("tokens", "increase"));
    assertThat(inc.kind()).isEqualTo("counter");
    assertValues(inc, at(0, 60, 120), 60, 50, 85);
    MetricSeries rate = one(query("tokens", null));
    assertThat(rate.agg()).isEqualTo("rate");
    assertValues(rate, at(0, 60, 120), 1, 50 / 60.0, 85 / 60.0);
  }

  @Test
  void counterWithoutAPointBeforeTheWindowStartsFromItsFirstPoint() {
    write(counter("c", Map.of(), 15, 130, 0), counter("c", Map.of(), 45, 160, 0), counter("c", Map.of(), 70, 170, 0));
    assertValues(one(query("c", "increase")), at(0, 60), 30, 10);
  }

  @Test
  void counterRestartedWithANewStartTimeCountsFromZero() {
    long dayAgo = T0 - 86_400 * S;
    // 500 → 600 in minute 0; the process restarts at 55 s and reports 700 at 70 s: 700 since then
    write(counter("c", Map.of(), 10, 500, dayAgo), counter("c", Map.of(), 50, 600, dayAgo),
        counter("c", Map.of(), 70, 700, T0 + 55 * S));
    assertValues(one(query("c", "increase")), at(0, 60), 100, 700);
  }

  @Test
  void counterCreatedInsideTheWindowCountsItsFirstValue() {
    // created at 5 s (Prometheus _created): its 4 at 10 s happened in the window
    write(counter("c", Map.of(), 10, 4, T0 + 5 * S), counter("c", Map.of(), 50, 10, T0 + 5 * S));
    assertValues(one(query("c", "increase")), at(0), 10);
  }

  @Test
  void counterSumsOverSeries() {
    write(counter("c", Map.of("model", "a"), 10, 10, 0), counter("c", Map.of("model", "a"), 50, 40, 0),
        counter("c", Map.of("model", "b"), -10, 0, 0), counter("c", Map.of("model", "b"), 30, 12, 0));
    assertValues(one(query("c", "increase")), at(0), 30 + 12);
    List<MetricSeries> byModel = series(query(List.of("c"), null, Map.of(), List.of("model"), "increase"));
    assertThat(byModel).extracting(MetricSeries::group).containsExactlyInAnyOrder(Map.of("model", "a"),
        Map.of("model", "b"));
  }

  @Test
  void deltaPointsAddUp() {
    // 100 in the step before the window is not counted; 5 + 7 in minute 0, 3 in minute 1
    write(deltaCounter("d", -60, -30, 100), deltaCounter("d", 0, 10, 5), deltaCounter("d", 10, 40, 7),
        deltaCounter("d", 40, 70, 3));
    assertValues(one(query("d", "increase")), at(0, 60), 12, 3);
    assertValues(one(query("d", "rate")), at(0, 60), 12 / 60.0, 3 / 60.0);
  }

  // ------------------------------------------------------------------ histograms and summaries

  /**
   * Bounds 0.1, 0.5, 1 (+Inf). Series a: at -30 s 10 obs, sum 3, [4, 4, 2, 0]; at 50 s 30, 9,
   * [8, 14, 6, 2] (Δ 20, 6, [4, 10, 4, 2]); at 90 s 40, 15, [8, 14, 16, 2] (Δ 10, 6, [0, 0, 10, 0]).
   * Series b: at -30 s nothing yet; at 40 s 20, 4, [10, 6, 4, 0]. Minute 0 merged: 40 obs, sum 10,
   * [14, 16, 8, 2].
   */
  private void twoHistogramSeries() {
    Map<String, Object> a = Map.of("model", "a");
    Map<String, Object> b = Map.of("model", "b");
    write(histogram("ttft", a, -30, 10, 3, BOUNDS, 4L, 4L, 2L, 0L),
        histogram("ttft", a, 50, 30, 9, BOUNDS, 8L, 14L, 6L, 2L),
        histogram("ttft", a, 90, 40, 15, BOUNDS, 8L, 14L, 16L, 2L),
        histogram("ttft", b, -30, 0, 0, BOUNDS, 0L, 0L, 0L, 0L),
        histogram("ttft", b, 40, 20, 4, BOUNDS, 10L, 6L, 4L, 0L));
  }

  @Test
  void histogramQuantilesInterpolateInsideTheBucket() {
    twoHistogramSeries();
    MetricSeries p50 = one(query("ttft", null));
    assertThat(p50.kind()).isEqualTo("histogram");
    assertThat(p50.agg()).isEqualTo("p50");
    assertThat(p50.unit()).isEqualTo("s");
    // minute 0: rank 20 of 40 lies in (0.1, 0.5] holding 16 after 14: 0.1 + 0.4 × 6/16 = 0.25;
    // minute 1: rank 5 of 10, all in (0.5, 1]: 0.5 + 0.5 × 5/10 = 0.75
    assertValues(p50, at(0, 60), 0.25, 0.75);
    // rank 38 of 40: the end of (0.5, 1] (14 + 16 + 8 = 38): 1.0; minute 1: 0.5 + 0.5 × 9.5/10 = 0.975
    assertValues(one(query("ttft", "p95")), at(0, 60), 1.0, 0.975);
    // rank 39.6 falls in the +Inf bucket: the highest finite bound
    assertValues(one(query("ttft", "p99")), at(0, 60), 1.0, 0.5 + 0.5 * 9.9 / 10);
    // rank 4 of 40 in [0, 0.1] holding 14: 0.1 × 4/14
    assertValues(one(query("ttft", "p10")), at(0, 60), 0.1 * 4 / 14, 0.5 + 0.5 * 1 / 10);
    assertValues(one(query("ttft", "p99.5")), at(0, 60), 1.0, 0.5 + 0.5 * 9.95 / 10);
  }

  @Test
  void histogramMeanAndRate() {
    twoHistogramSeries();
    // minute 0: Δsum 6 + 4 over Δcount 20 + 20; minute 1: 6 / 10
    assertValues(one(query("ttft", "mean")), at(0, 60), 10 / 40.0, 0.6);
    assertValues(one(query("ttft", "rate")), at(0, 60), 40 / 60.0, 10 / 60.0);
    List<MetricSeries> byModel = series(query(List.of("ttft"), null, Map.of(), List.of("model"), "p50"));
    // a alone in minute 0: [4, 10, 4, 2], rank 10 in (0.1, 0.5]: 0.1 + 0.4 × 6/10 = 0.34
    assertThat(byModel.get(0).group()).containsEntry("model", "a");
    assertValues(byModel.get(0), at(0, 60), 0.34, 0.75);
  }

  @Test
  void pointsWithOtherBoundsAreLeftOutOfQuantilesButCountInMeanAndRate() {
    twoHistogramSeries();
    // series c has other bounds: 10 observations of 2 s each, all in (1, 5]
    write(histogram("ttft", Map.of("model", "c"), -30, 0, 0, List.of(1.0, 5.0), 0L, 0L, 0L),
        histogram("ttft", Map.of("model", "c"), 30, 10, 20, List.of(1.0, 5.0), 0L, 10L, 0L));
    assertValues(one(query("ttft", "p50")), at(0, 60), 0.25, 0.75);
    assertValues(one(query("ttft", "mean")), at(0, 60), 30 / 50.0, 0.6);
    assertValues(one(query("ttft", "rate")), at(0, 60), 50 / 60.0, 10 / 60.0);
  }

  @Test
  void histogramWhoseBoundsChangeCountsFromZero() {
    // the engine's new version brings other bounds at 70 s: its 3 observations count in full
    write(histogram("h", Map.of(), 10, 5, 1, BOUNDS, 5L, 0L, 0L, 0L),
        histogram("h", Map.of(), 50, 7, 1.2, BOUNDS, 7L, 0L, 0L, 0L),
        histogram("h", Map.of(), 70, 3, 6, List.of(1.0, 5.0), 0L, 3L, 0L));
    assertValues(one(query("h", "rate")), at(0, 60), 2 / 60.0, 3 / 60.0);
    assertValues(one(query("h", "mean")), at(0, 60), 0.2 / 2, 2);
  }

  @Test
  void summaryMeanAndRate() {
    write(summary("latency", -30, 5, 10), summary("latency", 30, 15, 40), summary("latency", 90, 16, 41));
    MetricSeries mean = one(query("latency", null));
    assertThat(mean.kind()).isEqualTo("summary");
    assertThat(mean.agg()).isEqualTo("mean");
    assertValues(mean, at(0, 60), 30 / 10.0, 1);
    assertValues(one(query("latency", "rate")), at(0, 60), 10 / 60.0, 1 / 60.0);
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void badQueriesAreRefusedWithAReason() {
    twoGaugeSeries();
    assertThatThrownBy(() -> series(query(List.of(), null, Map.of(), List.of(), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one metric name");
    assertThatThrownBy(() -> series(query("running", "median")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown agg 'median'");
    assertThatThrownBy(() -> series(query("running", "rate")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agg 'rate' does not apply")
        .hasMessageContaining("gauge").hasMessageContaining("avg");
    assertThatThrownBy(() -> series(query("running", "p101")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown agg");
    List<String> names = IntStream.range(0, 51).mapToObj(i -> "n" + i).toList();
    assertThatThrownBy(() -> series(query(names, null, Map.of(), List.of(), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 50 names");
    List<String> keys = IntStream.range(0, 11).mapToObj(i -> "k" + i).toList();
    assertThatThrownBy(() -> series(query(List.of("running"), null, Map.of(), keys, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10 labels");
    assertThatThrownBy(() -> series(query(List.of("running"), null, Map.of(), List.of("model\"]"), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label key 'model\"]'");
    assertThatThrownBy(() -> series(query(List.of("running"), null, Map.of("a' OR 1=1 --", "x"), List.of(), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("where label key");
    assertThatThrownBy(() -> series(new MetricQuery(List.of("running"), null, Map.of(), List.of(), SINCE,
        SINCE.plusSeconds(86_400), Duration.ofSeconds(1), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("86400 buckets")
        .hasMessageContaining("at least 9s");
    assertThatThrownBy(() -> store.latestSamples(query(List.of(), null, Map.of(), List.of(), null), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOpenWindowIsRefusedWhenItsDataWouldGiveTooManyBuckets() {
    write(gauge("g", "s", Map.of(), 0, 1), gauge("g", "s", Map.of(), 20_000, 2));
    assertThatThrownBy(() -> series(new MetricQuery(List.of("g"), null, Map.of(), List.of(), null, null,
        Duration.ofSeconds(1), null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buckets");
    assertThat(one(new MetricQuery(List.of("g"), null, Map.of(), List.of(), null, null, Duration.ofHours(1),
        "max")).values()).hasSize(2);
  }

  // ------------------------------------------------------------------ latest samples and names

  @Test
  void latestSamplesAreEachSeriesLastPointNewestFirst() {
    twoGaugeSeries();
    twoHistogramSeries();
    List<MetricSample> running = store.latestSamples(query("running", null), 10);
    assertThat(running).extracting(MetricSample::labels, MetricSample::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Map.of("model", "b"), 40.0),
            org.assertj.core.groups.Tuple.tuple(Map.of("model", "a"), 5.0));
    assertThat(running.get(0)).extracting(MetricSample::name, MetricSample::service, MetricSample::kind,
        MetricSample::time).containsExactly("running", "vllm", "gauge", SINCE.plusSeconds(80));
    // histograms: the observation count as stored
    List<MetricSample> ttft = store.latestSamples(query(List.of("ttft", "running"), null, Map.of("model", "a"),
        List.of(), null), 10);
    assertThat(ttft).extracting(MetricSample::name, MetricSample::kind, MetricSample::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ttft", "histogram", 40.0),
            org.assertj.core.groups.Tuple.tuple("running", "gauge", 5.0));
    assertThat(store.latestSamples(query(List.of("ttft", "running"), null, Map.of(), List.of(), null), 1))
        .extracting(MetricSample::name, MetricSample::labels)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ttft", Map.of("model", "a")));
    assertThat(store.latestSamples(query("absent", null), 10)).isEmpty();
  }

  @Test
  void metricNamesWithKindsSeriesAndLabelKeys() {
    twoGaugeSeries();
    twoHistogramSeries();
    write(counter("vllm:prompt_tokens", Map.of("model", "m", "engine", "v1"), 10, 5, 0),
        summary("latency", 30, 15, 40), gauge("up", "dcgm", Map.of(), 20, 1));
    List<MetricName> names = store.metricNames(null, null, SINCE, UNTIL, 100);
    assertThat(names).extracting(MetricName::name).containsExactly("latency", "running", "ttft", "up",
        "vllm:prompt_tokens");
    MetricName running = names.get(1);
    // the NaN sample is a stored point; the one at 180 s is outside the window
    assertThat(running).extracting(MetricName::kind, MetricName::unit, MetricName::description, MetricName::series,
        MetricName::points, MetricName::lastSeen, MetricName::services, MetricName::labelKeys)
        .containsExactly("gauge", "1", "a gauge", 2L, 8L, SINCE.plusSeconds(80), List.of("vllm"), List.of("model"));
    assertThat(names).extracting(MetricName::kind).containsExactly("summary", "gauge", "histogram", "gauge",
        "counter");
    assertThat(names.get(4).labelKeys()).containsExactly("engine", "model");
    assertThat(names.get(3).labelKeys()).isEmpty();
    assertThat(names.get(2).series()).isEqualTo(2);
    assertThat(store.metricNames("vllm:", null, null, null, 100)).extracting(MetricName::name)
        .containsExactly("vllm:prompt_tokens");
    assertThat(store.metricNames(null, "dcgm", null, null, 100)).extracting(MetricName::name).containsExactly("up");
    assertThat(store.metricNames(null, null, null, null, 2)).extracting(MetricName::name)
        .containsExactly("latency", "running");
    assertThat(store.metricNames(null, null, UNTIL, null, 100)).extracting(MetricName::name, MetricName::points)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("running", 1L));
  }
}
