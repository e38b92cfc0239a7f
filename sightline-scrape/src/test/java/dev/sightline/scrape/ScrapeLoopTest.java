package dev.sightline.scrape;

import static dev.sightline.scrape.CapturingSink.until;
import static dev.sightline.scrape.LiveScrapeTest.health;
import static dev.sightline.scrape.LiveScrapeTest.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The schedule: no overlapping scrapes of a target, a failing sink never stops it, close is prompt. */
class ScrapeLoopTest {

  @Test
  void aTickThatFindsTheLastScrapeRunningIsSkippedAndCounted() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    // the first batch is held for a second: three or more 200 ms ticks land while that scrape runs
    MetricSink slow = batch -> {
      int now = inside.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      try {
        if (calls.incrementAndGet() == 1) {
          Thread.sleep(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inside.decrementAndGet();
      }
      return CompletableFuture.completedFuture(null);
    };
    try (LoopbackServer server = LoopbackServer.start()
        .on("/metrics", x -> LoopbackServer.send(x, 200, "text/plain", "x 1\n"));
        Scraper scraper = new Scraper(List.of(new ScrapeTarget("a", ScrapeTarget.Kind.PROMETHEUS,
            server.url("/metrics"), Duration.ofMillis(200), Duration.ofMillis(200))), slow)) {
      scraper.start();
      until("ticks skipped and scraping resumed", () -> health(scraper, "a").skippedTicks() >= 2 && calls.get() >= 3);
      assertThat(mostAtOnce.get()).isEqualTo(1);
    }
  }

  @Test
  void aSinkThatFailsOrThrowsIsCountedAndScrapingGoesOn() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MetricSink failing = batch -> {
      if (calls.incrementAndGet() % 2 == 0) {
        throw new IllegalStateException("pipeline full");
      }
      return CompletableFuture.failedFuture(new IllegalStateException("rejected"));
    };
    try (LoopbackServer server = LoopbackServer.start()
        .on("/metrics", x -> LoopbackServer.send(x, 200, "text/plain", "x 1\n"));
        Scraper scraper = new Scraper(List.of(target("a", server.url("/metrics"))), failing)) {
      scraper.start();
      until("four scrapes despite the sink", () -> health(scraper, "a").sinkFailures() >= 4);
      TargetHealth h = health(scraper, "a");
      assertThat(h.scrapes()).isGreaterThanOrEqualTo(4);
      assertThat(h.up()).isTrue(); // the target itself is fine
      assertThat(h.failures()).isZero();
    }
  }

  @Test
  void closeStopsAScrapeInFlightWithinASecondAndNothingIsSentAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CapturingSink sink = new CapturingSink();
    LoopbackServer server = LoopbackServer.start().on("/metrics", x -> {
      entered.countDown();
      Thread.sleep(30_000);
    });
    try {
      Scraper scraper = new Scraper(List.of(new ScrapeTarget("stuck", ScrapeTarget.Kind.PROMETHEUS,
          server.url("/metrics"), Duration.ofSeconds(2), Duration.ofSeconds(2))), sink);
      scraper.start();
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      scraper.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      Thread.sleep(300);
      assertThat(sink.batches).isEmpty();
      assertThat(scraper.health().get(0).scrapes()).isZero();
      scraper.start(); // after close: nothing
      Thread.sleep(300);
      assertThat(sink.batches).isEmpty();
    } finally {
      server.close();
    }
  }

  @Test
  void firstScrapesAreSpreadOverTheInterval() {
    List<Long> delays = IntStream.range(0, 50).mapToObj(i -> Scraper.firstDelayMs("engine-" + i, 5_000)).toList();
    assertThat(delays).allMatch(d -> d >= 0 && d < 5_000);
    Set<Long> secondOfInterval = new HashSet<>();
    delays.forEach(d -> secondOfInterval.add(d / 1_000));
    assertThat(secondOfInterval).hasSize(5); // every second of the 5 s interval gets some
    assertThat(new HashSet<>(delays)).hasSizeGreaterThan(45);
    // fixed per name
    assertThat(Scraper.firstDelayMs("engine-7", 5_000)).isEqualTo(delays.get(7));
  }

  @Test
  void twoTargetsWithOneNameAreRefused() {
    ScrapeTarget a = target("same", java.net.URI.create("http://127.0.0.1:1/metrics"));
    assertThatThrownBy(() -> new Scraper(List.of(a, a), b -> CompletableFuture.completedFuture(null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'same'");
  }
}
