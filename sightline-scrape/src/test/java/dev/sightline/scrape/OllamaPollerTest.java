package dev.sightline.scrape;

import static dev.sightline.scrape.CapturingSink.until;
import static dev.sightline.scrape.CapturingSink.up;
import static dev.sightline.scrape.LiveScrapeTest.health;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.TelemetryBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A fake Ollama whose /api/ps changes between polls: loaded models, vRAM share, expiry, cold loads. */
class OllamaPollerTest {

  // shapes as in Ollama's API docs (docs.ollama.com/api/ps, /api/tags); the values are the docs' example
  static String running(String... models) {
    StringBuilder b = new StringBuilder("{\"models\":[");
    for (int i = 0; i < models.length; i++) {
      b.append(i == 0 ? "" : ",").append("""
          {"name":"%s","model":"%s","size":6591830464,"digest":"a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a",
           "details":{"parent_model":"","format":"gguf","family":"gemma3","families":["gemma3"],
                      "parameter_size":"4.3B","quantization_level":"Q4_K_M"},
           "expires_at":"%s","size_vram":5333539264,"context_length":4096}
          """.formatted(models[i], models[i], Instant.now().plusSeconds(300)));
    }
    return b.append("]}").toString();
  }

  static final String TAGS = """
      {"models":[
        {"name":"gemma3:latest","model":"gemma3:latest","modified_at":"2025-10-03T23:34:03.409490317-07:00",
         "size":3338801804,"digest":"a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a",
         "details":{"format":"gguf","family":"gemma","families":["gemma"],"parameter_size":"4.3B",
                    "quantization_level":"Q4_K_M"}},
        {"name":"qwen3:8b","model":"qwen3:8b","modified_at":"2025-10-01T10:00:00Z","size":5200000000,
         "digest":"b1","details":{"format":"gguf","family":"qwen3","parameter_size":"8.2B","quantization_level":"Q4_K_M"}}
      ]}
      """;

  static Optional<MetricPoint> find(TelemetryBatch b, String name, String model) {
    return b.metrics().stream().filter(m -> m.name().equals(name) && model.equals(m.attributes().get("model")))
        .findFirst();
  }

  static double coldLoads(TelemetryBatch b, String model) {
    return find(b, "ollama_cold_loads", model).map(MetricPoint::value).orElse(-1.0);
  }

  @Test
  void loadedModelsAndColdLoadsAcrossPolls() throws Exception {
    AtomicReference<String> ps = new AtomicReference<>(running("gemma3:latest"));
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer ollama = LoopbackServer.start()
        .on("/api/ps", x -> LoopbackServer.send(x, 200, "application/json; charset=utf-8", ps.get()))
        .on("/api/tags", x -> LoopbackServer.send(x, 200, "application/json; charset=utf-8", TAGS));
        Scraper scraper = new Scraper(List.of(new ScrapeTarget("ollama", ScrapeTarget.Kind.OLLAMA,
            ollama.url("/"), Duration.ofMillis(250), Duration.ofMillis(250))), sink)) {
      scraper.start();
      TelemetryBatch first = sink.await("ollama", 0, b -> up(b) == 1);
      long at = CapturingSink.point(first, "up").orElseThrow().timeEpochNanos();

      assertThat(find(first, "ollama_model_loaded", "gemma3:latest").orElseThrow().value()).isEqualTo(1.0);
      assertThat(find(first, "ollama_model_size_bytes", "gemma3:latest").orElseThrow().value()).isEqualTo(6591830464.0);
      assertThat(find(first, "ollama_model_vram_bytes", "gemma3:latest").orElseThrow().value()).isEqualTo(5333539264.0);
      assertThat(find(first, "ollama_model_gpu_share", "gemma3:latest").orElseThrow().value())
          .isCloseTo(5333539264.0 / 6591830464.0, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(find(first, "ollama_model_expires_in_seconds", "gemma3:latest").orElseThrow().value())
          .isBetween(200.0, 301.0);
      MetricPoint available = find(first, "ollama_model_available", "qwen3:8b").orElseThrow();
      assertThat(available.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("model", "qwen3:8b",
          "family", "qwen3", "parameter_size", "8.2B", "quantization_level", "Q4_K_M"));
      assertThat(first.metrics()).filteredOn(m -> m.name().equals("ollama_model_available")).hasSize(2);
      assertThat(first.metrics()).filteredOn(m -> m.name().startsWith("ollama_"))
          .allMatch(m -> m.service().equals("ollama") && m.timeEpochNanos() == at);
      // loaded before Sightline looked: not a load it saw
      MetricPoint counter = find(first, "ollama_cold_loads", "gemma3:latest").orElseThrow();
      assertThat(counter.value()).isZero();
      assertThat(counter.type()).isEqualTo(MetricType.SUM);
      assertThat(counter.monotonic()).isTrue();
      assertThat(find(first, "ollama_cold_loads", "qwen3:8b")).isEmpty();

      ps.set(running("gemma3:latest", "qwen3:8b"));
      TelemetryBatch loaded = sink.await("ollama", 0, b -> coldLoads(b, "qwen3:8b") == 1.0);
      assertThat(coldLoads(loaded, "gemma3:latest")).isZero();
      assertThat(find(loaded, "ollama_cold_loads", "qwen3:8b").orElseThrow().startEpochNanos())
          .isEqualTo(counter.startEpochNanos());

      ps.set(running("gemma3:latest"));
      int mark = sink.batches.size();
      TelemetryBatch unloaded = sink.await("ollama", mark,
          b -> up(b) == 1 && find(b, "ollama_model_loaded", "qwen3:8b").isEmpty());
      assertThat(coldLoads(unloaded, "qwen3:8b")).isEqualTo(1.0); // the count stays after the unload

      ps.set(running("gemma3:latest", "qwen3:8b"));
      TelemetryBatch reloaded = sink.await("ollama", mark, b -> coldLoads(b, "qwen3:8b") == 2.0);
      assertThat(coldLoads(reloaded, "gemma3:latest")).isZero();
      until("health", () -> health(scraper, "ollama").up());
      assertThat(health(scraper, "ollama").kind()).isEqualTo("ollama");
    }
  }

  @Test
  void somethingThatIsNotOllamaIsDownWithAReason() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer notOllama = LoopbackServer.start()
        .on("/api/ps", x -> LoopbackServer.send(x, 200, "text/html", "<html>hello</html>"))
        .on("/api/tags", x -> LoopbackServer.send(x, 200, "application/json", "{\"models\":[]}"));
        LoopbackServer noList = LoopbackServer.start()
            .on("/api/ps", x -> LoopbackServer.send(x, 200, "application/json", "{\"error\":\"nope\"}"));
        Scraper scraper = new Scraper(List.of(
            new ScrapeTarget("html", ScrapeTarget.Kind.OLLAMA, notOllama.url(""), Duration.ofMillis(300),
                Duration.ofMillis(300)),
            new ScrapeTarget("nolist", ScrapeTarget.Kind.OLLAMA, noList.url("/"), Duration.ofMillis(300),
                Duration.ofMillis(300))), sink)) {
      scraper.start();
      assertThat(up(sink.await("html", 0, b -> true))).isZero();
      assertThat(up(sink.await("nolist", 0, b -> true))).isZero();
      until("health", () -> health(scraper, "html").scrapes() >= 1 && health(scraper, "nolist").scrapes() >= 1);
      assertThat(health(scraper, "html").lastError()).startsWith("/api/ps did not answer JSON");
      assertThat(health(scraper, "nolist").lastError()).startsWith("/api/ps answered without a \"models\" list");
    }
  }

  @Test
  void aModelKeptForeverOrWithoutVramFiguresStillReads() throws Exception {
    OllamaPoller poller = new OllamaPoller(new ScrapeTarget("o", ScrapeTarget.Kind.OLLAMA,
        java.net.URI.create("http://127.0.0.1:1"), Duration.ofSeconds(5), Duration.ofSeconds(5)), null);
    com.fasterxml.jackson.databind.JsonNode models = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        [{"name":"cpu-only","size":1000,"size_vram":0,"expires_at":"0001-01-01T00:00:00Z"},
         {"model":"no-name-field","size":0,"expires_at":"not a time"},
         {"size":5}]
        """);
    List<OllamaPoller.Loaded> loaded = OllamaPoller.readPs(models);
    assertThat(loaded).extracting(OllamaPoller.Loaded::model).containsExactly("cpu-only", "no-name-field");
    List<MetricPoint> points = poller.points(loaded, List.of(), 1_700_000_000_000_000_000L);
    assertThat(points).filteredOn(m -> m.name().equals("ollama_model_gpu_share"))
        .singleElement().satisfies(m -> assertThat(m.value()).isZero());
    // no expiry (zero time) and an unreadable one give no expiry point rather than a wrong one
    assertThat(points).noneMatch(m -> m.name().equals("ollama_model_expires_in_seconds"));
    // a zero size gives no share (no division by zero)
    assertThat(points).filteredOn(m -> m.name().equals("ollama_model_gpu_share")).hasSize(1);
  }
}
