package dev.sightline.server;

import com.sun.net.httpserver.HttpServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engines and GPUs view through the running server: the real vLLM and DCGM pages scraped live
 * become one engine (its model, health, KV cache and queue now, its series) and the T4 / A10G GPUs
 * (utilisation, memory, pod labels); a GPU price turns the engine's up time into a cost shared by
 * the self-hosted calls traced for its model; bad requests are clear 4xx.
 */
class EnginesEndToEndTest {
  @TempDir Path dir;
  private SightlineServer server;
  private FixtureEngine pages;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (pages != null) {
      pages.close();
    }
  }

  /** One self-hosted call of facebook/opt-125m (the model the vLLM page serves) with 40 output tokens. */
  private void traceOneCall() throws Exception {
    long start = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"app"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[
            {"traceId":"6b8efff798038103d269b633813fc60c","spanId":"aee19b7ec3c1b175","name":"chat opt","kind":3,
             "startTimeUnixNano":"%1$d","endTimeUnixNano":"%2$d","attributes":[
              {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
              {"key":"gen_ai.provider.name","value":{"stringValue":"vllm"}},
              {"key":"gen_ai.request.model","value":{"stringValue":"facebook/opt-125m"}},
              {"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},
              {"key":"gen_ai.usage.output_tokens","value":{"intValue":"40"}}
             ]}]}]}]}
        """.formatted(start, start + 1_000_000_000L);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void scrapedEngineAndGpusWithCost() throws Exception {
    pages = new FixtureEngine();
    MonitoringConfig monitoring = pages.monitoring(Map.of("vllm", "3.60"));
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withMonitoring(monitoring));
    traceOneCall();

    JsonNode engines = TestServers.await(server, "/api/v1/engines?window=5m",
        r -> r.path("engines").size() == 1 && r.path("engines").get(0).path("up").asBoolean());
    JsonNode e = engines.path("engines").get(0);
    assertThat(e.path("id").asText()).isEqualTo("vllm:facebook/opt-125m");
    assertThat(e.path("engine").asText()).isEqualTo("vllm");
    assertThat(e.path("model").asText()).isEqualTo("facebook/opt-125m");
    assertThat(e.path("stale").asBoolean()).isFalse();
    // the page's own values: no request running or waiting, KV cache empty
    assertThat(e.path("now").path("requestsRunning").asDouble()).isEqualTo(0.0);
    assertThat(e.path("now").path("requestsWaiting").asDouble()).isEqualTo(0.0);
    assertThat(e.path("now").path("kvCacheUsage").asDouble()).isEqualTo(0.0);
    // the page does not change between scrapes: its counters rise by nothing
    assertThat(e.path("now").path("generationTokensPerSec").asDouble()).isEqualTo(0.0);

    // $3.60/h over the time the engine was up in the window, shared by the one traced call
    JsonNode cost = e.path("cost");
    assertThat(cost.path("gpuPricePerHour").decimalValue()).isEqualByComparingTo("3.60");
    assertThat(cost.path("requests").asLong()).isEqualTo(1);
    assertThat(cost.path("outputTokens").asLong()).isEqualTo(40);
    assertThat(cost.path("cost").asDouble()).isGreaterThan(0.0);
    assertThat(cost.path("cost").asDouble()).isCloseTo(3.60 * cost.path("gpuHours").asDouble(), within(1e-9));
    assertThat(cost.path("costPerRequest").asDouble()).isCloseTo(cost.path("cost").asDouble(), within(1e-12));
    assertThat(cost.path("costPer1kOutputTokens").asDouble())
        .isCloseTo(cost.path("cost").asDouble() * 1000 / 40, within(1e-9));

    String id = URLEncoder.encode(e.path("id").asText(), StandardCharsets.UTF_8);
    JsonNode kv = TestServers.await(server, "/api/v1/engines/series?engine=" + id + "&figure=kvCacheUsage&since=-5m",
        r -> r.path("points").size() > 0);
    assertThat(kv.path("points").get(0).path("value").asDouble()).isEqualTo(0.0);

    JsonNode gpus = TestServers.await(server, "/api/v1/gpus?window=5m", r -> r.path("gpus").size() >= 2);
    assertThat(gpus.path("gpus").findValuesAsText("model")).contains("Tesla T4", "NVIDIA A10G");
    JsonNode a10g = null;
    JsonNode t4 = null;
    for (JsonNode g : gpus.path("gpus")) {
      if (g.path("model").asText().equals("NVIDIA A10G")) {
        a10g = g;
      } else if (g.path("uuid").asText().equals("GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e")) {
        t4 = g;
      }
    }
    assertThat(a10g.path("service").asText()).isEqualTo("dcgm");
    assertThat(a10g.path("source").asText()).isEqualTo("dcgm");
    assertThat(a10g.path("pod").asText()).isEqualTo("ray-1111111");
    assertThat(a10g.path("namespace").asText()).isEqualTo("ray-llm");
    // the page's A10G sample carries only a profiling field: no utilisation to show, and none made up
    assertThat(a10g.path("utilization").isNull()).isTrue();
    // the T4 whose page has DCGM_FI_DEV_GPU_UTIL 0
    assertThat(t4.path("model").asText()).isEqualTo("Tesla T4");
    assertThat(t4.path("utilization").isNumber()).isTrue();
    assertThat(t4.path("utilization").asDouble()).isEqualTo(0.0);
    String gpuId = URLEncoder.encode(t4.path("id").asText(), StandardCharsets.UTF_8);
    JsonNode util = TestServers.await(server, "/api/v1/gpus/series?gpu=" + gpuId + "&figure=utilization&since=-5m",
        r -> r.path("points").size() > 0);
    assertThat(util.path("points").get(0).path("value").asDouble()).isEqualTo(0.0);

    // clear errors
    assertThat(TestServers.get(server, "/api/v1/engines?window=forever").path("_status").asInt()).isEqualTo(400);
    JsonNode badFigure = TestServers.get(server, "/api/v1/engines/series?engine=" + id + "&figure=vibes");
    assertThat(badFigure.path("_status").asInt()).isEqualTo(400);
    assertThat(badFigure.path("error").path("message").asText()).contains("kvCacheUsage");
    assertThat(TestServers.get(server, "/api/v1/engines/series?engine=nope&figure=kvCacheUsage").path("_status").asInt())
        .isEqualTo(404);
    assertThat(TestServers.get(server, "/api/v1/gpus/series?gpu=nope&figure=utilization").path("_status").asInt())
        .isEqualTo(404);
  }

  /** Ollama's /api/ps answer (shape and sizes as in Ollama's API docs) with the given models loaded. */
  static String running(String... models) {
    StringBuilder b = new StringBuilder("{\"models\":[");
    for (int i = 0; i < models.length; i++) {
      b.append(i == 0 ? "" : ",").append("""
          {"name":"%1$s","model":"%1$s","size":6591830464,"digest":"a2af6cc3",
           "details":{"format":"gguf","family":"gemma3","parameter_size":"4.3B","quantization_level":"Q4_K_M"},
           "expires_at":"%2$s","size_vram":5333539264}
          """.formatted(models[i], java.time.Instant.now().plusSeconds(300)));
    }
    return b.append("]}").toString();
  }

  /**
   * An Ollama server polled through --ollama: an engine of kind ollama lists its loaded model with
   * the share of it in GPU memory (5,333,539,264 of 6,591,830,464 bytes), and a model that appears
   * loaded at a later poll counts as one cold load.
   */
  @Test
  void ollamaLoadedModelsAndColdLoads() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> ps = new java.util.concurrent.atomic.AtomicReference<>(
        running("gemma3:latest"));
    HttpServer ollama = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    ollama.createContext("/api/ps", ex -> {
      byte[] body = ps.get().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    ollama.createContext("/api/tags", ex -> {
      byte[] body = ("{\"models\":[{\"name\":\"gemma3:latest\",\"model\":\"gemma3:latest\",\"size\":3338801804,"
          + "\"details\":{\"family\":\"gemma\",\"parameter_size\":\"4.3B\",\"quantization_level\":\"Q4_K_M\"}},"
          + "{\"name\":\"qwen3:8b\",\"model\":\"qwen3:8b\",\"size\":5200000000,\"details\":{\"family\":\"qwen3\"}}]}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    ollama.start();
    try {
      MonitoringConfig monitoring = MonitoringConfig.parse(List.of(),
          List.of("ollama=http://127.0.0.1:" + ollama.getAddress().getPort() + ",1s"), "off", Duration.ofSeconds(15),
          Map.of());
      server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withMonitoring(monitoring));
      JsonNode first = TestServers.await(server, "/api/v1/engines",
          r -> r.path("engines").size() == 1 && r.path("engines").get(0).path("ollama").path("models").size() >= 1);
      JsonNode e = first.path("engines").get(0);
      assertThat(e.path("engine").asText()).isEqualTo("ollama");
      assertThat(e.path("id").asText()).isEqualTo("ollama");
      JsonNode gemma = null;
      for (JsonNode m : e.path("ollama").path("models")) {
        if (m.path("model").asText().equals("gemma3:latest")) {
          gemma = m;
        }
      }
      assertThat(gemma).as(e.toString()).isNotNull();
      assertThat(gemma.path("loaded").asBoolean()).isTrue();
      assertThat(gemma.path("gpuShare").asDouble()).isCloseTo(5333539264.0 / 6591830464.0, within(1e-9));
      assertThat(gemma.path("expiresInSeconds").asDouble()).isBetween(200.0, 301.0);

      // qwen3 is loaded at a later poll: a cold load
      ps.set(running("gemma3:latest", "qwen3:8b"));
      TestServers.await(server, "/api/v1/engines", r -> {
        for (JsonNode m : r.path("engines").get(0).path("ollama").path("models")) {
          if (m.path("model").asText().equals("qwen3:8b") && m.path("loaded").asBoolean()
              && m.path("coldLoads").asDouble() >= 1.0) {
            return true;
          }
        }
        return false;
      });
    } finally {
      ollama.stop(0);
    }
  }
}
