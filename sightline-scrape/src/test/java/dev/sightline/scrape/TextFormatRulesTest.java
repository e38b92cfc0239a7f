package dev.sightline.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of the two text formats, on small pages. */
class TextFormatRulesTest {
  static final long NOW = 1_700_000_000_000_000_000L;

  static PrometheusText.Parsed parse(String text) {
    return PrometheusText.parse(text, NOW, "svc");
  }

  static MetricPoint named(PrometheusText.Parsed r, String name) {
    List<MetricPoint> p = r.points().stream().filter(m -> m.name().equals(name)).toList();
    assertThat(p).as(name).hasSize(1);
    return p.get(0);
  }

  @Test
  void escapesInLabelsAndHelp() {
    PrometheusText.Parsed r = parse("""
        # HELP g A \\\\ back\\nslash "quoted"
        # TYPE g gauge
        g{path="C:\\\\dir",say="he said \\"hi\\"",two="a\\nb",} 1
        """);
    assertThat(r.errors()).isEmpty();
    MetricPoint g = named(r, "g");
    assertThat(g.description()).isEqualTo("A \\ back\nslash \"quoted\"");
    assertThat(g.attributes()).containsEntry("path", "C:\\dir").containsEntry("say", "he said \"hi\"")
        .containsEntry("two", "a\nb").hasSize(3);
  }

  @Test
  void nanAndInfinities() {
    PrometheusText.Parsed r = parse("a NaN\nb +Inf\nc -Inf\nd 1.5e3\n");
    assertThat(r.errors()).isEmpty();
    assertThat(named(r, "a").value()).isNaN();
    assertThat(named(r, "b").value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(named(r, "c").value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(named(r, "d").value()).isEqualTo(1500.0);
  }

  @Test
  void untypedSamplesAreGauges() {
    PrometheusText.Parsed r = parse("# TYPE u untyped\nu{x=\"1\"} 3\nloose 4\n");
    assertThat(r.points()).extracting(MetricPoint::type).containsExactly(MetricType.GAUGE, MetricType.GAUGE);
    assertThat(named(r, "loose").value()).isEqualTo(4.0);
  }

  @Test
  void prometheusTimestampsAreMilliseconds() {
    PrometheusText.Parsed r = parse("# TYPE g gauge\ng 1 1700000000123\nh 2\n");
    assertThat(r.errors()).isEmpty();
    assertThat(named(r, "g").timeEpochNanos()).isEqualTo(1_700_000_000_123_000_000L);
    assertThat(named(r, "h").timeEpochNanos()).isEqualTo(NOW);
  }

  @Test
  void openMetricsTimestampsAreSecondsAndExemplarsAreIgnored() {
    PrometheusText.Parsed r = parse("""
        # TYPE req counter
        # UNIT req requests
        # HELP req Requests \\"served\\".
        req_total{code="200"} 7 1700000000.25 # {trace_id="abc"} 1 1700000000.2
        req_created{code="200"} 1699999000.5
        # EOF
        ignored 1
        """);
    assertThat(r.errors()).isEmpty();
    MetricPoint req = named(r, "req");
    assertThat(req.type()).isEqualTo(MetricType.SUM);
    assertThat(req.monotonic()).isTrue();
    assertThat(req.value()).isEqualTo(7.0);
    assertThat(req.unit()).isEqualTo("requests");
    assertThat(req.description()).isEqualTo("Requests \"served\".");
    assertThat(req.timeEpochNanos()).isEqualTo(1_700_000_000_250_000_000L);
    assertThat(req.startEpochNanos()).isEqualTo(1_699_999_000_500_000_000L);
    assertThat(req.attributes()).containsOnlyKeys("code");
    assertThat(r.points()).hasSize(1);
  }

  @Test
  void explicitOpenMetricsFlagReadsSecondsWithoutEof() {
    PrometheusText.Parsed r = PrometheusText.parse("g 1 12.5\n", NOW, "svc", true);
    assertThat(named(r, "g").timeEpochNanos()).isEqualTo(12_500_000_000L);
    assertThat(r.errors()).singleElement().asString().contains("# EOF");
    assertThat(PrometheusText.parse("g 1 12.5\n", NOW, "svc", false).errors())
        .singleElement().asString().startsWith("line 1: timestamp must be whole milliseconds");
  }

  @Test
  void prometheusCreatedGaugeBecomesTheCounterStart() {
    PrometheusText.Parsed r = parse("""
        # TYPE jobs_total counter
        jobs_total{q="a"} 3
        # TYPE jobs_created gauge
        jobs_created{q="a"} 1.7e9
        """);
    assertThat(r.points()).hasSize(1);
    assertThat(named(r, "jobs_total").startEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(parse("# TYPE c counter\nc_total 1\n").points().get(0).startEpochNanos()).isZero();
  }

  @Test
  void summaryKeepsCountSumAndQuantileGauges() {
    PrometheusText.Parsed r = parse("""
        # TYPE rpc summary
        rpc{m="get",quantile="0.5"} 0.02
        rpc{m="get",quantile="0.99"} 0.3
        rpc_sum{m="get"} 12.5
        rpc_count{m="get"} 100
        """);
    assertThat(r.errors()).isEmpty();
    MetricPoint s = named(r, "rpc");
    assertThat(s.type()).isEqualTo(MetricType.SUMMARY);
    assertThat(s.count()).isEqualTo(100L);
    assertThat(s.sum()).isEqualTo(12.5);
    assertThat(s.attributes()).containsOnlyKeys("m");
    assertThat(r.points().stream().filter(m -> m.name().equals("rpc.quantile")))
        .extracting(m -> m.attributes().get("quantile"), MetricPoint::value, MetricPoint::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0.5, 0.02, MetricType.GAUGE),
            org.assertj.core.groups.Tuple.tuple(0.99, 0.3, MetricType.GAUGE));
  }

  @Test
  void histogramWithoutInfBucketIsAnErrorAndOtherFamiliesStay() {
    PrometheusText.Parsed r = parse("""
        # TYPE lat histogram
        lat_bucket{le="1"} 2
        lat_bucket{le="2"} 5
        lat_count 5
        lat_sum 6
        # TYPE ok histogram
        ok_bucket{le="1"} 1
        ok_bucket{le="+Inf"} 4
        ok_count 4
        ok_sum 9
        # TYPE g gauge
        g 1
        """);
    assertThat(r.errors()).containsExactly("line 2: histogram lat has no +Inf bucket; it was dropped");
    assertThat(r.points()).extracting(MetricPoint::name).containsExactly("ok", "g");
    MetricPoint ok = named(r, "ok");
    assertThat(ok.bucketBounds()).containsExactly(1.0);
    assertThat(ok.bucketCounts()).containsExactly(1L, 3L);
    assertThat(ok.count()).isEqualTo(4L);
    assertThat(ok.sum()).isEqualTo(9.0);
  }

  @Test
  void badLinesAreNumberedAndGoodLinesKept() {
    PrometheusText.Parsed r = parse("""
        good 1
        bad{a="x} 2
        bad2{a="x"} two
        # TYPE h histogram
        h 3
        also_good{a="y"} 4
        """);
    assertThat(r.errors()).containsExactly(
        "line 2: unterminated label value",
        "line 3: not a number: 'two'",
        "line 5: sample h does not fit its histogram family");
    assertThat(r.points()).extracting(MetricPoint::name).containsExactly("good", "also_good");
  }
}
