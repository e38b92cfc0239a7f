package dev.sightline.scrape;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Polls an Ollama server, which has no Prometheus page: {@code /api/ps} (loaded models, their size and
 * the part in vRAM, expiry) and {@code /api/tags} (models on disk), and counts cold loads (a model in
 * {@code /api/ps} that was not loaded at the previous poll). Field names are from Ollama's API docs
 * (docs/api.md, docs.ollama.com/api/ps).
 */
final class OllamaPoller implements Collector {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ScrapeTarget target;
  private final HttpClient client;
  private final URI ps;
  private final URI tags;
  private Set<String> loadedAtLastPoll; // null until the first good poll
  // a cold load is only seen by comparing two polls, so the count starts with this poller
  private final Map<String, Long> coldLoads = new LinkedHashMap<>();
  private long countingSinceNanos;

  OllamaPoller(ScrapeTarget target, HttpClient client) {
    this.target = target;
    this.client = client;
    String base = target.url().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.ps = URI.create(base + "/api/ps");
    this.tags = URI.create(base + "/api/tags");
  }

  /** One loaded model from {@code /api/ps}. */
  record Loaded(String model, Long size, Long sizeVram, Instant expiresAt) {}

  /** One model on disk from {@code /api/tags}. */
  record Available(String model, String family, String parameterSize, String quantization) {}

  @Override
  public ScrapeResult collect(long startEpochNanos) throws InterruptedException {
    long deadline = System.nanoTime() + target.timeout().toNanos();
    List<Loaded> loaded;
    List<Available> available;
    try {
      loaded = readPs(fetch(ps, deadline));
      available = readTags(fetch(tags, deadline));
    } catch (HttpPage.Failure f) {
      return ScrapeResult.failed(f.getMessage());
    }
    return ScrapeResult.ok(points(loaded, available, startEpochNanos));
  }

  private JsonNode fetch(URI url, long deadline) throws HttpPage.Failure, InterruptedException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new HttpPage.Failure("no complete answer within " + target.timeout().toMillis() + " ms (timeout)");
    }
    HttpPage.Page page = HttpPage.get(client, url, "application/json", Duration.ofNanos(left));
    try {
      JsonNode root = JSON.readTree(page.body());
      JsonNode models = root == null ? null : root.get("models");
      if (models == null || !models.isArray()) {
        throw new HttpPage.Failure(url.getPath() + " answered without a \"models\" list; is this an Ollama server?");
      }
      return models;
    } catch (JacksonException e) {
      throw new HttpPage.Failure(url.getPath() + " did not answer JSON; is this an Ollama server? ("
          + e.getOriginalMessage() + ")");
    } catch (java.io.IOException e) {
      throw new HttpPage.Failure(url.getPath() + " could not be read: " + e.getMessage());
    }
  }

  static List<Loaded> readPs(JsonNode models) {
    List<Loaded> out = new ArrayList<>();
    for (JsonNode m : models) {
      String name = modelName(m);
      if (name != null) {
        out.add(new Loaded(name, number(m.get("size")), number(m.get("size_vram")), time(m.get("expires_at"))));
      }
    }
    return out;
  }

  static List<Available> readTags(JsonNode models) {
    List<Available> out = new ArrayList<>();
    for (JsonNode m : models) {
      String name = modelName(m);
      if (name != null) {
        JsonNode d = m.path("details");
        out.add(new Available(name, text(d.get("family")), text(d.get("parameter_size")),
            text(d.get("quantization_level"))));
      }
    }
    return out;
  }

  List<MetricPoint> points(List<Loaded> loaded, List<Available> available, long now) {
    List<MetricPoint> points = new ArrayList<>();
    Instant at = Instant.ofEpochSecond(0, now);
    for (Loaded m : loaded) {
      Map<String, Object> labels = Map.of("model", m.model());
      points.add(gauge("ollama_model_loaded", "1 while the model is loaded", "", now, labels, 1));
      if (m.size() != null) {
        points.add(gauge("ollama_model_size_bytes", "Memory the loaded model takes", "By", now, labels, m.size()));
      }
      if (m.sizeVram() != null) {
        points.add(gauge("ollama_model_vram_bytes", "Part of the model in GPU memory", "By", now, labels,
            m.sizeVram()));
      }
      if (m.size() != null && m.sizeVram() != null && m.size() > 0) {
        double share = Math.max(0, Math.min(1, (double) m.sizeVram() / m.size()));
        points.add(gauge("ollama_model_gpu_share", "Share of the model in GPU memory (size_vram / size)", "1", now,
            labels, share));
      }
      // Ollama reports no expiry as the zero time (year 1); a model kept forever has a far-future one
      if (m.expiresAt() != null && m.expiresAt().isAfter(Instant.EPOCH)) {
        double seconds = Math.max(0, Duration.between(at, m.expiresAt()).toMillis() / 1000.0);
        points.add(gauge("ollama_model_expires_in_seconds", "Seconds until Ollama unloads the model", "s", now,
            labels, seconds));
      }
    }
    for (Available m : available) {
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put("model", m.model());
      putIfPresent(labels, "family", m.family());
      putIfPresent(labels, "parameter_size", m.parameterSize());
      putIfPresent(labels, "quantization_level", m.quantization());
      points.add(gauge("ollama_model_available", "1 for each model Ollama has on disk", "", now, labels, 1));
    }
    countColdLoads(loaded, now);
    for (Map.Entry<String, Long> e : coldLoads.entrySet()) {
      points.add(new MetricPoint("ollama_cold_loads", "Times the model was loaded while Sightline watched", "",
          MetricType.SUM, now, countingSinceNanos, target.name(), Map.of("model", e.getKey()),
          (double) e.getValue(), null, null, null, null, true));
    }
    return points;
  }

  private void countColdLoads(List<Loaded> loaded, long now) {
    Set<String> current = new LinkedHashSet<>();
    loaded.forEach(m -> current.add(m.model()));
    if (loadedAtLastPoll == null) {
      countingSinceNanos = now; // what was loaded before the first poll is not a load we saw
      current.forEach(m -> coldLoads.putIfAbsent(m, 0L));
    } else {
      for (String m : current) {
        if (!loadedAtLastPoll.contains(m)) {
          coldLoads.merge(m, 1L, Long::sum);
        }
      }
    }
    loadedAtLastPoll = current;
  }

  private MetricPoint gauge(String name, String description, String unit, long time, Map<String, Object> labels,
      double value) {
    return new MetricPoint(name, description, unit, MetricType.GAUGE, time, 0, target.name(), labels, value, null,
        null, null, null, false);
  }

  private static void putIfPresent(Map<String, Object> labels, String key, String value) {
    if (value != null && !value.isBlank()) {
      labels.put(key, value);
    }
  }

  private static String modelName(JsonNode m) {
    String name = text(m.get("name"));
    if (name == null || name.isBlank()) {
      name = text(m.get("model"));
    }
    return name == null || name.isBlank() ? null : name;
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static Long number(JsonNode n) {
    return n != null && n.canConvertToLong() && n.isIntegralNumber() ? n.asLong() : null;
  }

  private static Instant time(JsonNode n) {
    String s = text(n);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
