package dev.sightline.pipeline;

import dev.sightline.model.TelemetryBatch;
import java.util.List;

/** Where processed batches go: one call is one durable commit of all of them (group commit). */
@FunctionalInterface
public interface BatchSink {
  void write(List<TelemetryBatch> batches);

  /** Called on a processor thread for each batch before it is queued for {@link #write}; optional. */
  default void prepare(TelemetryBatch batch) {}

  /**
   * Upkeep that need not delay acknowledgements (e.g. folding rollups, checkpointing): called on
   * the committer's thread after each commit's senders have their answer; optional.
   */
  default void maintain() {}
}
