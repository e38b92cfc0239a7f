package dev.sightline.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.engines.Pages.Observed;
import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.MetricValue;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engines, their figures, GPUs and GPU cost, read from a real DuckDB store holding the real vLLM,
 * SGLang and DCGM pages scraped twice, 15 s apart, with counters raised and observations added by
 * known amounts in between.
 */
class EngineViewTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant T1 = T0.plusSeconds(15);
  static final Instant NOW = T1.plusSeconds(5);
  static final Duration WINDOW = Duration.ofMinutes(6);
  static final double WINDOW_S = WINDOW.toSeconds();
  static final String OPT = "facebook/opt-125m";
  static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";
  static final String T4 = "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e";

  @TempDir
  Path dir;
  DuckDbStore store;
  List<MetricPoint> vllm0;
  List<MetricPoint> sglang0;

  static long ns(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static MetricPoint up(String service, Instant t, double v) {
    return Pages.gauge("up", service, ns(t), v, Map.of());
  }

  static List<Double> bounds(List<MetricPoint> page, String name) {
    return page.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().bucketBounds();
  }

  @BeforeEach
  void fill() {
    store = DuckDbStore.open(dir);
    List<MetricPoint> points = new ArrayList<>();
    vllm0 = Fixtures.page("vllm-metrics.datadog-fixture.prom", ns(T0), "vllm");
    points.addAll(vllm0);
    points.addAll(Pages.later(vllm0, ns(T1),
        Map.of("vllm:num_preemptions_total", 36.0, "vllm:prompt_tokens_total", 3600.0,
            "vllm:generation_tokens_total", 1800.0, "vllm:prefix_cache_hits_total", 40.0,
            "vllm:prefix_cache_queries_total", 100.0),
        Map.of("vllm:time_to_first_token_seconds", new Observed(0.3, 10),
            "vllm:inter_token_latency_seconds", new Observed(0.05, 100),
            "vllm:e2e_request_latency_seconds", new Observed(2.0, 4)),
        Map.of("vllm:kv_cache_usage_perc", 0.83, "vllm:gpu_cache_usage_perc", 0.83, "vllm:num_requests_running", 12.0,
            "vllm:num_requests_waiting", 3.0)));
    points.addAll(List.of(up("vllm", T0, 1), up("vllm", T1, 1)));

    sglang0 = Fixtures.page("sglang-metrics.docs-example.prom", ns(T0), "sglang");
    points.addAll(sglang0);
    points.addAll(Pages.later(sglang0, ns(T1), Map.of("sglang:prompt_tokens_total", 7200.0),
        Map.of("sglang:time_per_output_token_seconds", new Observed(0.06, 1000)), Map.of()));
    points.addAll(List.of(up("sglang", T0, 1), up("sglang", T1, 1)));

    List<MetricPoint> dcgm0 = Fixtures.page("dcgm-exporter-metrics.datadog-fixture.prom", ns(T0), "dcgm");
    points.addAll(dcgm0);
    points.addAll(Pages.later(dcgm0, ns(T1), Map.of(), Map.of(), Map.of("DCGM_FI_DEV_GPU_UTIL", 87.0)));
    points.addAll(List.of(up("dcgm", T0, 1), up("dcgm", T1, 1)));

    // a TGI engine (no model label) whose generated tokens are a histogram: 10 → 20 requests, 1000 → 3000 tokens;
    // its last scrape failed
    List<Double> tb = List.of(100.0, 1000.0);
    points.add(Pages.histogram("tgi_request_generated_tokens", "tgi", ns(T0), tb, List.of(0L, 10L, 0L), 1000));
    points.add(Pages.histogram("tgi_request_generated_tokens", "tgi", ns(T1), tb, List.of(0L, 20L, 0L), 3000));
    points.add(Pages.gauge("tgi_queue_size", "tgi", ns(T1), 4, Map.of()));
    points.addAll(List.of(up("tgi", T0, 1), up("tgi", T1, 0)));
    store.write(List.of(TelemetryBatch.ofMetrics("test", points)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Engine engine(List<Engine> engines, String id) {
    return engines.stream().filter(e -> e.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no engine " + id + " in " + engines.stream().map(Engine::id).toList()));
  }

  @Test
  void detectsEachServiceAndServedModel() {
    List<Engine> engines = new EngineView(store, Map.of()).engines(NOW, WINDOW);
    assertThat(engines).extracting(Engine::id).containsExactly("sglang:" + LLAMA, "tgi", "vllm:" + OPT);
    Engine v = engine(engines, "vllm:" + OPT);
    assertThat(v.kind()).isEqualTo(EngineKind.VLLM);
    assertThat(v.service()).isEqualTo("vllm");
    assertThat(v.model()).isEqualTo(OPT);
    assertThat(v.up()).isTrue();
    assertThat(v.stale()).isFalse();
    assertThat(v.lastSeen()).isEqualTo(T1);
    assertThat(v.cost()).as("no price given").isNull();
    assertThat(v.ollamaModels()).isNull();
    Engine tgi = engine(engines, "tgi");
    assertThat(tgi.model()).isNull();
    assertThat(tgi.up()).as("its last scrape failed").isFalse();
  }

  @Test
  void vllmFiguresNowFromTwoScrapes() {
    EngineFigures f = engine(new EngineView(store, Map.of()).engines(NOW, WINDOW), "vllm:" + OPT).now();
    // V0 and V1 names of the KV cache read as one figure, a ratio
    assertThat(f.kvCacheUsage()).isCloseTo(0.83, within(1e-12));
    assertThat(f.requestsRunning()).isEqualTo(12.0);
    assertThat(f.requestsWaiting()).isEqualTo(3.0);
    // counters: the increase between the scrapes over the window
    assertThat(f.preemptionsPerSec()).isCloseTo(36 / WINDOW_S, within(1e-12));
    assertThat(f.promptTokensPerSec()).isCloseTo(3600 / WINDOW_S, within(1e-9));
    assertThat(f.generationTokensPerSec()).isCloseTo(1800 / WINDOW_S, within(1e-9));
    assertThat(f.prefixCacheHitRate()).isCloseTo(40.0 / 100.0, within(1e-12));
    List<Double> ttft = bounds(vllm0, "vllm:time_to_first_token_seconds");
    assertThat(f.ttftP50Ms()).isCloseTo(1000 * Pages.quantile(ttft, 0.3, 0.5), within(1e-9));
    assertThat(f.ttftP95Ms()).isCloseTo(1000 * Pages.quantile(ttft, 0.3, 0.95), within(1e-9));
    List<Double> itl = bounds(vllm0, "vllm:inter_token_latency_seconds");
    assertThat(f.itlP50Ms()).isCloseTo(1000 * Pages.quantile(itl, 0.05, 0.5), within(1e-9));
    List<Double> e2e = bounds(vllm0, "vllm:e2e_request_latency_seconds");
    assertThat(f.e2eP95Ms()).isCloseTo(1000 * Pages.quantile(e2e, 2.0, 0.95), within(1e-9));
  }

  @Test
  void sglangFiguresUnderItsOwnNames() {
    EngineFigures f = engine(new EngineView(store, Map.of()).engines(NOW, WINDOW), "sglang:" + LLAMA).now();
    assertThat(f.kvCacheUsage()).isEqualTo(0.28);
    assertThat(f.requestsRunning()).isEqualTo(162.0);
    assertThat(f.requestsWaiting()).isEqualTo(2826.0);
    assertThat(f.prefixCacheHitRate()).as("the docs page's own gauge").isEqualTo(0.007507552643049313);
    assertThat(f.promptTokensPerSec()).isCloseTo(7200 / WINDOW_S, within(1e-9));
    assertThat(f.generationTokensPerSec()).as("unchanged counter").isEqualTo(0.0);
    List<Double> tpot = bounds(sglang0, "sglang:time_per_output_token_seconds");
    assertThat(f.itlP50Ms()).isCloseTo(1000 * Pages.quantile(tpot, 0.06, 0.5), within(1e-9));
    assertThat(f.ttftP50Ms()).as("no first tokens between the scrapes").isNull();
    assertThat(f.preemptionsPerSec()).isNull();
  }

  @Test
  void tgiTokensPerSecondFromItsTokenHistogram() {
    EngineFigures f = engine(new EngineView(store, Map.of()).engines(NOW, WINDOW), "tgi").now();
    assertThat(f.generationTokensPerSec()).isCloseTo(2000 / WINDOW_S, within(1e-9));
    assertThat(f.requestsWaiting()).isEqualTo(4.0);
    assertThat(f.kvCacheUsage()).isNull();
  }

  @Test
  void anEngineWithoutScrapesForTwoIntervalsIsStaleAndDown() {
    Instant later = T1.plusSeconds(31); // two 15 s intervals and a second
    Engine v = engine(new EngineView(store, Map.of()).engines(later, WINDOW), "vllm:" + OPT);
    assertThat(v.stale()).isTrue();
    assertThat(v.up()).isFalse();
    Engine fresh = engine(new EngineView(store, Map.of()).engines(T1.plusSeconds(29), WINDOW), "vllm:" + OPT);
    assertThat(fresh.stale()).isFalse();
  }

  /**
   * Staleness per engine, not only per target: the page is still scraped every 15 s (up at T1+15 and
   * T1+30, the model it serves still there), but a second model it served at T0 has left it. At T1+31
   * that model's newest sample is 31 s old, past two intervals: stale and down; the served one is fresh.
   */
  @Test
  void aModelThatLeftAStillScrapedPageGoesStaleOnItsOwn() {
    store.write(List.of(dev.sightline.model.TelemetryBatch.ofMetrics("test", List.of(
        Pages.gauge("vllm:num_requests_running", "vllm", ns(T0), 3, Map.of("model_name", "gone/model-7b")),
        up("vllm", T1.plusSeconds(15), 1), up("vllm", T1.plusSeconds(30), 1),
        Pages.gauge("vllm:num_requests_running", "vllm", ns(T1.plusSeconds(30)), 1, Map.of("model_name", OPT))))));
    List<Engine> engines = new EngineView(store, Map.of()).engines(T1.plusSeconds(31), WINDOW);
    Engine gone = engine(engines, "vllm:gone/model-7b");
    assertThat(gone.stale()).isTrue();
    assertThat(gone.up()).isFalse();
    Engine served = engine(engines, "vllm:" + OPT);
    assertThat(served.stale()).isFalse();
    assertThat(served.up()).isTrue();
  }

  @Test
  void engineSeriesReadsRenamedGaugesAsOneSeries() {
    EngineView view = new EngineView(store, Map.of());
    FigureSeries kv = view.engineSeries("vllm:" + OPT, Figure.KV_CACHE_USAGE, T0, NOW, Duration.ofSeconds(15))
        .orElseThrow();
    assertThat(kv.figure()).isEqualTo("kvCacheUsage");
    assertThat(kv.unit()).isEqualTo("ratio");
    assertThat(kv.points()).extracting(MetricValue::time).containsExactly(T0, T1);
    assertThat(kv.points().get(0).value()).isEqualTo(0.0);
    assertThat(kv.points().get(1).value()).isCloseTo(0.83, within(1e-12));
    // whole 15 s buckets, so the rate of the last is its increase over 15 s
    FigureSeries gen = view.engineSeries("vllm:" + OPT, Figure.GENERATION_TOKENS, T0, T1.plusSeconds(15),
        Duration.ofSeconds(15)).orElseThrow();
    assertThat(gen.points().get(gen.points().size() - 1).value()).isCloseTo(1800 / 15.0, within(1e-9));
    FigureSeries ttft = view.engineSeries("vllm:" + OPT, Figure.TTFT, T0, NOW, Duration.ofSeconds(15)).orElseThrow();
    assertThat(ttft.figure()).isEqualTo("ttftP95Ms");
    assertThat(ttft.points()).hasSize(1);
    assertThat(view.engineSeries("vllm:nope", Figure.TTFT, T0, NOW, Duration.ofSeconds(15))).isEmpty();
  }

  @Test
  void gpusFromTheDcgmPage() {
    List<Gpu> gpus = new EngineView(store, Map.of()).gpus(NOW, WINDOW);
    // the label-less dummy fields of the page name no GPU
    assertThat(gpus).extracting(Gpu::id)
        .containsExactly("dcgm:GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e", "dcgm:GPU-9ef1b6d0-3643-5dd7-b823-c0ec20dcf2d5",
            "dcgm:GPU-abc");
    Gpu t4 = gpus.get(0);
    assertThat(t4.model()).isEqualTo("Tesla T4");
    assertThat(t4.host()).isEqualTo("424773df46e0");
    assertThat(t4.gpu()).isEqualTo("0");
    assertThat(t4.uuid()).isEqualTo(T4);
    assertThat(t4.source()).isEqualTo("dcgm");
    assertThat(t4.utilization()).as("the newest scrape").isEqualTo(87.0);
    assertThat(t4.memoryUsedMiB()).isEqualTo(0.0);
    assertThat(t4.memoryFreeMiB()).isEqualTo(15109.0);
    assertThat(t4.powerWatts()).isEqualTo(8.969);
    assertThat(t4.temperatureC()).isEqualTo(25.0);
    assertThat(t4.smClockMhz()).isEqualTo(300.0);
    assertThat(t4.xidErrors()).isEqualTo(0.0);
    assertThat(t4.migProfile()).isNull();
    assertThat(t4.pod()).isNull();
    assertThat(t4.lastSeen()).isEqualTo(T1);
    assertThat(t4.stale()).isFalse();
    Gpu a10g = gpus.get(2);
    assertThat(a10g.model()).isEqualTo("NVIDIA A10G");
    assertThat(a10g.pod()).isEqualTo("ray-1111111");
    assertThat(a10g.namespace()).isEqualTo("ray-llm");
    assertThat(a10g.container()).isEqualTo("ray-worker");
    assertThat(a10g.utilization()).isNull();
  }

  @Test
  void gpuSeriesOfOneGpu() {
    EngineView view = new EngineView(store, Map.of());
    FigureSeries util = view.gpuSeries("dcgm:" + T4, GpuFigure.UTILIZATION, T0, NOW, Duration.ofSeconds(15))
        .orElseThrow();
    assertThat(util.unit()).isEqualTo("%");
    assertThat(util.points()).containsExactly(new MetricValue(T0, 0), new MetricValue(T1, 87));
    assertThat(view.gpuSeries("dcgm:GPU-none", GpuFigure.UTILIZATION, T0, NOW, Duration.ofSeconds(15))).isEmpty();
  }

  @Test
  void gpuTimeIsSharedOverTheCallsOfTheEnginesModel() {
    long start = ns(T0);
    store.write(List.of(TelemetryBatch.ofSpans("test", List.of(
        callSpan(1, "opt-125m", 50, 100, start), callSpan(2, OPT, 70, 300, start + 1_000_000_000L),
        callSpan(3, "gpt-4o", 10, 9_999, start)))));
    Map<String, BigDecimal> prices = Map.of("vllm", new BigDecimal("2.50"), "tgi", new BigDecimal("1"));
    List<Engine> engines = new EngineView(store, prices).engines(NOW, WINDOW);
    EngineCost c = engine(engines, "vllm:" + OPT).cost();
    // seen up from its first scrape at T0 to NOW = T1 + 5 s (15 s buckets: [T0, T1) and [T1, NOW)), not the
    // whole 6-minute window: time before Sightline first scraped it is not charged
    BigDecimal hours = new BigDecimal(20_000).divide(new BigDecimal(3_600_000), GpuCost.DIVISION);
    assertThat(c.gpuPricePerHour()).isEqualByComparingTo("2.50");
    assertThat(c.gpuHours()).isEqualByComparingTo(hours);
    assertThat(c.cost()).isEqualByComparingTo(hours.multiply(new BigDecimal("2.50")).round(GpuCost.DIVISION));
    assertThat(c.requests()).isEqualTo(2);
    assertThat(c.outputTokens()).isEqualTo(400);
    assertThat(c.costPerRequest()).isEqualByComparingTo(c.cost().divide(BigDecimal.valueOf(2)));
    assertThat(c.costPer1kOutputTokens()).isEqualByComparingTo(c.cost().multiply(BigDecimal.valueOf(1000))
        .divide(BigDecimal.valueOf(400), GpuCost.DIVISION));
    assertThat(c.reason()).isNull();
    // TGI was up at T0 and down at T1 (15 s up) and served no call Sightline saw
    EngineCost tgi = engine(engines, "tgi").cost();
    BigDecimal tgiHours = new BigDecimal(15_000).divide(new BigDecimal(3_600_000), GpuCost.DIVISION);
    assertThat(tgi.gpuHours()).isEqualByComparingTo(tgiHours);
    assertThat(tgi.cost()).isEqualByComparingTo(tgiHours);
    assertThat(tgi.costPerRequest()).isNull();
    assertThat(tgi.reason()).contains("no LLM calls");
    assertThat(engine(engines, "sglang:" + LLAMA).cost()).as("unpriced service").isNull();
  }

  private static Span callSpan(int n, String model, long in, long out, long startNs) {
    String trace = String.format("%032x", n);
    String span = String.format("%016x", n);
    long end = startNs + 500_000_000L;
    LlmCall call = new LlmCall("vllm", "chat", model, null, true, Usage.reported(in, 0, 0, 0, out, 0),
        new Timing(startNs, end, null, null, null, null), Cost.unpriced("self-hosted", null),
        new Outcome(CallStatus.OK, 200, null, List.of("stop")),
        new CallContext(trace, span, "app", "/chat", null, null, null, null, List.of()), Content.NONE);
    return new Span(trace, span, null, "chat " + model, SpanKind.CLIENT, startNs, end, SpanStatus.OK, null, "app",
        "scope", Map.of(), Map.of(), List.of(), SpanCategory.LLM, call, List.of());
  }
}
