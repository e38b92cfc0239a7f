package dev.sightline.server;

import dev.sightline.model.testing.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.scrape.PrometheusText;
import dev.sightline.server.demo.SimulatedEngine;
import dev.sightline.server.demo.SimulatedGpuExporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo's simulated vLLM engine and DCGM exporter, read over loopback HTTP the way a scraper reads
 * them: pages that parse without an error, names from the real exporters, counters that only grow,
 * consistent histograms, and a KV cache that fills with load. The clock is a fixed one moved by hand.
 */
class SimulatedEngineTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A clock the test moves. */
  private static final class HandClock implements InstantSource {
    Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void forward(Duration d) {
      now = now.plus(d);
    }
  }

  private record Scrape(String contentType, List<MetricPoint> points) {
    /** A gauge's or counter's value, summed over label sets (a counter may keep its {@code _total}). */
    double gauge(String name) {
      return points.stream().filter(p -> p.name().equals(name) || p.name().equals(name + "_total"))
          .mapToDouble(MetricPoint::value).sum();
    }

    double gauge(String name, String gpu) {
      return points.stream().filter(p -> p.name().equals(name) && gpu.equals(p.attributes().get("gpu")))
          .mapToDouble(MetricPoint::value).findFirst().orElseThrow();
    }

    MetricPoint histogram(String name) {
      return points.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
  }

  private static Scrape scrape(URI uri, Instant at) throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // a pooled keep-alive connection the endpoint had just closed ("EOF reached while reading", seen
      // once in CI over 360 scrapes): a scraper would try again, on a new connection
      r = HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
    assertThat(r.statusCode()).isEqualTo(200);
    PrometheusText.Parsed parsed = PrometheusText.parse(r.body(), at.toEpochMilli() * 1_000_000L, "sim");
    assertThat(parsed.errors()).as("parse errors of %s", uri).isEmpty();
    assertThat(parsed.points()).isNotEmpty();
    return new Scrape(r.headers().firstValue("content-type").orElse(""), parsed.points());
  }

  @Test
  void kvCacheFillsWithLoadThenRequestsQueueAndFirstTokensSlowDown() throws Exception {
    HandClock clock = new HandClock();
    try (SimulatedEngine engine = new SimulatedEngine(SimulatedEngine.DEFAULT_MODEL, 3, clock)) {
      Scrape idle = scrape(engine.metricsUri(), clock.now);
      assertThat(idle.contentType()).startsWith("text/plain").contains("version=0.0.4");
      double kvIdle = idle.gauge("vllm:kv_cache_usage_perc");
      double runningIdle = idle.gauge("vllm:num_requests_running");
      double ttftIdle = engine.load().ttftFactor();

      for (int i = 0; i < 40; i++) {
        engine.requestStarted();
      }
      Scrape busy = scrape(engine.metricsUri(), clock.now);
      assertThat(busy.gauge("vllm:num_requests_running")).isEqualTo(runningIdle + 40);
      assertThat(busy.gauge("vllm:kv_cache_usage_perc")).isGreaterThan(kvIdle + 0.2);
      assertThat(busy.gauge("vllm:num_requests_waiting")).isZero();

      for (int i = 0; i < 150; i++) {
        engine.requestStarted();
      }
      Scrape full = scrape(engine.metricsUri(), clock.now);
      assertThat(full.gauge("vllm:kv_cache_usage_perc")).isGreaterThanOrEqualTo(0.9).isLessThan(1.0);
      assertThat(full.gauge("vllm:num_requests_waiting")).isPositive();
      assertThat(full.gauge("vllm:num_requests_running") + full.gauge("vllm:num_requests_waiting"))
          .isEqualTo(runningIdle + 190);
      SimulatedEngine.Load load = engine.load();
      assertThat(load.waiting()).isPositive();
      assertThat(load.ttftFactor()).isGreaterThan(ttftIdle * 2);
      assertThat(load.tpotFactor()).isGreaterThan(1.5);

      // a full cache that stays full preempts sequences
      double preempted = full.gauge("vllm:num_preemptions");
      clock.forward(Duration.ofSeconds(30));
      assertThat(scrape(engine.metricsUri(), clock.now).gauge("vllm:num_preemptions")).isGreaterThan(preempted);

      // the demo's requests finish: their tokens are counted
      double prompt = scrape(engine.metricsUri(), clock.now).gauge("vllm:prompt_tokens");
      for (int i = 0; i < 190; i++) {
        engine.requestFinished(1000, 200, 0.4, 0.02, 4.4);
      }
      Scrape after = scrape(engine.metricsUri(), clock.now);
      assertThat(after.gauge("vllm:prompt_tokens")).isEqualTo(prompt + 190 * 1000);
      assertThat(after.gauge("vllm:num_requests_waiting")).isZero();
      assertThat(after.gauge("vllm:kv_cache_usage_perc")).isLessThan(0.9);
    }
  }

  @Test
  void countersOnlyGrowHistogramsStayConsistentAndBurstsFillTheCache() throws Exception {
    HandClock clock = new HandClock();
    try (SimulatedEngine engine = new SimulatedEngine(SimulatedEngine.DEFAULT_MODEL, 11, clock);
        SimulatedGpuExporter gpus = new SimulatedGpuExporter(engine, 11)) {
      Map<String, Double> counters = new HashMap<>();
      Map<String, MetricPoint> histograms = new HashMap<>();
      Map<String, Double> energy = new HashMap<>();
      double maxKv = 0;
      double maxWaiting = 0;
      double utilAtMostRunning = -1;
      double mostRunning = -1;
      double utilAtLeastRunning = -1;
      double leastRunning = Double.MAX_VALUE;
      for (int step = 0; step < 180; step++) {
        clock.forward(Duration.ofSeconds(10));
        if (step % 2 == 0) {
          engine.requestServed(1500, 300, 0.5, 0.02, 6.5);
        }
        Scrape vllm = scrape(engine.metricsUri(), clock.now);
        for (MetricPoint p : vllm.points()) {
          String key = p.name() + new TreeMap<>(p.attributes());
          if (p.type() == MetricType.SUM) {
            assertThat(p.monotonic()).isTrue();
            assertThat(p.value()).as(key).isGreaterThanOrEqualTo(counters.getOrDefault(key, 0.0));
            counters.put(key, p.value());
          } else if (p.type() == MetricType.HISTOGRAM) {
            assertConsistent(p, histograms.get(key));
            histograms.put(key, p);
          }
        }
        double kv = vllm.gauge("vllm:kv_cache_usage_perc");
        assertThat(kv).isBetween(0.0, 1.0);
        maxKv = Math.max(maxKv, kv);
        maxWaiting = Math.max(maxWaiting, vllm.gauge("vllm:num_requests_waiting"));

        Scrape dcgm = scrape(gpus.metricsUri(), clock.now);
        double running = engine.load().running();
        double util = dcgm.gauge("DCGM_FI_DEV_GPU_UTIL", "0");
        if (running > mostRunning) {
          mostRunning = running;
          utilAtMostRunning = util;
        }
        if (running < leastRunning) {
          leastRunning = running;
          utilAtLeastRunning = util;
        }
        assertThat(dcgm.gauge("DCGM_FI_DEV_GPU_UTIL", "1")).isZero();
        for (String gpu : List.of("0", "1")) {
          assertThat(dcgm.gauge("DCGM_FI_DEV_FB_USED", gpu) + dcgm.gauge("DCGM_FI_DEV_FB_FREE", gpu)
              + dcgm.gauge("DCGM_FI_DEV_FB_RESERVED", gpu)).isEqualTo(81_920.0);
          double e = dcgm.points().stream().filter(p -> p.name().startsWith("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION")
              && gpu.equals(p.attributes().get("gpu"))).findFirst().orElseThrow().value();
          assertThat(e).isGreaterThanOrEqualTo(energy.getOrDefault(gpu, 0.0));
          energy.put(gpu, e);
        }
      }
      // 30 minutes of simulated traffic: the cache fills in a burst and requests queue
      assertThat(maxKv).isGreaterThanOrEqualTo(0.95);
      assertThat(maxWaiting).isPositive();
      assertThat(mostRunning).isGreaterThan(leastRunning);
      assertThat(utilAtMostRunning).isGreaterThan(utilAtLeastRunning);
      assertThat(counters.entrySet().stream().filter(e -> e.getKey().startsWith("vllm:num_preemptions"))
          .mapToDouble(Map.Entry::getValue).sum()).isPositive();
      MetricPoint ttft = histograms.values().stream()
          .filter(p -> p.name().equals("vllm:time_to_first_token_seconds")).findFirst().orElseThrow();
      assertThat(ttft.count()).isEqualTo((long) (double) counters.entrySet().stream()
          .filter(e -> e.getKey().startsWith("vllm:request_success")).mapToDouble(Map.Entry::getValue).sum());
      assertThat(engine.completedRequests()).isEqualTo(ttft.count());
    }
  }

  /** Buckets add up to the count, bounds rise, and no bucket of a later scrape holds fewer observations. */
  private static void assertConsistent(MetricPoint p, MetricPoint before) {
    assertThat(p.bucketCounts()).hasSize(p.bucketBounds().size() + 1);
    assertThat(p.bucketCounts().stream().mapToLong(Long::longValue).sum()).isEqualTo(p.count());
    assertThat(p.bucketCounts()).allSatisfy(c -> assertThat(c).isNotNegative());
    for (int i = 1; i < p.bucketBounds().size(); i++) {
      assertThat(p.bucketBounds().get(i)).isGreaterThan(p.bucketBounds().get(i - 1));
    }
    assertThat(p.sum()).isNotNegative();
    if (before != null) {
      assertThat(p.count()).isGreaterThanOrEqualTo(before.count());
      assertThat(p.sum()).isGreaterThanOrEqualTo(before.sum());
      long cumulative = 0;
      long cumulativeBefore = 0;
      for (int i = 0; i < p.bucketCounts().size(); i++) {
        cumulative += p.bucketCounts().get(i);
        cumulativeBefore += before.bucketCounts().get(i);
        assertThat(cumulative).isGreaterThanOrEqualTo(cumulativeBefore);
      }
    }
  }

  /** Every series and label name the simulations expose is one the real exporters expose (fixtures). */
  @Test
  void namesAndLabelsAreTheRealExportersOnes() throws Exception {
    Path fixtures = SharedFixtures.file("local-llm");
    String vllmFixture = Files.readString(fixtures.resolve("vllm-metrics.datadog-fixture.prom"))
        + Files.readString(fixtures.resolve("llmkube-vllm-series-names.txt"));
    String dcgmFixture = Files.readString(fixtures.resolve("dcgm-exporter-metrics.datadog-fixture.prom"))
        + Files.readString(fixtures.resolve("dcgm-exporter-default-counters.csv"));
    HandClock clock = new HandClock();
    try (SimulatedEngine engine = new SimulatedEngine("meta-llama/Llama-3.1-8B-Instruct", 5, clock);
        SimulatedGpuExporter gpus = new SimulatedGpuExporter(engine, 5)) {
      engine.requestStarted();
      clock.forward(Duration.ofSeconds(20));
      engine.requestFinished(900, 120, 0.3, 0.015, 2.1);
      String vllm = body(engine.metricsUri());
      String dcgm = body(gpus.metricsUri());
      Set<String> vllmSeries = seriesNames(vllm);
      assertThat(vllmSeries).contains("vllm:kv_cache_usage_perc", "vllm:num_requests_running",
          "vllm:num_requests_waiting", "vllm:num_preemptions_total", "vllm:prefix_cache_queries_total",
          "vllm:prefix_cache_hits_total", "vllm:prompt_tokens_total", "vllm:generation_tokens_total",
          "vllm:time_to_first_token_seconds_bucket", "vllm:inter_token_latency_seconds_bucket",
          "vllm:e2e_request_latency_seconds_bucket");
      assertThat(vllmSeries).allSatisfy(n -> assertThat(vllmFixture.contains(n + "{") || vllmFixture.contains(n + "\n"))
          .as(n).isTrue());
      assertThat(vllm).contains("model_name=\"meta-llama/Llama-3.1-8B-Instruct\",engine=\"0\"");
      Set<String> dcgmSeries = seriesNames(dcgm);
      assertThat(dcgmSeries).contains("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE",
          "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_MEM_CLOCK",
          "DCGM_FI_DEV_XID_ERRORS");
      assertThat(dcgmSeries).allSatisfy(n -> assertThat(dcgmFixture).contains(n));
      Set<String> dcgmLabels = new HashSet<>();
      for (MetricPoint p : PrometheusText.parse(dcgm, 0, "dcgm").points()) {
        dcgmLabels.addAll(p.attributes().keySet());
      }
      assertThat(dcgmLabels).contains("gpu", "UUID", "device", "modelName", "Hostname", "pci_bus_id");
      // pci_bus_id is what current dcgm-exporter releases add (the fixture predates it)
      assertThat(dcgmLabels).allSatisfy(l -> assertThat(l.equals("pci_bus_id") || dcgmFixture.contains(l + "=\""))
          .as(l).isTrue());
    }
  }

  private static String body(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Set<String> seriesNames(String page) {
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("(?m)^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]").matcher(page);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
