package dev.sightline.scrape;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.TelemetryBatch;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scrapes every target on its own interval and sends each scrape's points, with {@code up},
 * {@code scrape_duration_seconds} and {@code scrape_samples_scraped}, to the sink as one batch.
 *
 * <p>One small timer thread keeps time; each scrape runs on its own virtual thread. A target is never
 * scraped twice at once: a tick that finds the last scrape still running is skipped and counted. First
 * scrapes are spread over each target's interval by a hash of its name, so many targets do not fire
 * together.
 */
public final class Scraper implements AutoCloseable {

  /** The receiver named on every batch. */
  public static final String RECEIVER = "scrape";
  private static final long CLOSE_WAIT_MS = 800;

  private final List<Loop> loops;
  private final MetricSink sink;
  private final Clock clock;
  private final HttpClient client;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @throws IllegalArgumentException when two targets share a name (their points would mix)
   */
  public Scraper(List<ScrapeTarget> targets, MetricSink sink) {
    this(targets, sink, Clock.systemUTC());
  }

  Scraper(List<ScrapeTarget> targets, MetricSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
    Set<String> names = new HashSet<>();
    for (ScrapeTarget t : targets) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("two scrape targets are named '" + t.name()
            + "'; give each its own name (it becomes the service)");
      }
    }
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // engines speak plain HTTP/1.1; skip the h2c upgrade dance
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(targets.stream().map(ScrapeTarget::timeout).max(Duration::compareTo)
            .orElse(ScrapeTarget.MAX_TIMEOUT))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
    this.loops = targets.stream().map(t -> new Loop(t, collectorFor(t))).toList();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sightline-scrape-timer");
      t.setDaemon(true);
      return t;
    });
  }

  private Collector collectorFor(ScrapeTarget t) {
    return switch (t.kind()) {
      case PROMETHEUS -> new ExpositionScrape(t, client);
      case OLLAMA -> new OllamaPoller(t, client);
      case NVIDIA_SMI -> new NvidiaSmiCollector(t);
    };
  }

  /** Starts every target's loop; a second call does nothing. */
  public void start() {
    if (closed || !started.compareAndSet(false, true)) {
      return;
    }
    for (Loop loop : loops) {
      long every = Math.max(1, loop.target.interval().toMillis());
      timer.scheduleAtFixedRate(loop::tick, firstDelayMs(loop.target.name(), every), every, TimeUnit.MILLISECONDS);
    }
  }

  /** Where in its interval a target's first scrape falls: fixed per name, spread across names. */
  static long firstDelayMs(String name, long intervalMs) {
    int h = name.hashCode() * 0x9E3779B9; // spreads names that differ only in their last character
    return Math.floorMod(h ^ (h >>> 16), intervalMs);
  }

  /** Each target's health, in the order the targets were given. */
  public List<TargetHealth> health() {
    return loops.stream().map(Loop::health).toList();
  }

  /** Stops the timer, interrupts running scrapes and child processes; returns within about a second. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    for (Loop loop : loops) {
      loop.stop();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    for (Loop loop : loops) {
      Thread t = loop.current;
      long left = deadline - System.nanoTime();
      if (t != null && left > 0) {
        try {
          t.join(Duration.ofNanos(left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    client.shutdownNow();
  }

  /** One target's schedule, its collector and its health counters. */
  private final class Loop {
    final ScrapeTarget target;
    final Collector collector;
    final AtomicBoolean running = new AtomicBoolean();
    volatile Thread current;

    // health, guarded by this
    private boolean up;
    private Instant lastScrape;
    private Double lastDurationMs;
    private String lastError;
    private int samples;
    private List<String> pageErrors = List.of();
    private long scrapes;
    private long failures;
    private int consecutiveFailures;
    private long skippedTicks;
    private long sinkFailures;

    Loop(ScrapeTarget target, Collector collector) {
      this.target = target;
      this.collector = collector;
    }

    void tick() {
      if (closed) {
        return;
      }
      if (!running.compareAndSet(false, true)) {
        synchronized (this) {
          skippedTicks++;
        }
        return;
      }
      try {
        current = Thread.ofVirtual().name("sightline-scrape-" + target.name()).start(this::scrapeOnce);
      } catch (RuntimeException e) {
        running.set(false); // a thread that cannot start leaves the next tick free to try
      }
    }

    private void scrapeOnce() {
      try {
        long startEpochNanos = epochNanos(clock.instant());
        long t0 = System.nanoTime();
        ScrapeResult result;
        try {
          result = collector.collect(startEpochNanos);
        } catch (InterruptedException e) {
          return; // closing
        } catch (RuntimeException e) {
          // a defect in a collector must not end the loop: the target reads as down with the reason
          result = ScrapeResult.failed("internal error while scraping: " + e);
        }
        if (result.deferred() || closed) {
          return;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        record(result, Instant.ofEpochSecond(0, startEpochNanos), seconds);
        send(result, startEpochNanos, seconds);
      } finally {
        running.set(false);
      }
    }

    private synchronized void record(ScrapeResult r, Instant at, double seconds) {
      scrapes++;
      up = r.up();
      lastScrape = at;
      lastDurationMs = seconds * 1000;
      lastError = r.error();
      samples = r.points().size();
      pageErrors = r.pageErrors();
      if (r.up()) {
        consecutiveFailures = 0;
      } else {
        failures++;
        consecutiveFailures++;
      }
    }

    private void send(ScrapeResult r, long startEpochNanos, double seconds) {
      List<MetricPoint> points = new ArrayList<>(r.points().size() + 3);
      points.addAll(r.points());
      points.add(gauge("up", "1 when the last scrape of this target succeeded, else 0", "",
          startEpochNanos, r.up() ? 1 : 0));
      points.add(gauge("scrape_duration_seconds", "How long the scrape took", "s", startEpochNanos, seconds));
      if (r.up()) { // a failed scrape read nothing, so it reports only up=0 and how long it tried
        points.add(gauge("scrape_samples_scraped", "Points the scrape read", "", startEpochNanos,
            r.points().size()));
      }
      try {
        CompletableFuture<?> f = sink.submit(TelemetryBatch.ofMetrics(RECEIVER, points));
        if (f != null) {
          f.whenComplete((ok, error) -> {
            if (error != null) {
              sinkFailed();
            }
          });
        }
      } catch (RuntimeException e) {
        sinkFailed();
      }
    }

    private MetricPoint gauge(String name, String description, String unit, long time, double value) {
      return new MetricPoint(name, description, unit, MetricType.GAUGE, time, 0, target.name(), Map.of(), value,
          null, null, null, null, false);
    }

    private synchronized void sinkFailed() {
      sinkFailures++;
    }

    void stop() {
      Thread t = current;
      if (t != null) {
        t.interrupt();
      }
      collector.close();
    }

    synchronized TargetHealth health() {
      return new TargetHealth(target.name(), target.kind().word(), target.url().toString(),
          target.interval().toMillis(), up, lastScrape, lastDurationMs, lastError, samples, pageErrors, scrapes,
          failures, consecutiveFailures, skippedTicks, sinkFailures);
    }
  }

  static long epochNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
