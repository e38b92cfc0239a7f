package dev.sightline.receivers;

import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.PipelineSaturatedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Ingest} that records what it is handed and commits, refuses or fails as told. */
final class RecordingIngest implements Ingest {
  enum Mode { COMMIT, SATURATED, SATURATED_THROWN, COMMIT_FAILS }

  final List<TelemetryBatch> batches = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.COMMIT;

  @Override
  public CompletableFuture<Void> submit(TelemetryBatch batch) {
    return switch (mode) {
      case COMMIT -> {
        batches.add(batch);
        // complete from another thread, as a real group commit does
        yield CompletableFuture.runAsync(() -> { });
      }
      case SATURATED -> CompletableFuture.failedFuture(new PipelineSaturatedException("queue full", 7));
      case SATURATED_THROWN -> throw new PipelineSaturatedException("queue full", 3);
      case COMMIT_FAILS -> CompletableFuture.supplyAsync(() -> {
        throw new IllegalStateException("disk full");
      });
    };
  }

  void reset() {
    batches.clear();
    mode = Mode.COMMIT;
  }

  List<Span> spans() {
    return batches.stream().flatMap(b -> b.spans().stream()).toList();
  }

  List<LogRecord> logs() {
    return batches.stream().flatMap(b -> b.logs().stream()).toList();
  }

  List<MetricPoint> metrics() {
    return batches.stream().flatMap(b -> b.metrics().stream()).toList();
  }
}
