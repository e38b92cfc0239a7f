package dev.sightline.server;

import com.sun.net.httpserver.HttpServer;
import dev.sightline.server.config.MonitoringConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real vLLM and DCGM exporter pages (shared fixtures) served on loopback, and the scrape
 * configuration that reads them every second: the engine and GPUs several tests need.
 */
final class FixtureEngine implements AutoCloseable {
  final HttpServer vllm;
  final HttpServer dcgm;

  FixtureEngine() throws Exception {
    this.vllm = ScrapeEndToEndTest.serve(0, ScrapeEndToEndTest.fixture("vllm-metrics.datadog-fixture.prom"));
    HttpServer d;
    try {
      d = ScrapeEndToEndTest.serve(0, ScrapeEndToEndTest.fixture("dcgm-exporter-metrics.datadog-fixture.prom"));
    } catch (Exception | Error e) {
      vllm.stop(0);
      throw e;
    }
    this.dcgm = d;
  }

  /** Both pages scraped every second as {@code vllm} and {@code dcgm}, with these GPU prices. */
  MonitoringConfig monitoring(Map<String, String> gpuPrices) {
    return MonitoringConfig.parse(
        List.of("vllm=http://127.0.0.1:" + vllm.getAddress().getPort() + "/metrics,1s",
            "dcgm=http://127.0.0.1:" + dcgm.getAddress().getPort() + "/metrics,1s"),
        List.of(), "off", Duration.ofSeconds(15), gpuPrices);
  }

  @Override
  public void close() {
    vllm.stop(0);
    dcgm.stop(0);
  }
}
