package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.config.EvaluationConfig;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.SightlineConfig;
import dev.sightline.server.demo.DemoWorkload;
import dev.sightline.server.demo.SimulatedEngine;
import dev.sightline.server.demo.SimulatedGpuExporter;
import dev.sightline.scrape.ScrapeTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The "Engines & GPUs" page in Chromium over the demo's simulated vLLM engine and DCGM exporter,
 * scraped every second while the demo's traffic runs through it: the engine card with its KV cache,
 * queue and GPU cost, the chart with KV % and the traces' TTFT / TPOT on two axes, one card per GPU,
 * the scrape targets, and the models page linking its self-hosted model to the engine.
 */
class EnginesBrowserTest {
  @TempDir static Path dir;
  static SightlineServer server;
  static SimulatedEngine engine;
  static SimulatedGpuExporter gpus;
  static Browser browser;
  static String engineId;

  @BeforeAll
  static void start() {
    engine = new SimulatedEngine(42);
    gpus = new SimulatedGpuExporter(engine, 42);
    Duration second = Duration.ofSeconds(1);
    MonitoringConfig monitoring = MonitoringConfig.none().withTargets(List.of(
        new ScrapeTarget("vllm", ScrapeTarget.Kind.PROMETHEUS, engine.metricsUri(), second, second),
        new ScrapeTarget("dcgm", ScrapeTarget.Kind.PROMETHEUS, gpus.metricsUri(), second, second)))
        .withGpuPrice("vllm", new java.math.BigDecimal("1.80"));
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0)
        .withEvaluation(EvaluationConfig.off()).withMonitoring(monitoring));
    try (DemoWorkload w = new DemoWorkload("http://127.0.0.1:" + server.otlpGrpcPort(),
        "http://127.0.0.1:" + server.otlpHttpPort(), 7).servedBy(engine)) {
      for (int i = 0; i < 120; i++) {
        w.emitTrace();
      }
      w.flush();
    }
    JsonNode engines = TestServers.await(server, "/api/v1/engines",
        n -> n.path("engines").size() == 1 && n.path("engines").get(0).path("up").asBoolean()
            && n.path("engines").get(0).path("cost").path("requests").asLong() > 0);
    engineId = engines.path("engines").get(0).path("id").asText();
    TestServers.await(server, "/api/v1/gpus", n -> n.path("gpus").size() == 2);
    browser = new Browser(server.httpPort());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    gpus.close();
    engine.close();
  }

  @Test
  void enginesPageShowsTheEngineItsChartTheGpusAndTheTargets() {
    browser.open("/engines", "engines");
    WebElement card = browser.find("[data-testid=engine-card][data-engine=\"" + engineId + "\"]");
    assertThat(card.getText()).contains(SimulatedEngine.DEFAULT_MODEL);
    assertThat(browser.find("[data-testid=engine-card] [data-kpi=kv-cache] .value").getText()).matches("\\d+(\\.\\d)?%");
    assertThat(browser.find("[data-testid=engine-card] [data-kpi=queue]").getText()).isNotBlank();
    assertThat(browser.find("[data-testid=engine-card] [data-kpi=gpu-cost]").getText()).contains("$");
    browser.awaitText("[data-testid=engine-chart]", "KV cache %");
    String legend = browser.find("[data-testid=engine-chart]").getText();
    assertThat(legend).contains("TTFT p95 (traces)").contains("TPOT p95 (traces)");
    assertThat(browser.findAll("[data-testid=engine-chart] .uplot canvas")).isNotEmpty();

    List<WebElement> gpuCards = browser.findAll("[data-testid=gpu-card]");
    assertThat(gpuCards).hasSize(2);
    assertThat(gpuCards.get(0).getText()).startsWith("GPU 0").contains("A100");
    assertThat(browser.find("[data-testid=gpu-card] [data-kpi=gpu-util]").getText()).contains("%");
    assertThat(browser.findAll("#scrape-targets-table tbody tr")).hasSize(2);
    assertThat(browser.find("#scrape-targets-table").getText()).contains("vllm").contains("dcgm");
    browser.screenshot("engines");
    browser.assertNoConsoleErrors();
  }

  @Test
  void modelsPageLinksTheSelfHostedModelToItsEngine() {
    browser.open("/models", "models");
    String href = "/engines?engine=" + URLEncoder.encode(engineId, StandardCharsets.UTF_8);
    WebElement link = new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(20))
        .until(d -> {
          List<WebElement> links = browser.findAll("#models-table a[href^=\"/engines?engine=\"]");
          return links.isEmpty() ? null : links.get(0);
        });
    assertThat(java.net.URLDecoder.decode(link.getAttribute("href"), StandardCharsets.UTF_8))
        .endsWith("/engines?engine=" + engineId);
    link.click();
    browser.awaitReady("engines");
    assertThat(java.net.URLDecoder.decode(browser.currentPath(), StandardCharsets.UTF_8))
        .isEqualTo(java.net.URLDecoder.decode(href, StandardCharsets.UTF_8));
    assertThat(browser.find("[data-testid=engine-card]").getAttribute("class")).contains("focused");
    browser.assertNoConsoleErrors();
  }
}
