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

  /**
   * Like {@link #submit}, for a batch that no sender waits on (the gateway's records, scrapes,
   * scores): it may wait longer for company before its commit, so that a steady trickle of them
   * costs few commits. The future still tells whether it was stored.
   */
  default CompletableFuture<Void> submitUnattended(TelemetryBatch batch) {
    return submit(batch);
  }

  /**
   * Asked before a request's body is read and decoded: reserves {@code bytes} of the ingest memory
   * budget (grow it with {@link IngestMemory.Reservation#ensure} as the body arrives, release it
   * once the request is answered), or refuses with {@link PipelineSaturatedException} (memory
   * budget spent: 429) or {@link IngestUnavailableException} (disk nearly full: 503).
   */
  default IngestMemory.Reservation admit(long bytes) {
    return NO_BUDGET.reserve(bytes);
  }

  /** The budget of ingests that have none of their own. */
  IngestMemory NO_BUDGET = IngestMemory.unlimited();
}
