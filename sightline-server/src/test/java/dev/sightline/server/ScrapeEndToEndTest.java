package dev.sightline.server;

import dev.sightline.model.testing.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.SightlineConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sightline started with --scrape targets reads a real vLLM page from a local HTTP server live: the
 * points are queryable, each target's health is in the API and on /metrics, a page with a bad line
 * keeps its good samples and says which line, and a target that dies shows as down within two
 * intervals and comes back when it returns.
 */
class ScrapeEndToEndTest {
  @TempDir Path dir;
  private SightlineServer server;
  private HttpServer vllm;
  private HttpServer broken;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (vllm != null) {
      vllm.stop(0);
    }
    if (broken != null) {
      broken.stop(0);
    }
  }

  static String fixture(String file) throws IOException {
    return Files.readString(SharedFixtures.file("local-llm").resolve(file));
  }

  static HttpServer serve(int port, String page) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    byte[] body = page.getBytes(StandardCharsets.UTF_8);
    s.createContext("/metrics", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    s.start();
    return s;
  }

  private JsonNode target(String name) {
    for (JsonNode t : TestServers.get(server, "/api/v1/scrape/targets").path("targets")) {
      if (t.path("name").asText().equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static String metricsPage(SightlineServer s) throws Exception {
    return TestServers.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private long awaitTarget(String name, java.util.function.Predicate<JsonNode> condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = target(name);
      if (last != null && condition.test(last)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("target " + name + " never reached the state; last: " + last);
  }

  @Test
  void liveScrapeHealthDownAndBack() throws Exception {
    String page = fixture("vllm-metrics.datadog-fixture.prom");
    vllm = serve(0, page);
    int vllmPort = vllm.getAddress().getPort();
    // one unreadable line in the middle of an otherwise good page
    broken = serve(0, "# TYPE good_gauge gauge\ngood_gauge 1\nthis line is { not a sample\nother_gauge 2\n");
    MonitoringConfig monitoring = MonitoringConfig.parse(
        List.of("vllm=http://127.0.0.1:" + vllmPort + "/metrics,1s",
            "broken=http://127.0.0.1:" + broken.getAddress().getPort() + "/metrics,1s"),
        List.of(), "off", Duration.ofSeconds(15), Map.of());
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withMonitoring(monitoring));

    awaitTarget("vllm", t -> t.path("up").asBoolean() && t.path("scrapes").asLong() >= 2);
    JsonNode healthy = target("vllm");
    assertThat(healthy.path("kind").asText()).isEqualTo("prometheus");
    assertThat(healthy.path("intervalMs").asLong()).isEqualTo(1000);
    assertThat(healthy.path("lastError").isNull()).isTrue();
    assertThat(healthy.path("samples").asInt()).isGreaterThan(50);

    // the page's points are in the store, under the target's name
    JsonNode running = TestServers.await(server,
        "/api/v1/metrics/series?name=vllm:num_requests_running&service=vllm&since=-5m&agg=max",
        r -> r.path("series").size() == 1 && r.path("series").get(0).path("points").size() > 0);
    assertThat(running.path("series").get(0).path("points").get(0).path("value").asDouble()).isEqualTo(0.0);
    JsonNode names = TestServers.get(server, "/api/v1/metrics/names?service=vllm&prefix=vllm:");
    assertThat(names.path("names").findValuesAsText("name"))
        .contains("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc", "vllm:time_to_first_token_seconds");

    // the bad line is named, the good samples beside it kept
    awaitTarget("broken", t -> t.path("scrapes").asLong() >= 1);
    JsonNode partial = target("broken");
    assertThat(partial.path("up").asBoolean()).isTrue();
    assertThat(partial.path("lastError").asText()).contains("could not be read").contains("line 3");
    assertThat(partial.path("pageErrors").size()).isEqualTo(1);
    TestServers.await(server, "/api/v1/metrics/names?service=broken",
        r -> r.path("names").findValuesAsText("name").containsAll(List.of("good_gauge", "other_gauge")));

    assertThat(metricsPage(server)).contains("sightline_scrape_up{target=\"vllm\",kind=\"prometheus\"} 1")
        .contains("sightline_scrape_samples{target=\"broken\",kind=\"prometheus\"} 2");

    // the target dies: down at its next scrape, within two intervals (2 s here; the wait allows for a busy machine)
    vllm.stop(0);
    long downAfterMs = awaitTarget("vllm", t -> !t.path("up").asBoolean());
    assertThat(downAfterMs).as("ms from the target's death to down").isLessThan(2_000 + 3_000);
    assertThat(target("vllm").path("lastError").asText()).isNotBlank();
    assertThat(target("broken").path("up").asBoolean()).as("the other target is unaffected").isTrue();
    assertThat(metricsPage(server)).contains("sightline_scrape_up{target=\"vllm\",kind=\"prometheus\"} 0");
    TestServers.await(server, "/api/v1/metrics/series?name=up&service=vllm&since=-5m&agg=min&step=1d",
        r -> r.path("series").size() == 1 && r.path("series").get(0).path("points").get(0).path("value").asDouble() == 0.0);

    // and comes back on the same port
    vllm = serve(vllmPort, page);
    awaitTarget("vllm", t -> t.path("up").asBoolean());
    assertThat(target("vllm").path("lastError").isNull()).isTrue();
  }

  @Test
  void badTargetSpecsAreClearStartupErrors() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MonitoringConfig.parse(
        List.of("vllm:http://x/metrics"), List.of(), "off", Duration.ofSeconds(15), Map.of())))
        .hasMessageContaining("--scrape").hasMessageContaining("name=url");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MonitoringConfig.parse(
        List.of("a=ftp://x/metrics"), List.of(), "off", Duration.ofSeconds(15), Map.of())))
        .hasMessageContaining("--scrape");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MonitoringConfig.parse(
        List.of("a=http://127.0.0.1:1/metrics", "a=http://127.0.0.1:2/metrics"), List.of(), "off",
        Duration.ofSeconds(15), Map.of()))).hasMessageContaining("two scrape targets are named 'a'");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MonitoringConfig.parse(
        List.of(), List.of(), "off", Duration.ofSeconds(15), Map.of("vllm", "two dollars"))))
        .hasMessageContaining("--gpu-price vllm");
  }
}
