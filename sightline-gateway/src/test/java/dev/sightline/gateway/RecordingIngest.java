package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.PipelineSaturatedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Ingest} that keeps what the gateway hands it, or refuses it as told. */
final class RecordingIngest implements Ingest {
  enum Mode { COMMIT, SATURATED, THROWS }

  final List<Span> spans = new CopyOnWriteArrayList<>();
  /** The committed batches as handed over (project included). */
  final List<TelemetryBatch> batches = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.COMMIT;
  /** Batches handed over with {@link #submit}, where a sender would wait: the gateway never should. */
  final List<TelemetryBatch> attended = new CopyOnWriteArrayList<>();

  @Override
  public CompletableFuture<Void> submit(TelemetryBatch batch) {
    attended.add(batch);
    return submitUnattended(batch);
  }

  @Override
  public CompletableFuture<Void> submitUnattended(TelemetryBatch batch) {
    assertThat(batch.receiver()).isEqualTo("gateway");
    return switch (mode) {
      case COMMIT -> {
        batches.add(batch); // before the spans: a test that saw the spans sees their batch
        spans.addAll(batch.spans());
        yield CompletableFuture.runAsync(() -> { });
      }
      case SATURATED -> CompletableFuture.failedFuture(new PipelineSaturatedException("queue full", 2));
      case THROWS -> throw new PipelineSaturatedException("queue full", 2);
    };
  }

  /** Run by {@link #reset} first: waits until the gateway has submitted every finished call's record. */
  volatile Runnable settle = () -> { };

  /**
   * Forgets what was recorded, once the gateway has submitted the records of the calls already
   * answered: a call's record is built just after its response ends, so a test that did not wait
   * for its last records would otherwise leave them to land in the next test.
   */
  void reset() {
    settle.run();
    spans.clear();
    batches.clear();
    attended.clear();
    mode = Mode.COMMIT;
  }

  /** Waits (up to 10 s) until {@code n} spans arrived; records are submitted after the response ends. */
  List<Span> await(int n) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (spans.size() < n && System.nanoTime() < deadline) {
      sleep(5);
    }
    assertThat(spans).as("recorded spans").hasSizeGreaterThanOrEqualTo(n);
    return List.copyOf(spans);
  }

  Span single() {
    List<Span> s = await(1);
    sleep(50);
    assertThat(spans).as("recorded spans").hasSize(1);
    return s.get(0);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
