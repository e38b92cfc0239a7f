package dev.sightline.engines;

import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSample;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Ollama server's models from what the Ollama poller stores (names in issue13-design.md): a model
 * is loaded now when its {@code ollama_model_loaded} sample is from the newest poll of the service,
 * which is the newest time of any of the service's Ollama samples (every poll writes one per listed
 * model, and a model that left /api/ps simply has no newer sample).
 */
final class OllamaReader {
  static final List<String> GAUGES = List.of("ollama_model_loaded", "ollama_model_size_bytes",
      "ollama_model_vram_bytes", "ollama_model_gpu_share", "ollama_model_expires_in_seconds", "ollama_model_available");
  static final String COLD_LOADS = "ollama_cold_loads";

  private OllamaReader() {}

  static List<OllamaModel> models(Store store, EngineRef engine, Instant now, Duration window) {
    String service = engine.service();
    Instant since = now.minus(window);
    List<MetricSample> samples = EngineDetection.latest(store,
        GAUGES.stream().filter(engine.names()::contains).toList(), service, Map.of(), since, now);
    Instant newestPoll = samples.stream().map(MetricSample::time).max(Instant::compareTo).orElse(null);
    Map<String, Map<String, MetricSample>> byModel = new TreeMap<>();
    for (MetricSample s : samples) {
      String model = s.labels().get("model");
      if (model != null) {
        // newest first from the store; a series whose labels changed keeps the newest
        byModel.computeIfAbsent(model, m -> new HashMap<>()).merge(s.name(), s,
            (a, b) -> a.time().isAfter(b.time()) ? a : b);
      }
    }
    Map<String, Double> coldLoads = engine.names().contains(COLD_LOADS)
        ? coldLoads(store, service, since, now, window) : Map.of();
    List<OllamaModel> out = new ArrayList<>();
    byModel.forEach((model, m) -> {
      MetricSample loaded = m.get("ollama_model_loaded");
      boolean loadedNow = loaded != null && loaded.value() == 1.0 && !loaded.time().isBefore(newestPoll);
      MetricSample available = m.get("ollama_model_available");
      Map<String, String> tags = available == null ? Map.of() : available.labels();
      Instant seen = m.values().stream().map(MetricSample::time).max(Instant::compareTo).orElse(null);
      out.add(new OllamaModel(model, loadedNow, loadedNow ? value(m, "ollama_model_size_bytes") : null,
          loadedNow ? value(m, "ollama_model_vram_bytes") : null,
          loadedNow ? value(m, "ollama_model_gpu_share") : null,
          loadedNow ? value(m, "ollama_model_expires_in_seconds") : null,
          coldLoads.getOrDefault(model, 0.0), available != null && !available.time().isBefore(newestPoll)
              && available.value() == 1.0, tags.get("family"), tags.get("parameter_size"),
          tags.get("quantization_level"), seen));
    });
    return out;
  }

  private static Double value(Map<String, MetricSample> m, String name) {
    MetricSample s = m.get(name);
    return s == null || !Double.isFinite(s.value()) ? null : s.value();
  }

  private static Map<String, Double> coldLoads(Store store, String service, Instant since, Instant now,
      Duration window) {
    Map<String, Double> out = new HashMap<>();
    List<MetricSeries> series = store.metricSeries(new MetricQuery(List.of(COLD_LOADS), service, Map.of(),
        List.of("model"), since, now, FigureReader.oneBucket(window), "increase"));
    for (MetricSeries s : series) {
      Double v = FigureReader.last(s.values());
      if (s.group().get("model") != null && v != null) {
        out.merge(s.group().get("model"), v, Double::sum);
      }
    }
    return out;
  }
}
