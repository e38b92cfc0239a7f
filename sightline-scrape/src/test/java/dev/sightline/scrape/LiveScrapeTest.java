package dev.sightline.scrape;

import dev.sightline.model.testing.SharedFixtures;

import static dev.sightline.scrape.CapturingSink.point;
import static dev.sightline.scrape.CapturingSink.up;
import static dev.sightline.scrape.CapturingSink.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real engine page served over loopback HTTP is scraped on schedule, with Prometheus' scrape gauges. */
class LiveScrapeTest {
  static final Duration EVERY = Duration.ofMillis(300);

  static Path fixture(String file) {
    return SharedFixtures.file("local-llm").resolve(file);
  }

  static ScrapeTarget target(String name, java.net.URI url) {
    return new ScrapeTarget(name, ScrapeTarget.Kind.PROMETHEUS, url, EVERY, EVERY);
  }

  static TargetHealth health(Scraper s, String name) {
    return s.health().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }

  static List<MetricPoint> pagePoints(TelemetryBatch b) {
    return b.metrics().stream().filter(m -> !List.of("up", "scrape_duration_seconds", "scrape_samples_scraped")
        .contains(m.name()) || !m.attributes().isEmpty()).toList();
  }

  @Test
  void vllmPageIsScrapedWithItsPointsAndTheScrapeGauges() throws Exception {
    String page = Files.readString(fixture("vllm-metrics.datadog-fixture.prom"));
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer server = LoopbackServer.start()
        .on("/metrics", x -> LoopbackServer.send(x, 200, "text/plain; version=0.0.4; charset=utf-8", page));
        Scraper scraper = new Scraper(List.of(target("vllm", server.url("/metrics"))), sink)) {
      scraper.start();
      TelemetryBatch b = sink.await("vllm", 0, x -> up(x) == 1);

      long scrapedAt = point(b, "up").orElseThrow().timeEpochNanos();
      List<MetricPoint> expected = PrometheusText.parse(page, scrapedAt, "vllm").points();
      assertThat(expected).hasSizeGreaterThan(50);
      assertThat(pagePoints(b)).containsExactlyElementsOf(expected);
      assertThat(b.receiver()).isEqualTo(Scraper.RECEIVER);
      MetricPoint cache = b.metrics().stream().filter(m -> m.name().equals("vllm:gpu_cache_usage_perc")
          && "facebook/opt-125m".equals(m.attributes().get("model_name"))).findFirst().orElseThrow();
      assertThat(cache.service()).isEqualTo("vllm");
      assertThat(cache.value()).isEqualTo(0.0);

      for (String gauge : List.of("up", "scrape_duration_seconds", "scrape_samples_scraped")) {
        MetricPoint g = point(b, gauge).orElseThrow();
        assertThat(g.service()).as(gauge).isEqualTo("vllm");
        assertThat(g.attributes()).as(gauge).isEmpty();
        assertThat(g.type()).as(gauge).isEqualTo(MetricType.GAUGE);
        assertThat(g.timeEpochNanos()).as(gauge).isEqualTo(scrapedAt);
      }
      assertThat(point(b, "scrape_samples_scraped").orElseThrow().value()).isEqualTo(expected.size());
      assertThat(point(b, "scrape_duration_seconds").orElseThrow().value()).isGreaterThan(0).isLessThan(60);

      until("health shows the scrape", () -> health(scraper, "vllm").scrapes() >= 1 && health(scraper, "vllm").up());
      TargetHealth h = health(scraper, "vllm");
      assertThat(h.kind()).isEqualTo("prometheus");
      assertThat(h.url()).isEqualTo(server.url("/metrics").toString());
      assertThat(h.intervalMs()).isEqualTo(300);
      assertThat(h.lastError()).isNull();
      assertThat(h.samples()).isEqualTo(expected.size());
      assertThat(h.lastScrape()).isNotNull();
      assertThat(h.lastDurationMs()).isPositive();
    }
  }

  @Test
  void theAcceptHeaderAsksForOpenMetricsFirst() throws Exception {
    CapturingSink sink = new CapturingSink();
    java.util.concurrent.atomic.AtomicReference<String> accept = new java.util.concurrent.atomic.AtomicReference<>();
    try (LoopbackServer server = LoopbackServer.start().on("/metrics", x -> {
      accept.set(x.getRequestHeaders().getFirst("Accept"));
      LoopbackServer.send(x, 200, "text/plain", "x 1\n");
    }); Scraper scraper = new Scraper(List.of(target("a", server.url("/metrics"))), sink)) {
      scraper.start();
      sink.await("a", 0, b -> up(b) == 1);
      assertThat(accept.get()).isEqualTo(
          "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    }
  }

  @Test
  void theContentTypeDecidesBetweenOpenMetricsAndText() throws Exception {
    CapturingSink sink = new CapturingSink();
    // the same instant written as OpenMetrics seconds and as 0.0.4 milliseconds
    long instant = 1_700_000_000_500_000_000L;
    try (LoopbackServer server = LoopbackServer.start()
        .on("/om", x -> LoopbackServer.send(x, 200, "application/openmetrics-text; version=1.0.0; charset=utf-8",
            "# TYPE x gauge\nx 1 1700000000.5\n# EOF\n"))
        .on("/text", x -> LoopbackServer.send(x, 200, "text/plain; version=0.0.4", "x 2 1700000000500\n"))
        .on("/om-cut", x -> LoopbackServer.send(x, 200, "application/openmetrics-text; version=1.0.0",
            "# TYPE x gauge\nx 3\n"))
        .on("/none", x -> LoopbackServer.send(x, 200, null, "# TYPE x gauge\nx 4 1700000000.5\n# EOF\n"));
        Scraper scraper = new Scraper(List.of(target("om", server.url("/om")), target("text", server.url("/text")),
            target("omcut", server.url("/om-cut")), target("none", server.url("/none"))), sink)) {
      scraper.start();
      assertThat(point(sink.await("om", 0, b -> up(b) == 1), "x").orElseThrow().timeEpochNanos()).isEqualTo(instant);
      assertThat(point(sink.await("text", 0, b -> up(b) == 1), "x").orElseThrow().timeEpochNanos())
          .isEqualTo(instant);
      // no content type: the # EOF line says OpenMetrics
      assertThat(point(sink.await("none", 0, b -> up(b) == 1), "x").orElseThrow().timeEpochNanos())
          .isEqualTo(instant);
      // served as OpenMetrics, so a page without # EOF is reported as possibly cut short, its sample kept
      TelemetryBatch cut = sink.await("omcut", 0, b -> up(b) == 1);
      assertThat(point(cut, "x").orElseThrow().value()).isEqualTo(3.0);
      until("omcut health", () -> health(scraper, "omcut").scrapes() >= 1);
      assertThat(health(scraper, "omcut").lastError()).contains("# EOF");
      assertThat(health(scraper, "omcut").up()).isTrue();
    }
  }

  @Test
  void aTargetThatDiesIsDownWithinTwoIntervalsAndComesBackOnTheSamePort() throws Exception {
    CapturingSink sink = new CapturingSink();
    LoopbackServer first = LoopbackServer.start().on("/metrics", x -> LoopbackServer.send(x, 200, "text/plain", "x 1\n"));
    int port = first.port();
    try (Scraper scraper = new Scraper(List.of(target("engine", first.url("/metrics"))), sink)) {
      scraper.start();
      sink.await("engine", 0, b -> up(b) == 1);
      until("up", () -> health(scraper, "engine").up());

      first.close();
      long stopped = System.nanoTime();
      int mark = sink.batches.size();
      TelemetryBatch down = sink.await("engine", mark, b -> up(b) == 0);
      until("health down", () -> !health(scraper, "engine").up());
      long downAfterMs = (System.nanoTime() - stopped) / 1_000_000;
      // a failed scrape sends only up=0 and its duration
      assertThat(down.metrics()).extracting(MetricPoint::name).containsExactlyInAnyOrder("up", "scrape_duration_seconds");
      TargetHealth h = health(scraper, "engine");
      assertThat(h.lastError()).contains("could not connect").contains("127.0.0.1:" + port);
      assertThat(h.consecutiveFailures()).isPositive();
      assertThat(h.failures()).isPositive();
      // two intervals plus a scrape's own timeout; the wait above is only a safety net
      assertThat(downAfterMs).isLessThan(2 * EVERY.toMillis() + EVERY.toMillis() + 2_000);

      try (LoopbackServer again = LoopbackServer.startOn(port)
          .on("/metrics", x -> LoopbackServer.send(x, 200, "text/plain", "x 2\n"))) {
        int mark2 = sink.batches.size();
        TelemetryBatch back = sink.await("engine", mark2, b -> up(b) == 1);
        assertThat(point(back, "x").orElseThrow().value()).isEqualTo(2.0);
        until("health up again", () -> health(scraper, "engine").up());
        assertThat(health(scraper, "engine").consecutiveFailures()).isZero();
        assertThat(health(scraper, "engine").lastError()).isNull();
      }
    } finally {
      first.close();
    }
  }

  @Test
  void aMalformedPageKeepsItsGoodSamplesAndAHealthyNeighbourIsUnaffected() throws Exception {
    String broken = """
        # TYPE good gauge
        good{a="1"} 1
        this line is not a sample
        good{a="2"} 2
        bad{ 3
        """;
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer server = LoopbackServer.start()
        .on("/broken", x -> LoopbackServer.send(x, 200, "text/plain", broken))
        .on("/garbage", x -> LoopbackServer.send(x, 200, "text/plain", "<html>not metrics</html>\n"))
        .on("/fine", x -> LoopbackServer.send(x, 200, "text/plain", "# TYPE fine gauge\nfine 7\n"));
        Scraper scraper = new Scraper(List.of(target("broken", server.url("/broken")),
            target("garbage", server.url("/garbage")), target("fine", server.url("/fine"))), sink)) {
      scraper.start();
      TelemetryBatch b = sink.await("broken", 0, x -> true);
      assertThat(pagePoints(b)).extracting(m -> m.attributes().get("a")).containsExactly("1", "2");
      assertThat(up(b)).isEqualTo(1.0);
      assertThat(point(b, "scrape_samples_scraped").orElseThrow().value()).isEqualTo(2.0);

      until("broken health", () -> health(scraper, "broken").scrapes() >= 1);
      TargetHealth h = health(scraper, "broken");
      assertThat(h.up()).isTrue();
      assertThat(h.pageErrors()).hasSize(2);
      assertThat(h.pageErrors().get(0)).startsWith("line 3:");
      assertThat(h.pageErrors().get(1)).startsWith("line 5:");
      assertThat(h.lastError()).startsWith("2 lines could not be read: line 3:");
      assertThat(h.samples()).isEqualTo(2);

      // nothing readable at all is down
      assertThat(up(sink.await("garbage", 0, x -> true))).isEqualTo(0.0);
      until("garbage health", () -> health(scraper, "garbage").scrapes() >= 1);
      assertThat(health(scraper, "garbage").up()).isFalse();
      assertThat(health(scraper, "garbage").lastError()).startsWith("1 line could not be read: line 1:");

      TelemetryBatch fine = sink.await("fine", 0, x -> up(x) == 1);
      assertThat(point(fine, "fine").orElseThrow().value()).isEqualTo(7.0);
      until("fine health", () -> health(scraper, "fine").scrapes() >= 1);
      assertThat(health(scraper, "fine").lastError()).isNull();
      assertThat(health(scraper, "fine").pageErrors()).isEmpty();
      assertThat(health(scraper, "fine").up()).isTrue();
    }
  }

  @Test
  void aNon2xxAnswerIsAFailureThatNamesTheStatus() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer server = LoopbackServer.start()
        .on("/metrics", x -> LoopbackServer.send(x, 503, "text/plain", "engine is still loading\nmore detail\n"));
        Scraper scraper = new Scraper(List.of(target("loading", server.url("/metrics"))), sink)) {
      scraper.start();
      TelemetryBatch b = sink.await("loading", 0, x -> true);
      assertThat(up(b)).isEqualTo(0.0);
      assertThat(b.metrics()).extracting(MetricPoint::name).containsExactlyInAnyOrder("up", "scrape_duration_seconds");
      until("health", () -> health(scraper, "loading").scrapes() >= 1);
      assertThat(health(scraper, "loading").lastError())
          .isEqualTo("HTTP 503 from " + server.url("/metrics") + ": engine is still loading");
      assertThat(health(scraper, "loading").up()).isFalse();
    }
  }

  @Test
  void aPageLargerThan16MiBIsRefusedWithoutReadingIt() throws Exception {
    int huge = 64 * 1024 * 1024;
    java.util.concurrent.atomic.AtomicLong declaredWritten = new java.util.concurrent.atomic.AtomicLong(-1);
    java.util.concurrent.atomic.AtomicLong chunkedWritten = new java.util.concurrent.atomic.AtomicLong(-1);
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer server = LoopbackServer.start()
        .on("/declared", x -> serveHuge(x, huge, huge, declaredWritten))
        .on("/chunked", x -> serveHuge(x, 0, huge, chunkedWritten));
        Scraper scraper = new Scraper(List.of(
            new ScrapeTarget("declared", ScrapeTarget.Kind.PROMETHEUS, server.url("/declared"), Duration.ofSeconds(2),
                Duration.ofSeconds(2)),
            new ScrapeTarget("chunked", ScrapeTarget.Kind.PROMETHEUS, server.url("/chunked"), Duration.ofSeconds(2),
                Duration.ofSeconds(2))), sink)) {
      scraper.start();
      for (String name : List.of("declared", "chunked")) {
        assertThat(up(sink.await(name, 0, x -> true))).as(name).isEqualTo(0.0);
        until(name + " health", () -> health(scraper, name).scrapes() >= 1);
        assertThat(health(scraper, name).lastError()).as(name).isEqualTo("page larger than 16 MiB");
      }
      // the client hung up long before the 64 MiB were written
      until("server saw the hang-up", () -> declaredWritten.get() >= 0 && chunkedWritten.get() >= 0);
      assertThat(declaredWritten.get()).isLessThan(huge);
      assertThat(chunkedWritten.get()).isLessThan(huge);
    }
  }

  private static void serveHuge(com.sun.net.httpserver.HttpExchange x, long declared, int total,
      java.util.concurrent.atomic.AtomicLong written) throws java.io.IOException {
    byte[] line = "filler_metric{label=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"} 1\n".repeat(100)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain");
    x.sendResponseHeaders(200, declared);
    long n = 0;
    try (java.io.OutputStream out = x.getResponseBody()) {
      while (n < total) {
        int len = (int) Math.min(line.length, total - n);
        out.write(line, 0, len);
        n += len;
      }
    } catch (java.io.IOException e) {
      // the scraper hung up
    } finally {
      written.compareAndSet(-1, n);
    }
  }

  @Test
  void aTargetSlowerThanItsTimeoutIsDown() throws Exception {
    CapturingSink sink = new CapturingSink();
    try (LoopbackServer server = LoopbackServer.start().on("/metrics", x -> {
      Thread.sleep(5_000);
      LoopbackServer.send(x, 200, "text/plain", "x 1\n");
    }); Scraper scraper = new Scraper(List.of(new ScrapeTarget("slow", ScrapeTarget.Kind.PROMETHEUS,
        server.url("/metrics"), Duration.ofMillis(400), Duration.ofMillis(250))), sink)) {
      scraper.start();
      TelemetryBatch b = sink.await("slow", 0, x -> true);
      assertThat(up(b)).isEqualTo(0.0);
      until("health", () -> health(scraper, "slow").scrapes() >= 1);
      assertThat(health(scraper, "slow").lastError()).contains("250 ms").contains("timeout");
      // the duration is the timeout, not the 5 s the server would have taken
      assertThat(point(b, "scrape_duration_seconds").orElseThrow().value()).isLessThan(4.0);
    }
  }
}
