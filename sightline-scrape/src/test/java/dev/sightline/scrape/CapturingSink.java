package dev.sightline.scrape;

import static org.assertj.core.api.Assertions.fail;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.TelemetryBatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Keeps every batch the scraper sends, and waits (with a generous deadline) for one that matches. */
final class CapturingSink implements MetricSink {
  static final Duration WAIT = Duration.ofSeconds(15);

  final List<TelemetryBatch> batches = new CopyOnWriteArrayList<>();

  @Override
  public CompletableFuture<?> submit(TelemetryBatch batch) {
    batches.add(batch);
    return CompletableFuture.completedFuture(null);
  }

  /** The first batch (from {@code from} on) for the service that matches. */
  TelemetryBatch await(String service, int from, Predicate<TelemetryBatch> test) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = from; i < batches.size(); i++) {
        TelemetryBatch b = batches.get(i);
        if (service(b).equals(service) && test.test(b)) {
          return b;
        }
      }
      sleep();
    }
    return fail("no batch for " + service + " matched within " + WAIT.toSeconds() + " s; got " + batches.size());
  }

  static String service(TelemetryBatch b) {
    return b.metrics().stream().filter(m -> m.name().equals("up")).map(MetricPoint::service).findFirst().orElse("");
  }

  static Optional<MetricPoint> point(TelemetryBatch b, String name) {
    return b.metrics().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  static double up(TelemetryBatch b) {
    return point(b, "up").orElseThrow().value();
  }

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + WAIT.toSeconds() + " s for: " + what);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
