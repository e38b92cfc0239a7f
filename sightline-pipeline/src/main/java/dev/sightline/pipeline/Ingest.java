package dev.sightline.pipeline;

import dev.sightline.model.TelemetryBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Where receivers hand decoded batches. The returned future completes only after the batch's
 * records are durably committed (then a receiver may acknowledge), and fails with
 * {@link PipelineSaturatedException} when the queue in front of the store is full (answer
 * "retry later") or with another exception when the commit failed (answer "unavailable").
 */
public interface Ingest {
  CompletableFuture<Void> submit(TelemetryBatch batch);
}
