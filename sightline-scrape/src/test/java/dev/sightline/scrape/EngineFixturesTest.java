package dev.sightline.scrape;

import dev.sightline.model.testing.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real pages of vLLM, SGLang and dcgm-exporter in shared/fixtures/local-llm read without loss. */
class EngineFixturesTest {
  static final long SCRAPED = 1_700_000_000_000_000_000L;

  static PrometheusText.Parsed page(String file) throws Exception {
    return PrometheusText.parse(Files.readString(SharedFixtures.file("local-llm").resolve(file)), SCRAPED, "engine");
  }

  static MetricPoint one(List<MetricPoint> points, String name, String label, String value) {
    List<MetricPoint> found = points.stream()
        .filter(m -> m.name().equals(name) && value.equals(m.attributes().get(label))).toList();
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }

  @Test
  void vllmGaugeCounterAndHistogram() throws Exception {
    PrometheusText.Parsed r = page("vllm-metrics.datadog-fixture.prom");
    assertThat(r.errors()).isEmpty();
    MetricPoint cache = one(r.points(), "vllm:gpu_cache_usage_perc", "model_name", "facebook/opt-125m");
    assertThat(cache.type()).isEqualTo(MetricType.GAUGE);
    assertThat(cache.value()).isEqualTo(0.0);
    assertThat(cache.description()).isEqualTo("GPU KV-cache usage. 1 means 100 percent usage.");
    assertThat(cache.service()).isEqualTo("engine");
    assertThat(cache.timeEpochNanos()).isEqualTo(SCRAPED);

    MetricPoint ttft = one(r.points(), "vllm:time_to_first_token_seconds", "model_name", "facebook/opt-125m");
    assertThat(ttft.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(ttft.monotonic()).isTrue();
    assertThat(ttft.count()).isEqualTo(1L);
    assertThat(ttft.sum()).isEqualTo(0.31326723098754883);
    assertThat(ttft.attributes()).doesNotContainKey("le");
    assertThat(ttft.bucketBounds()).containsExactly(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25,
        0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    // the one request fell in (0.25, 0.5]
    assertThat(ttft.bucketCounts()).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L,
        0L, 0L, 0L);

    MetricPoint itl = one(r.points(), "vllm:inter_token_latency_seconds", "model_name", "facebook/opt-125m");
    assertThat(itl.bucketBounds()).containsExactly(0.01, 0.1);
    assertThat(itl.bucketCounts()).containsExactly(141L, 3L, 0L);
    assertThat(itl.count()).isEqualTo(144L);

    // TYPE names this counter with _total, so the name keeps it
    MetricPoint hits = one(r.points(), "vllm:prefix_cache_hits_total", "model_name", "facebook/opt-125m");
    assertThat(hits.type()).isEqualTo(MetricType.SUM);
    assertThat(hits.monotonic()).isTrue();
    assertThat(hits.value()).isEqualTo(64.0);
    assertThat(r.points().stream().filter(m -> m.name().equals("vllm:prompt_tokens_by_source_total")))
        .extracting(m -> m.attributes().get("source"))
        .containsExactly("local_compute", "local_cache_hit", "external_kv_transfer");
  }

  @Test
  void sglangHistogramAndCounters() throws Exception {
    PrometheusText.Parsed r = page("sglang-metrics.docs-example.prom");
    assertThat(r.errors()).isEmpty();
    MetricPoint ttft = one(r.points(), "sglang:time_to_first_token_seconds", "model_name",
        "meta-llama/Llama-3.1-8B-Instruct");
    assertThat(ttft.count()).isEqualTo(11008L);
    assertThat(ttft.sum()).isEqualTo(2.3518979474117756e+06);
    assertThat(ttft.bucketCounts().stream().mapToLong(Long::longValue).sum()).isEqualTo(11008L);
    assertThat(ttft.bucketCounts().get(ttft.bucketCounts().size() - 1)).isEqualTo(11008L - 2513L);
    assertThat(ttft.bucketBounds()).startsWith(0.001, 0.005).endsWith(30.0);
    MetricPoint prompt = one(r.points(), "sglang:prompt_tokens_total", "model_name",
        "meta-llama/Llama-3.1-8B-Instruct");
    assertThat(prompt.type()).isEqualTo(MetricType.SUM);
    assertThat(prompt.value()).isEqualTo(8.128902e+06);
    assertThat(one(r.points(), "sglang:token_usage", "model_name", "meta-llama/Llama-3.1-8B-Instruct").value())
        .isEqualTo(0.28);
  }

  @Test
  void dcgmGpuLabelsAndKubernetesLabels() throws Exception {
    PrometheusText.Parsed r = page("dcgm-exporter-metrics.datadog-fixture.prom");
    assertThat(r.errors()).isEmpty();
    MetricPoint temp = one(r.points(), "DCGM_FI_DEV_GPU_TEMP", "UUID", "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e");
    assertThat(temp.value()).isEqualTo(25.0);
    assertThat(temp.attributes()).containsEntry("gpu", "0").containsEntry("Hostname", "424773df46e0")
        .containsEntry("modelName", "Tesla T4");
    MetricPoint energy = one(r.points(), "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "gpu", "0");
    assertThat(energy.type()).isEqualTo(MetricType.SUM);
    assertThat(energy.value()).isEqualTo(128996013.0);
    // the last sample has no newline after it and carries the Kubernetes labels
    MetricPoint dram = one(r.points(), "DCGM_FI_PROF_DRAM_ACTIVE", "pod", "ray-1111111");
    assertThat(dram.attributes()).containsEntry("namespace", "ray-llm").containsEntry("container", "ray-worker")
        .containsEntry("UUID", "GPU-abc");
    assertThat(dram.value()).isEqualTo(0.000003);
    // a HELP with no text leaves the description empty
    assertThat(one(r.points(), "DCGM_FI_DEV_FB_RESERVED", "gpu", "0").description()).isEmpty();
  }

  @Test
  void everySampleLineOfEachFixtureBecomesPartOfAPoint() throws Exception {
    for (String f : List.of("vllm-metrics.datadog-fixture.prom", "sglang-metrics.docs-example.prom",
        "dcgm-exporter-metrics.datadog-fixture.prom")) {
      PrometheusText.Parsed r = page(f);
      assertThat(r.errors()).as(f).isEmpty();
      assertThat(r.points()).as(f).isNotEmpty().allSatisfy(m -> assertThat(m.service()).isEqualTo("engine"));
    }
  }
}
