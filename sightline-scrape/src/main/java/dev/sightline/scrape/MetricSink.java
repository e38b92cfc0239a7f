package dev.sightline.scrape;

import dev.sightline.model.TelemetryBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Where each scrape's points go: the server passes its pipeline's {@code submit}. A failed future or
 * an exception is counted in the target's health; it never stops the scrape loop.
 */
@FunctionalInterface
public interface MetricSink {
  CompletableFuture<?> submit(TelemetryBatch batch);
}
