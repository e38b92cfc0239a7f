package dev.sightline.engines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.DuckDbStore;
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
 * An Ollama server as the poller stores it (one model stays loaded, one unloads, one is only
 * installed), and GPUs from the nvidia-smi collector and from MIG instances.
 */
class OllamaAndMigTest {
  static final Instant P0 = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant P1 = P0.plusSeconds(10);
  static final Instant NOW = P1.plusSeconds(2);
  static final Duration WINDOW = Duration.ofMinutes(5);

  @TempDir
  Path dir;
  DuckDbStore store;

  static long ns(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static MetricPoint gauge(String name, String service, Instant t, double v, Map<String, Object> labels) {
    return Pages.gauge(name, service, ns(t), v, labels);
  }

  static MetricPoint coldLoads(String model, Instant t, double v) {
    return new MetricPoint("ollama_cold_loads", null, null, MetricType.SUM, ns(t), ns(P0.minusSeconds(600)), "ollama",
        Map.of("model", model), v, null, null, null, null, true);
  }

  @BeforeEach
  void fill() {
    store = DuckDbStore.open(dir);
    List<MetricPoint> p = new ArrayList<>();
    for (Instant t : List.of(P0, P1)) {
      p.add(gauge("up", "ollama", t, 1, Map.of()));
      p.add(gauge("ollama_model_loaded", "ollama", t, 1, Map.of("model", "llama3.2:3b")));
      p.add(gauge("ollama_model_size_bytes", "ollama", t, 3.3e9, Map.of("model", "llama3.2:3b")));
      p.add(gauge("ollama_model_vram_bytes", "ollama", t, 2.64e9, Map.of("model", "llama3.2:3b")));
      p.add(gauge("ollama_model_gpu_share", "ollama", t, 0.8, Map.of("model", "llama3.2:3b")));
      p.add(gauge("ollama_model_expires_in_seconds", "ollama", t, 290, Map.of("model", "llama3.2:3b")));
      for (String m : List.of("llama3.2:3b", "qwen2.5:7b", "phi4:14b")) {
        p.add(gauge("ollama_model_available", "ollama", t, 1, Map.of("model", m, "family", "f-" + m,
            "parameter_size", "3B", "quantization_level", "Q4_K_M")));
      }
    }
    // qwen was loaded at the first poll only
    p.add(gauge("ollama_model_loaded", "ollama", P0, 1, Map.of("model", "qwen2.5:7b")));
    p.add(coldLoads("llama3.2:3b", P0, 2));
    p.add(coldLoads("llama3.2:3b", P1, 3));

    // the nvidia-smi collector, and a MIG instance of dcgm-exporter that shares its parent's UUID
    Map<String, Object> smi = Map.of("gpu", "0", "UUID", "GPU-h100", "modelName", "NVIDIA H100 80GB HBM3",
        "Hostname", "box", "pci_bus_id", "00000000:18:00.0", "source", "nvidia-smi");
    p.add(gauge("DCGM_FI_DEV_GPU_UTIL", "nvidia-smi", P1, 100, smi));
    p.add(gauge("DCGM_FI_DEV_FB_USED", "nvidia-smi", P1, 75_000, smi));
    Map<String, Object> parent = Map.of("gpu", "1", "UUID", "GPU-a100", "modelName", "NVIDIA A100", "hostname", "k8s-1");
    Map<String, Object> mig = Map.of("gpu", "1", "UUID", "GPU-a100", "modelName", "NVIDIA A100", "hostname", "k8s-1",
        "GPU_I_PROFILE", "1g.10gb", "GPU_I_ID", "7", "pod", "vllm-0", "namespace", "llm", "container", "vllm");
    p.add(gauge("DCGM_FI_DEV_FB_USED", "dcgm", P1, 40_000, parent));
    p.add(gauge("DCGM_FI_DEV_FB_USED", "dcgm", P0, 9_000, mig));
    p.add(gauge("DCGM_FI_DEV_FB_USED", "dcgm", P1, 9_500, mig));
    store.write(List.of(TelemetryBatch.ofMetrics("test", p)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void ollamaModelsLoadedNowAndColdLoads() {
    List<Engine> engines = new EngineView(store, Map.of()).engines(NOW, WINDOW);
    assertThat(engines).extracting(Engine::id).containsExactly("ollama");
    Engine o = engines.get(0);
    assertThat(o.kind()).isEqualTo(EngineKind.OLLAMA);
    assertThat(o.up()).isTrue();
    assertThat(o.now()).isEqualTo(EngineFigures.NONE);
    assertThat(o.ollamaModels()).extracting(OllamaModel::model).containsExactly("llama3.2:3b", "phi4:14b",
        "qwen2.5:7b");
    OllamaModel llama = o.ollamaModels().get(0);
    assertThat(llama.loaded()).isTrue();
    assertThat(llama.gpuShare()).isEqualTo(0.8);
    assertThat(llama.vramBytes()).isEqualTo(2.64e9);
    assertThat(llama.expiresInSeconds()).isEqualTo(290.0);
    assertThat(llama.coldLoads()).as("one more cold load between the polls").isEqualTo(1.0);
    assertThat(llama.available()).isTrue();
    assertThat(llama.quantization()).isEqualTo("Q4_K_M");
    OllamaModel qwen = o.ollamaModels().get(2);
    assertThat(qwen.loaded()).as("unloaded since the first poll").isFalse();
    assertThat(qwen.vramBytes()).isNull();
    assertThat(qwen.coldLoads()).isEqualTo(0.0);
    assertThat(o.ollamaModels().get(1).loaded()).isFalse();
  }

  @Test
  void nvidiaSmiAndMigGpus() {
    List<Gpu> gpus = new EngineView(store, Map.of()).gpus(NOW, WINDOW);
    assertThat(gpus).extracting(Gpu::id).containsExactly("dcgm:GPU-a100", "dcgm:GPU-a100:7", "nvidia-smi:GPU-h100");
    Gpu h100 = gpus.get(2);
    assertThat(h100.source()).isEqualTo("nvidia-smi");
    assertThat(h100.utilization()).isEqualTo(100.0);
    assertThat(h100.memoryUsedMiB()).isEqualTo(75_000.0);
    assertThat(h100.host()).isEqualTo("box");
    assertThat(h100.stale()).as("no up samples: fresh within two minutes").isFalse();
    Gpu instance = gpus.get(1);
    assertThat(instance.migProfile()).isEqualTo("1g.10gb");
    assertThat(instance.migInstance()).isEqualTo("7");
    assertThat(instance.memoryUsedMiB()).isEqualTo(9_500.0);
    assertThat(instance.pod()).isEqualTo("vllm-0");
    assertThat(instance.host()).isEqualTo("k8s-1");
    assertThat(gpus.get(0).memoryUsedMiB()).isEqualTo(40_000.0);
    assertThat(gpus.get(0).migInstance()).isNull();
    // the instance's series leaves its parent's samples out
    FigureSeries s = new EngineView(store, Map.of()).gpuSeries("dcgm:GPU-a100:7", GpuFigure.MEMORY_USED, P0, NOW,
        Duration.ofSeconds(10)).orElseThrow();
    assertThat(s.points()).extracting(v -> v.value()).containsExactly(9_000.0, 9_500.0);
    FigureSeries whole = new EngineView(store, Map.of()).gpuSeries("dcgm:GPU-a100", GpuFigure.MEMORY_USED, P0, NOW,
        Duration.ofSeconds(10)).orElseThrow();
    assertThat(whole.points()).extracting(v -> v.value()).containsExactly(40_000.0);
    assertThat(new EngineView(store, Map.of()).gpus(P1.plusSeconds(121), WINDOW)).allMatch(Gpu::stale);
  }
}
